import { z } from 'zod';
import { VERSION } from '../version.ts';
import { assemble, emptyGrid } from './assemble.ts';
import type { ExperimentRun } from './parallel.ts';
import { owns, type ResultSpec } from './plan.ts';
import type { ReplicationData } from './replication.ts';
import { CUT_REASONS, type RunResult } from './result.ts';

/**
 * The partial result of `--shard i/n`: the raw data of every replication the shard ran (latency
 * samples in microseconds, outcome counts, counters) and the plain-data spec of the whole run,
 * so `mcsim merge` rebuilds exactly the unsharded result without the scenario file.
 */
export const PARTIAL_KIND = 'mcsim-partial';
export const PARTIAL_FORMAT = 2;

const Counts = z.record(z.string(), z.number());
const PartialReplicationSchema = z.object({
  g: z.number().int().min(0),
  v: z.number().int().min(0),
  r: z.number().int().min(0),
  samples: z.record(z.string(), z.array(z.number())),
  outcomes: z.record(z.string(), Counts),
  counters: z.object({
    events: z.number(),
    messages: z.number(),
    bytes: z.number(),
    lost: z.number(),
    retransmissions: z.number(),
  }),
  breakdown: z.record(z.string(), Counts),
  steps: z.record(z.string(), Counts),
  complete: z.boolean(),
  cut: z.enum(CUT_REASONS).optional(),
});

const PartialSchema = z.object({
  kind: z.literal(PARTIAL_KIND),
  format: z.literal(PARTIAL_FORMAT),
  mcsim: z.string(),
  fingerprint: z.string(),
  shard: z.object({ index: z.number().int().min(0), count: z.number().int().min(1) }),
  complete: z.boolean(),
  stopped: z.enum(CUT_REASONS).optional(),
  // The spec is checked for equality across parts and written by this code; its shape is trusted.
  spec: z.custom<ResultSpec>((x) => typeof x === 'object' && x !== null && Array.isArray((x as ResultSpec).groups)),
  replications: z.array(PartialReplicationSchema),
});

export type PartialResult = z.infer<typeof PartialSchema>;
type PartialReplication = z.infer<typeof PartialReplicationSchema>;

export function toPartial(run: ExperimentRun): PartialResult {
  const shard = run.shard ?? { index: 0, count: 1 };
  const replications: PartialReplication[] = [];
  let complete = run.stopped === undefined;
  for (const t of run.tasks) {
    const d = run.grid[t.g]?.[t.v]?.[t.r];
    if (d === undefined) {
      complete = false;
      continue;
    }
    complete &&= d.complete;
    replications.push({
      ...t,
      samples: Object.fromEntries(d.samples),
      outcomes: nested(d.outcomes),
      counters: d.counters,
      breakdown: nested(d.breakdown),
      steps: nested(d.steps),
      complete: d.complete,
      ...(d.cut === undefined ? {} : { cut: d.cut }),
    });
  }
  return {
    kind: PARTIAL_KIND,
    format: PARTIAL_FORMAT,
    mcsim: run.plan.spec.mcsim,
    fingerprint: run.plan.fingerprint,
    shard,
    complete,
    ...(run.stopped === undefined ? {} : { stopped: run.stopped }),
    spec: run.plan.spec,
    replications,
  };
}

/** Parts that do not make one whole run: bad input, exit 2. */
export class MergeError extends Error {}

const describe = (p: PartialResult): string =>
  `scenario "${p.spec.scenario.name}" (${p.spec.scenario.file}), seed ${JSON.stringify(p.spec.seed)}, ${p.spec.runs} runs`;

/** Checks that the parts are the n shards of one run, each once, and assembles the whole result. */
export function mergePartials(parts: readonly { file: string; document: unknown }[]): RunResult {
  if (parts.length === 0) throw new MergeError('nothing to merge: give the partial results of every shard');
  const checked = parts.map(({ file, document }) => {
    const parsed = PartialSchema.safeParse(document);
    if (!parsed.success) {
      const kind = (document as { kind?: unknown } | null)?.kind;
      throw new MergeError(
        `${file}: ${kind === PARTIAL_KIND ? `not a valid partial result (${parsed.error.issues[0]?.path.join('.') ?? ''}: ${parsed.error.issues[0]?.message ?? ''})` : 'not a partial result; write one with `mcsim run --shard i/n --out FILE`'}`,
      );
    }
    return { file, part: parsed.data };
  });
  const first = checked[0] as (typeof checked)[number];
  for (const { file, part } of checked) {
    if (part.mcsim !== VERSION)
      throw new MergeError(
        `${file}: written by mcsim ${part.mcsim}, this is mcsim ${VERSION}; merge with the version that ran the shards`,
      );
    if (part.fingerprint !== first.part.fingerprint) {
      throw new MergeError(
        `${file} and ${first.file} are shards of different runs: ${describe(part)} against ${describe(first.part)}${describe(part) === describe(first.part) ? ' (the scenario, variants, --set or --max-events differ)' : ''}`,
      );
    }
    if (part.shard.count !== first.part.shard.count)
      throw new MergeError(
        `${file} is shard ${part.shard.index}/${part.shard.count} but ${first.file} is one of ${first.part.shard.count}`,
      );
  }
  const count = first.part.shard.count;
  const seen = new Map<number, string>();
  for (const { file, part } of checked) {
    const other = seen.get(part.shard.index);
    if (other !== undefined)
      throw new MergeError(`shard ${part.shard.index}/${count} given twice: ${other} and ${file}`);
    seen.set(part.shard.index, file);
  }
  const missing = [...Array(count).keys()].filter((i) => !seen.has(i));
  if (missing.length > 0)
    throw new MergeError(
      `missing shard${missing.length > 1 ? 's' : ''} ${missing.map((i) => `${i}/${count}`).join(', ')} (got ${seen.size} of ${count})`,
    );

  const spec = first.part.spec;
  const grid = emptyGrid(spec);
  for (const { file, part } of checked) {
    for (const rep of part.replications) {
      const row = grid[rep.g]?.[rep.v];
      if (
        row === undefined ||
        rep.r >= spec.runs ||
        !owns(spec, part.shard, rep.g, rep.r) ||
        row[rep.r] !== undefined
      ) {
        throw new MergeError(
          `${file}: replication ${rep.r} of variant ${rep.v} at point ${rep.g} does not belong to shard ${part.shard.index}/${count} or appears twice`,
        );
      }
      row[rep.r] = fromPartial(rep);
    }
  }
  const stopped = checked
    .map(({ part }) => part)
    .sort((a, b) => a.shard.index - b.shard.index)
    .find((p) => p.stopped !== undefined)?.stopped;
  return assemble(spec, grid, stopped);
}

const nested = (m: Map<string, Map<string, number>>): Record<string, Record<string, number>> =>
  Object.fromEntries([...m].map(([k, c]) => [k, Object.fromEntries(c)]));

const unnested = (r: Record<string, Record<string, number>>): Map<string, Map<string, number>> =>
  new Map(Object.entries(r).map(([k, c]) => [k, new Map(Object.entries(c))]));

function fromPartial(rep: PartialReplication): ReplicationData {
  return {
    samples: new Map(Object.entries(rep.samples)),
    outcomes: unnested(rep.outcomes),
    counters: rep.counters,
    breakdown: unnested(rep.breakdown),
    steps: unnested(rep.steps),
    complete: rep.complete,
    ...(rep.cut === undefined ? {} : { cut: rep.cut }),
  };
}
