import { aggregateVariant, replicationMeans, round } from './aggregate.ts';
import type { GroupSpec, ResultSpec } from './plan.ts';
import { categoryDifferences } from './breakdown/means.ts';
import type { ReplicationData } from './replication.ts';
import {
  RESULT_SCHEMA_VERSION,
  type Comparison,
  type CutReason,
  type RunResult,
  type VariantResult,
} from './result.ts';
import { kpiCrossings } from './crossings.ts';
import { pairedDifference, unpairedDifference } from './stats.ts';

/** Replication data by [group][variant][replication]; a hole is a replication not (yet) run. */
export type Grid = (ReplicationData | undefined)[][][];

export function emptyGrid(spec: ResultSpec): Grid {
  return spec.groups.map((g) =>
    g.variants.map(() => new Array<ReplicationData | undefined>(spec.runs).fill(undefined)),
  );
}

/**
 * The result document from per-replication data, always in replication order, so a serial run,
 * workers and merged shards give the same bytes. With holes (a run stopped early) each group keeps
 * the replications every one of its variants has, which keeps comparisons paired, and the result
 * says `complete: false`. A replication cut short is kept with what it measured, and counted as
 * cut. `stopped` is what stopped the run, if anything did; else the first cut replication's reason.
 */
export function assemble(spec: ResultSpec, grid: Grid, stopped?: CutReason): RunResult {
  let complete = stopped === undefined;
  let reason = stopped;
  const replications = { planned: 0, completed: 0, cut: 0 };
  const groups = spec.groups.map((group, g) => {
    const cells = grid[g] ?? [];
    const kept: number[] = [];
    for (let r = 0; r < spec.runs; r++) {
      if (group.variants.every((_, v) => cells[v]?.[r] !== undefined)) kept.push(r);
      else complete = false;
    }
    for (let v = 0; v < group.variants.length; v++) {
      for (let r = 0; r < spec.runs; r++) {
        const rep = cells[v]?.[r];
        replications.planned++;
        if (rep === undefined) continue;
        if (rep.complete) replications.completed++;
        else replications.cut++;
        reason ??= rep.cut;
      }
    }
    const reps = group.variants.map((_, v) => kept.map((r) => cells[v]?.[r] as ReplicationData));
    return assembleGroup(group, reps);
  });
  complete &&= replications.cut === 0;
  const head = {
    mcsim: spec.mcsim,
    schemaVersion: RESULT_SCHEMA_VERSION,
    scenario: spec.scenario,
    seed: spec.seed,
    runs: spec.runs,
    complete,
    stopped: complete ? null : (reason ?? null),
    replications,
  };
  if (!spec.sweep) {
    const only = groups[0] as { variants: VariantResult[]; comparisons: Comparison[] };
    return { ...head, variants: only.variants, comparisons: only.comparisons };
  }
  const points = spec.groups.map((group, g) => {
    const { variants, comparisons } = groups[g] as { variants: VariantResult[]; comparisons: Comparison[] };
    return { sweep: group.sweep ?? 'sweep', at: group.at ?? [], params: group.params, variants, comparisons };
  });
  const sweeps = spec.sweeps ?? [];
  return { ...head, variants: [], comparisons: [], sweeps, points, kpi_crossings: kpiCrossings(sweeps, points) };
}

function assembleGroup(
  group: GroupSpec,
  reps: ReplicationData[][],
): { variants: VariantResult[]; comparisons: Comparison[] } {
  const variants = group.variants.map((v, i) =>
    aggregateVariant(v.name, v.params, v.kpis, reps[i] as ReplicationData[]),
  );
  const byName = new Map(group.variants.map((v, i) => [v.name, reps[i] as ReplicationData[]]));
  const comparisons: Comparison[] = [];
  for (const [a, b] of group.pairs) comparisons.push(...compare(a, b, byName.get(a) ?? [], byName.get(b) ?? []));
  return { variants, comparisons };
}

/** Paired (common random numbers) and unpaired differences b - a for every metric either measured. */
function compare(a: string, b: string, ra: readonly ReplicationData[], rb: readonly ReplicationData[]): Comparison[] {
  const out: Comparison[] = [];
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
    const meanDiff = round(paired.meanDiff);
    out.push({
      metric,
      a,
      b,
      mean_diff: meanDiff,
      ci95: ci,
      paired: true,
      unpaired_ci95: unpaired.ci95 === undefined ? null : [round(unpaired.ci95[0]), round(unpaired.ci95[1])],
      significant: ci !== null && (ci[0] > 0 || ci[1] < 0),
      n: paired.n,
      breakdown: categoryDifferences(ra, rb, metric, meanDiff, round),
    });
  }
  return out;
}
