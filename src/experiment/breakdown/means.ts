import { CATEGORIES } from '../../mc/measure/critical-path.ts';
import type { ReplicationData } from '../replication.ts';
import type { CategoryDifference } from '../result.ts';
import { pairedDifference } from '../stats.ts';

/**
 * Where the time of a metric's samples went, as the result reports it: the mean of each category
 * (and of each procedure step) over the successful samples, in ms. Each replication carries the
 * time of its samples summed per category in whole microseconds (replication.ts); the means are
 * rounded to the nanosecond, as the metric's mean is, and apportioned so that they add up to that
 * mean exactly, nanosecond for nanosecond.
 */

const NS_PER_MS = 1e6;
const toNs = (ms: number): number => Math.round(ms * NS_PER_MS);

/**
 * Whole parts of `total` in proportion to `exact` (whose sum is `total` up to rounding): each
 * part rounded down, and the units left over given to the largest remainders, first ones first
 * among equals (Hamilton's method). The parts sum to `total` exactly.
 */
export function apportion(exact: readonly number[], total: number): number[] {
  const parts = exact.map(Math.floor);
  let left = total - parts.reduce((s, x) => s + x, 0);
  const rest = exact.map((x, i) => x - (parts[i] as number));
  const order = rest.map((_, i) => i).sort((i, j) => (rest[j] as number) - (rest[i] as number) || i - j);
  for (let k = 0; left !== 0 && order.length > 0; k = (k + 1) % order.length) {
    const i = order[k] as number;
    parts[i] = (parts[i] as number) + Math.sign(left);
    left -= Math.sign(left);
  }
  return parts;
}

/** Sums, over the replications, a metric's time per name (microseconds) from `pick`, in first-seen order. */
function totals(
  reps: readonly ReplicationData[],
  metric: string,
  pick: (r: ReplicationData) => Map<string, Map<string, number>>,
): Map<string, number> {
  const sum = new Map<string, number>();
  for (const r of reps) for (const [name, us] of pick(r).get(metric) ?? []) sum.set(name, (sum.get(name) ?? 0) + us);
  return sum;
}

/** Names and their mean ms over `n` samples, apportioned to add up to `mean` (ms, to the ns). */
function means(names: readonly string[], sums: Map<string, number>, n: number, mean: number): Record<string, number> {
  const ns = apportion(
    names.map((name) => ((sums.get(name) ?? 0) * 1000) / n),
    toNs(mean),
  );
  return Object.fromEntries(names.map((name, i) => [name, (ns[i] as number) / NS_PER_MS]));
}

/** The metric's mean per category that took time, in CATEGORIES order; they add up to `mean`. */
export function categoryMeans(
  reps: readonly ReplicationData[],
  metric: string,
  n: number,
  mean: number,
): Record<string, number> {
  const sums = totals(reps, metric, (r) => r.breakdown);
  return means(
    CATEGORIES.filter((c) => (sums.get(c) ?? 0) > 0),
    sums,
    n,
    mean,
  );
}

/** The metric's mean per procedure step, longest first (then by label); they add up to `mean`. */
export function stepMeans(
  reps: readonly ReplicationData[],
  metric: string,
  n: number,
  mean: number,
): Record<string, number> {
  const sums = totals(reps, metric, (r) => r.steps);
  const names = [...sums.keys()]
    .filter((s) => (sums.get(s) as number) > 0)
    .sort((a, b) => (sums.get(b) as number) - (sums.get(a) as number) || (a < b ? -1 : 1));
  return means(names, sums, n, mean);
}

/** A replication's mean ms of one category of a metric, over its samples of the metric. */
function replicationCategoryMean(r: ReplicationData, metric: string, category: string): number {
  return (r.breakdown.get(metric)?.get(category) ?? 0) / (r.samples.get(metric)?.length as number) / 1000;
}

/**
 * The paired difference b - a of each category's mean over the replications both measured, for
 * the categories either took time in; the mean differences add up to `meanDiff` (the metric's,
 * rounded), the same way the means add up to the mean.
 */
export function categoryDifferences(
  ra: readonly ReplicationData[],
  rb: readonly ReplicationData[],
  metric: string,
  meanDiff: number,
  round: (x: number) => number,
): Record<string, CategoryDifference> {
  const a = totals(ra, metric, (r) => r.breakdown);
  const b = totals(rb, metric, (r) => r.breakdown);
  const names = CATEGORIES.filter((c) => (a.get(c) ?? 0) > 0 || (b.get(c) ?? 0) > 0);
  const sampled = (r: ReplicationData | undefined): r is ReplicationData => (r?.samples.get(metric)?.length ?? 0) > 0;
  const pairs = ra.flatMap((r, i) => (sampled(r) && sampled(rb[i]) ? [[r, rb[i]] as const] : []));
  const diffs = names.map((c) =>
    pairedDifference(
      pairs.map(([x]) => replicationCategoryMean(x, metric, c)),
      pairs.map(([, y]) => replicationCategoryMean(y, metric, c)),
    ),
  );
  const ns = apportion(
    diffs.map((d) => d.meanDiff * NS_PER_MS),
    toNs(meanDiff),
  );
  return Object.fromEntries(
    names.map((c, i) => {
      const ci = diffs[i]?.ci95;
      return [
        c,
        { mean_diff: (ns[i] as number) / NS_PER_MS, ci95: ci === undefined ? null : [round(ci[0]), round(ci[1])] },
      ];
    }),
  );
}
