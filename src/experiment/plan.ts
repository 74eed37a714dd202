import { createHash } from 'node:crypto';
import { parseDuration } from '../kernel/index.ts';
import type { LoadedScenario, Variant } from '../scenario/load.ts';
import { numericValue } from '../scenario/format/quantities.ts';
import { VERSION } from '../version.ts';
import { kpiPlan, type KpiPlan } from './aggregate.ts';
import type { SweepAxes } from './result.ts';

/**
 * Replications above this many kernel events stop with `complete: false`. A bundled scenario
 * runs well under a million per replication and 1,000,000 calls under load about 45 million, so
 * the ceiling only catches a scenario that runs away (an endless retry loop, a typo in a rate).
 */
export const DEFAULT_MAX_EVENTS = 200_000_000;

export class UnknownVariantError extends Error {}

export function selectVariants(loaded: LoadedScenario, names: readonly string[] | undefined): Variant[] {
  if (names === undefined || names.length === 0) return loaded.variants;
  return names.map((n) => {
    const v = loaded.variants.find((x) => x.name === n);
    if (v === undefined)
      throw new UnknownVariantError(
        `unknown variant "${n}"; the scenario has: ${loaded.variants.map((x) => x.name).join(', ')}`,
      );
    return v;
  });
}

/** Everything the aggregation needs, as plain JSON: a shard's partial result carries it to `merge`. */
export interface ResultSpec {
  mcsim: string;
  scenario: { name: string; file: string };
  seed: number | string;
  runs: number;
  /** True with a sweep: groups are its points, reported in `points`. */
  sweep: boolean;
  /** The sweeps' axes, as the result describes them. */
  sweeps?: SweepAxes[];
  groups: GroupSpec[];
}

/** A sweep point (or the whole scenario without a sweep): its variants and the pairs compared. */
export interface GroupSpec {
  /** The sweep the point belongs to and its index along each of the sweep's axes. */
  sweep?: string;
  at?: number[];
  params: Record<string, unknown>;
  variants: { name: string; params: Record<string, unknown>; kpis: KpiPlan }[];
  pairs: [string, string][];
}

export interface Plan {
  spec: ResultSpec;
  /** The variants to run per group, parallel to `spec.groups[g].variants`. */
  variants: Variant[][];
  until: number | undefined;
  maxEvents: number;
  checkInvariants: boolean;
  /** sha256 of everything that decides the numbers: parts of different runs never merge. */
  fingerprint: string;
}

/** One replication to run: group (sweep point), variant, replication index. */
export interface Task {
  g: number;
  v: number;
  r: number;
}

export interface PlanOptions {
  runs?: number;
  seed?: number | string;
  /** Only these variants (all when absent), in this order. */
  variants?: readonly string[];
  /** Per-replication event ceiling; DEFAULT_MAX_EVENTS when absent. */
  maxEvents?: number;
  /** Check the model's invariants at the end of every replication (ReplicationData.violations). */
  checkInvariants?: boolean;
}

export function makePlan(loaded: LoadedScenario, opts: PlanOptions = {}): Plan {
  const exp = loaded.scenario.experiment;
  const runs = opts.runs ?? exp?.runs ?? 1;
  const seed = opts.seed ?? exp?.seed ?? 1;
  const until = exp?.until === undefined ? undefined : parseDuration(exp.until);
  const maxEvents = opts.maxEvents ?? DEFAULT_MAX_EVENTS;
  const names = selectVariants(loaded, opts.variants).map((v) => v.name);
  const pick = (vs: readonly Variant[]): Variant[] => names.map((n) => vs.find((v) => v.name === n) as Variant);
  const sweep = loaded.points.length > 0;
  const variants = sweep ? loaded.points.map((p) => pick(p.variants)) : [pick(loaded.variants)];
  const groups = variants.map((vs, g) => ({
    ...(sweep ? { sweep: loaded.points[g]?.sweep as string, at: loaded.points[g]?.at as number[] } : {}),
    params: sweep ? (loaded.points[g]?.params ?? {}) : {},
    variants: vs.map((v) => ({ name: v.name, params: v.params, kpis: kpiPlan(v.scenario) })),
    pairs: pairsOf(loaded, names),
  }));
  const spec: ResultSpec = {
    mcsim: VERSION,
    scenario: { name: loaded.name, file: loaded.file },
    seed,
    runs,
    sweep,
    ...(sweep
      ? {
          sweeps: loaded.sweeps.map((d) => ({
            name: d.name,
            axes: d.axes.map((a) => ({
              label: a.label,
              paths: a.paths,
              unit: numericValue(a.values[0]?.[0])?.unit ?? '',
              values: a.values,
            })),
          })),
        }
      : {}),
    groups,
  };
  const hash = createHash('sha256');
  hash.update(JSON.stringify({ spec, until: until ?? null, maxEvents }));
  for (const vs of variants) for (const v of vs) hash.update(JSON.stringify(v.scenario));
  return {
    spec,
    variants,
    until,
    maxEvents,
    checkInvariants: opts.checkInvariants ?? false,
    fingerprint: hash.digest('hex'),
  };
}

function pairsOf(loaded: LoadedScenario, names: readonly string[]): [string, string][] {
  const declared = (loaded.scenario.experiment?.compare ?? []).filter(
    (c) => names.includes(c.a) && names.includes(c.b),
  );
  if (declared.length > 0) return declared.map((c) => [c.a, c.b]);
  const first = names[0];
  return first === undefined ? [] : names.slice(1).map((n) => [first, n]);
}

export interface Shard {
  /** 0-based. */
  index: number;
  count: number;
}

/**
 * A shard owns the units (sweep point, replication) whose rank, point-major, is its index modulo
 * the count: every variant of a replication stays together, and round-robin spreads points of
 * unequal cost evenly. Tasks come in serial order (point, variant, replication).
 */
export function owns(spec: ResultSpec, shard: Shard | undefined, g: number, r: number): boolean {
  return shard === undefined || (g * spec.runs + r) % shard.count === shard.index;
}

export function tasksOf(plan: Plan, shard?: Shard): Task[] {
  const tasks: Task[] = [];
  const { spec } = plan;
  spec.groups.forEach((group, g) => {
    group.variants.forEach((_, v) => {
      for (let r = 0; r < spec.runs; r++) if (owns(spec, shard, g, r)) tasks.push({ g, v, r });
    });
  });
  return tasks;
}

/** `i/n` with 0 <= i < n, as `--shard` takes it (0-based, like JOB_COMPLETION_INDEX). */
export function parseShard(text: string): Shard | undefined {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (m === null) return undefined;
  const index = Number(m[1]);
  const count = Number(m[2]);
  return count >= 1 && index < count ? { index, count } : undefined;
}
