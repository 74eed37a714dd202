/**
 * Statistics used across mcsim, in one place.
 * Percentiles are nearest-rank: the p-th percentile of n sorted values is the value at rank
 * ceil(p/100 * n) (1-based), so it is always an observed sample, never an interpolation.
 */

export function mean(xs: readonly number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return xs.length === 0 ? NaN : s / xs.length;
}

/** Sample standard deviation (n - 1 in the denominator); 0 for a single value. */
export function sd(xs: readonly number[]): number {
  const n = xs.length;
  if (n < 2) return 0;
  const m = mean(xs);
  let ss = 0;
  for (const x of xs) ss += (x - m) * (x - m);
  return Math.sqrt(ss / (n - 1));
}

/** Nearest-rank percentile of values sorted ascending. */
export function percentileSorted(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1] as number;
}

export function percentile(xs: readonly number[], p: number): number {
  return percentileSorted(
    [...xs].sort((a, b) => a - b),
    p,
  );
}

/** Two-sided 95% Student t critical values for 1..30 degrees of freedom. */
const T975 = [
  12.706204736, 4.30265273, 3.182446305, 2.776445105, 2.570581836, 2.446911851, 2.364624252, 2.306004135, 2.262157163,
  2.228138852, 2.20098516, 2.17881283, 2.160368656, 2.144786688, 2.131449546, 2.119905299, 2.109815578, 2.10092204,
  2.093024054, 2.085963447, 2.079613845, 2.073873068, 2.06865761, 2.063898562, 2.059538553, 2.055529439, 2.051830516,
  2.048407142, 2.045229642, 2.042272456,
];
const Z975 = 1.959963984540054;

/** 0.975 quantile of Student's t: table to 30 df, then the Cornish-Fisher expansion (error < 1e-6). */
export function tCritical975(df: number): number {
  if (!(df >= 1)) return NaN;
  if (df <= 30) return T975[Math.floor(df) - 1] as number;
  const z = Z975;
  const z3 = z ** 3;
  const z5 = z ** 5;
  const z7 = z ** 7;
  return (
    z +
    (z3 + z) / (4 * df) +
    (5 * z5 + 16 * z3 + 3 * z) / (96 * df ** 2) +
    (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * df ** 3)
  );
}

/** t-based 95% confidence interval of the mean; undefined with fewer than two values. */
export function ci95(xs: readonly number[]): [number, number] | undefined {
  if (xs.length < 2) return undefined;
  const m = mean(xs);
  const half = (tCritical975(xs.length - 1) * sd(xs)) / Math.sqrt(xs.length);
  return [m - half, m + half];
}

export interface Difference {
  meanDiff: number;
  ci95: [number, number] | undefined;
  n: number;
}

/** Paired difference b - a over matched replications (common random numbers). */
export function pairedDifference(a: readonly number[], b: readonly number[]): Difference {
  if (a.length !== b.length) throw new RangeError(`paired samples differ in length: ${a.length} vs ${b.length}`);
  const d = a.map((x, i) => (b[i] as number) - x);
  return { meanDiff: mean(d), ci95: ci95(d), n: d.length };
}

/** Welch's unpaired interval of b - a, as if the runs had been independent. */
export function unpairedDifference(a: readonly number[], b: readonly number[]): Difference {
  const ma = mean(a);
  const mb = mean(b);
  const n = Math.min(a.length, b.length);
  if (a.length < 2 || b.length < 2) return { meanDiff: mb - ma, ci95: undefined, n };
  const va = sd(a) ** 2 / a.length;
  const vb = sd(b) ** 2 / b.length;
  const se = Math.sqrt(va + vb);
  const df =
    se === 0 ? a.length + b.length - 2 : (va + vb) ** 2 / (va ** 2 / (a.length - 1) + vb ** 2 / (b.length - 1));
  const half = tCritical975(Math.max(1, df)) * se;
  return { meanDiff: mb - ma, ci95: [mb - ma - half, mb - ma + half], n };
}
