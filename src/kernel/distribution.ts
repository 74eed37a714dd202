import type { Rng } from './random.ts';
import { parseDuration, type Micros } from './time.ts';

/** A delay distribution as it is written in scenario files (docs/scenario-guide.md). */
export type DistributionSpec =
  | string
  | { constant: string }
  | { uniform: [string, string] }
  | { exponential: string }
  | { normal: { mean: string; sd: string } }
  | { lognormal: { median: string; p95: string } }
  | { empirical: [string, number][] };

/** A compiled sampler: draws an integer number of microseconds >= 0. */
export interface Distribution {
  readonly mean: Micros;
  /** True when every draw gives the same value (no randomness consumed). */
  readonly constant: boolean;
  sample(rng: Rng): Micros;
}

const Z95 = 1.6448536269514722;

export function constant(value: Micros): Distribution {
  return { mean: value, constant: true, sample: () => value };
}

export function uniform(lo: Micros, hi: Micros): Distribution {
  if (hi < lo) throw new RangeError(`uniform: upper bound ${hi}us is below lower bound ${lo}us`);
  const span = hi - lo;
  return { mean: (lo + hi) / 2, constant: false, sample: (rng) => Math.round(lo + span * rng.next()) };
}

export function exponential(mean: Micros): Distribution {
  return { mean, constant: false, sample: (rng) => Math.round(-mean * Math.log(1 - rng.next())) };
}

function standardNormal(rng: Rng): number {
  // Box-Muller; 1 - u keeps log away from 0.
  const u = 1 - rng.next();
  const v = rng.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** Normal truncated at 0 by rejection (redraws negatives); the mean is the untruncated one. */
export function normal(mean: Micros, sd: Micros): Distribution {
  return {
    mean,
    constant: false,
    sample: (rng) => {
      for (let i = 0; i < 64; i++) {
        const x = mean + sd * standardNormal(rng);
        if (x >= 0) return Math.round(x);
      }
      return 0;
    },
  };
}

/** Lognormal given its median and 95th percentile: mu = ln(median), sigma = ln(p95/median)/z95. */
export function lognormal(median: Micros, p95: Micros): Distribution {
  if (median <= 0 || p95 < median) throw new RangeError('lognormal: needs 0 < median <= p95');
  // Degenerate (p95 = median): honour the `constant` contract of drawing nothing.
  if (p95 === median) return constant(median);
  const mu = Math.log(median);
  const sigma = Math.log(p95 / median) / Z95;
  return {
    mean: Math.exp(mu + (sigma * sigma) / 2),
    constant: false,
    sample: (rng) => Math.round(Math.exp(mu + sigma * standardNormal(rng))),
  };
}

export function empirical(points: [Micros, number][]): Distribution {
  const total = points.reduce((s, [, w]) => s + w, 0);
  if (!(total > 0)) throw new RangeError('empirical: weights must add up to more than 0');
  const values = points.map(([v]) => v);
  if (points.length === 1) return constant(values[0] as Micros);
  const cumulative: number[] = [];
  let acc = 0;
  for (const [, w] of points) cumulative.push((acc += w / total));
  return {
    mean: points.reduce((s, [v, w]) => s + (v * w) / total, 0),
    constant: false,
    sample: (rng) => {
      const u = rng.next();
      for (let i = 0; i < cumulative.length; i++) if (u < (cumulative[i] as number)) return values[i] as number;
      return values[values.length - 1] as number;
    },
  };
}

/** Compiles a validated spec; the scenario schema has already refused malformed ones. */
export function compileDistribution(spec: DistributionSpec): Distribution {
  if (typeof spec === 'string') return constant(parseDuration(spec));
  if ('constant' in spec) return constant(parseDuration(spec.constant));
  if ('uniform' in spec) return uniform(parseDuration(spec.uniform[0]), parseDuration(spec.uniform[1]));
  if ('exponential' in spec) return exponential(parseDuration(spec.exponential));
  if ('normal' in spec) return normal(parseDuration(spec.normal.mean), parseDuration(spec.normal.sd));
  if ('lognormal' in spec) return lognormal(parseDuration(spec.lognormal.median), parseDuration(spec.lognormal.p95));
  return empirical(spec.empirical.map(([v, w]) => [parseDuration(v), w]));
}
