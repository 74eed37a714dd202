import { describe, expect, it } from 'vitest';
import {
  compileDistribution,
  constant,
  empirical,
  exponential,
  lognormal,
  normal,
  uniform,
  type Distribution,
} from '../../src/kernel/distribution.ts';
import { RandomStreams } from '../../src/kernel/random.ts';

const N = 200_000;
/** Normal quantile at 0.95 (the lognormal spec is given by its median and p95). */
const Z95 = 1.6448536269514722;

function sample(d: Distribution, name: string): number[] {
  const rng = new RandomStreams(2024, 0).stream(name);
  return Array.from({ length: N }, () => d.sample(rng));
}

const mean = (xs: number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;

/** Asserts the sample mean is within 5 standard errors of `expected`, given the true sd. */
function expectMean(xs: number[], expected: number, sd: number): void {
  expect(Math.abs(mean(xs) - expected)).toBeLessThan(5 * (sd / Math.sqrt(xs.length)) + 0.5);
}

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(q * (s.length - 1))] as number;
}

function expectIntegersAtLeastZero(xs: number[]): void {
  expect(xs.every((x) => Number.isInteger(x) && x >= 0)).toBe(true);
}

describe('distributions', () => {
  it('constant is exact and consumes no randomness', () => {
    const d = compileDistribution('20ms');
    const rng = {
      next: (): number => {
        throw new Error('drew');
      },
    };
    expect(d.sample(rng)).toBe(20_000);
    expect(d.constant).toBe(true);
    expect(d.mean).toBe(20_000);
    expect(constant(7).sample(rng)).toBe(7);
  });

  it('uniform matches (lo+hi)/2 and stays within its bounds', () => {
    const xs = sample(uniform(5_000, 15_000), 'uniform');
    expectIntegersAtLeastZero(xs);
    expect(xs.every((x) => x >= 5_000 && x <= 15_000)).toBe(true);
    expectMean(xs, 10_000, 10_000 / Math.sqrt(12));
  });

  it('exponential matches its mean, and its median ln2 * mean', () => {
    const xs = sample(compileDistribution({ exponential: '2s' }), 'exponential');
    expectIntegersAtLeastZero(xs);
    expectMean(xs, 2_000_000, 2_000_000);
    // The sample median's standard error is 1/(2 f(m) sqrt(n)), with f(m) = 1/(2 mean) for this law.
    expect(Math.abs(quantile(xs, 0.5) - Math.LN2 * 2_000_000)).toBeLessThan(5 * (2_000_000 / Math.sqrt(N)));
  });

  it('normal far from zero matches its mean and sd', () => {
    const xs = sample(compileDistribution({ normal: { mean: '20ms', sd: '5ms' } }), 'normal');
    expectIntegersAtLeastZero(xs);
    expectMean(xs, 20_000, 5_000);
    const m = mean(xs);
    const sd = Math.sqrt(xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1));
    // The sd of the sample sd of a normal is about sigma/sqrt(2n).
    expect(Math.abs(sd - 5_000)).toBeLessThan(5 * (5_000 / Math.sqrt(2 * N)) + 1);
  });

  it('normal truncated at zero never goes negative and matches the half-normal mean', () => {
    const sigma = 10_000;
    const xs = sample(normal(0, sigma), 'half-normal');
    expectIntegersAtLeastZero(xs);
    // Truncating N(0, s) at 0 gives the half-normal: mean s*sqrt(2/pi), sd s*sqrt(1-2/pi).
    expectMean(xs, sigma * Math.sqrt(2 / Math.PI), sigma * Math.sqrt(1 - 2 / Math.PI));
  });

  it('lognormal matches its median and p95', () => {
    const d = compileDistribution({ lognormal: { median: '20ms', p95: '60ms' } });
    const xs = sample(d, 'lognormal');
    expectIntegersAtLeastZero(xs);
    // Quantile standard error: sqrt(q(1-q)/n) / f(x_q); f from the lognormal density at x_q.
    const sigma = Math.log(3) / Z95;
    const density = (x: number, z: number): number => Math.exp(-(z * z) / 2) / (x * sigma * Math.sqrt(2 * Math.PI));
    const seMedian = Math.sqrt(0.25 / N) / density(20_000, 0);
    const seP95 = Math.sqrt((0.95 * 0.05) / N) / density(60_000, Z95);
    expect(Math.abs(quantile(xs, 0.5) - 20_000)).toBeLessThan(5 * seMedian);
    expect(Math.abs(quantile(xs, 0.95) - 60_000)).toBeLessThan(5 * seP95);
    expect(d.mean).toBeCloseTo(20_000 * Math.exp((sigma * sigma) / 2), 6);
  });

  it('empirical matches its weighted mean and only returns listed values', () => {
    const d = compileDistribution({
      empirical: [
        ['10ms', 0.7],
        ['40ms', 0.3],
      ],
    });
    const xs = sample(d, 'empirical');
    expect(new Set(xs)).toEqual(new Set([10_000, 40_000]));
    const mu = 0.7 * 10_000 + 0.3 * 40_000;
    expect(d.mean).toBeCloseTo(mu, 6);
    expectMean(xs, mu, Math.sqrt(0.7 * 0.3) * 30_000);
  });

  it('empirical normalises weights that do not add up to one', () => {
    const xs = sample(
      empirical([
        [1_000, 2],
        [3_000, 6],
      ]),
      'weights',
    );
    expectMean(xs, 2_500, Math.sqrt(0.25 * 0.75) * 2_000);
  });

  it('exponential with a mean of zero draws zero', () => {
    const xs = sample(exponential(0), 'zero').slice(0, 100);
    expect(xs.every((x) => x === 0)).toBe(true);
  });

  it('degenerate laws are marked constant and consume no randomness', () => {
    const rng = {
      next: (): number => {
        throw new Error('drew');
      },
    };
    const ln = lognormal(20_000, 20_000);
    expect(ln.constant).toBe(true);
    expect(ln.sample(rng)).toBe(20_000);
    const one = empirical([[5_000, 1]]);
    expect(one.constant).toBe(true);
    expect(one.sample(rng)).toBe(5_000);
  });

  it('refuses inverted bounds and impossible lognormal parameters', () => {
    expect(() => uniform(10, 5)).toThrow(RangeError);
    expect(() => lognormal(0, 10)).toThrow(RangeError);
    expect(() => lognormal(20, 10)).toThrow(RangeError);
    expect(() => empirical([[1, 0]])).toThrow(RangeError);
  });
});
