import type { McMessage } from '../mc/messages.ts';
import type { SendRecord } from '../net/index.ts';
import type { LoadedScenario, Variant } from '../scenario/load.ts';
import { parseDuration } from '../kernel/index.ts';
import { VERSION } from '../version.ts';
import { aggregateVariant, replicationMeans, round } from './aggregate.ts';
import { runReplication, type ReplicationData } from './replication.ts';
import type { Comparison, RunResult, VariantResult } from './result.ts';
import { pairedDifference, unpairedDifference } from './stats.ts';

export interface ExperimentOptions {
  runs?: number;
  seed?: number | string;
  /** Only these variants (all when absent). */
  variants?: readonly string[];
  maxEvents?: number;
  /** Trace of replication `traceRun` (default 0) of every variant. */
  trace?: (variant: string, rec: SendRecord<McMessage>, point: number | undefined) => void;
  traceRun?: number;
  onProgress?: (done: number, total: number) => void;
}

export class UnknownVariantError extends Error {}

export function selectVariants(loaded: LoadedScenario, names: readonly string[] | undefined): Variant[] {
  if (names === undefined || names.length === 0) return loaded.variants;
  return names.map((n) => {
    const v = loaded.variants.find((x) => x.name === n);
    if (v === undefined) throw new UnknownVariantError(`unknown variant "${n}"; the scenario has: ${loaded.variants.map((x) => x.name).join(', ')}`);
    return v;
  });
}

/**
 * Runs every selected variant for the same replications (common random numbers) and summarizes.
 * With a sweep, every point is run that way and reported in `points`; the top-level variant and
 * comparison lists then stay empty, since no single point is "the" scenario.
 */
export function runExperiment(loaded: LoadedScenario, opts: ExperimentOptions = {}): RunResult {
  const exp = loaded.scenario.experiment;
  const runs = opts.runs ?? exp?.runs ?? 1;
  const seed = opts.seed ?? exp?.seed ?? 1;
  const until = exp?.until === undefined ? undefined : parseDuration(exp.until);
  const names = selectVariants(loaded, opts.variants).map((v) => v.name);
  const pick = (vs: readonly Variant[]): Variant[] => names.map((n) => vs.find((v) => v.name === n) as Variant);
  const groups = loaded.points.length > 0 ? loaded.points.map((p) => pick(p.variants)) : [pick(loaded.variants)];
  const progress = { done: 0, total: runs * names.length * groups.length };
  let complete = true;
  const outcomes = groups.map((variants, i) => {
    const point = loaded.points.length > 0 ? i : undefined;
    const g = runGroup(loaded, variants, { ...opts, runs, seed, until, point }, progress);
    complete &&= g.complete;
    return g;
  });
  const head = { mcsim: VERSION, scenario: { name: loaded.name, file: loaded.file }, seed, runs, complete };
  if (loaded.points.length === 0) {
    const only = outcomes[0] as GroupResult;
    return { ...head, variants: only.variants, comparisons: only.comparisons };
  }
  return {
    ...head,
    variants: [],
    comparisons: [],
    points: loaded.points.map((p, i) => {
      const { variants, comparisons } = outcomes[i] as GroupResult;
      return { params: p.params, variants, comparisons };
    }),
  };
}

interface GroupResult {
  variants: VariantResult[];
  comparisons: Comparison[];
  complete: boolean;
}

function runGroup(
  loaded: LoadedScenario,
  variants: readonly Variant[],
  opts: ExperimentOptions & { runs: number; seed: number | string; until: number | undefined; point: number | undefined },
  progress: { done: number; total: number },
): GroupResult {
  const { runs, seed, until } = opts;
  let complete = true;
  const data = new Map<string, ReplicationData[]>();
  for (const v of variants) {
    const reps: ReplicationData[] = [];
    for (let r = 0; r < runs; r++) {
      const trace = opts.trace !== undefined && r === (opts.traceRun ?? 0) ? opts.trace : undefined;
      const rep = runReplication(v.model, seed, r, {
        ...(until === undefined ? {} : { until }),
        ...(opts.maxEvents === undefined ? {} : { maxEvents: opts.maxEvents }),
        ...(trace === undefined ? {} : { trace: (rec: SendRecord<McMessage>) => trace(v.name, rec, opts.point) }),
      });
      complete &&= rep.complete;
      reps.push(rep);
      opts.onProgress?.(++progress.done, progress.total);
    }
    data.set(v.name, reps);
  }
  const results = variants.map((v) => aggregateVariant(v.name, v.params, v.scenario, data.get(v.name) as ReplicationData[]));
  return { variants: results, comparisons: compareAll(loaded, variants, data), complete };
}

function pairsOf(loaded: LoadedScenario, variants: readonly Variant[]): [string, string][] {
  const names = variants.map((v) => v.name);
  const declared = (loaded.scenario.experiment?.compare ?? []).filter((c) => names.includes(c.a) && names.includes(c.b));
  if (declared.length > 0) return declared.map((c) => [c.a, c.b]);
  const first = names[0];
  return first === undefined ? [] : names.slice(1).map((n) => [first, n]);
}

function compareAll(loaded: LoadedScenario, variants: readonly Variant[], data: Map<string, ReplicationData[]>): Comparison[] {
  const out: Comparison[] = [];
  for (const [a, b] of pairsOf(loaded, variants)) {
    const ra = data.get(a) as ReplicationData[];
    const rb = data.get(b) as ReplicationData[];
    const metrics = new Set<string>();
    for (const r of [...ra, ...rb]) for (const m of r.samples.keys()) metrics.add(m);
    for (const metric of [...metrics].sort()) {
      const ma = replicationMeans(ra, metric);
      const mb = replicationMeans(rb, metric);
      const xa: number[] = [];
      const xb: number[] = [];
      ma.forEach((x, i) => {
        const y = mb[i];
        if (x !== undefined && y !== undefined) {
          xa.push(x);
          xb.push(y);
        }
      });
      if (xa.length === 0) continue;
      const paired = pairedDifference(xa, xb);
      const unpaired = unpairedDifference(xa, xb);
      const ci = paired.ci95 === undefined ? null : ([round(paired.ci95[0]), round(paired.ci95[1])] as [number, number]);
      out.push({
        metric,
        a,
        b,
        mean_diff: round(paired.meanDiff),
        ci95: ci,
        paired: true,
        unpaired_ci95: unpaired.ci95 === undefined ? null : [round(unpaired.ci95[0]), round(unpaired.ci95[1])],
        significant: ci !== null && (ci[0] > 0 || ci[1] < 0),
        n: paired.n,
      });
    }
  }
  return out;
}
