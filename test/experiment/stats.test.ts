import { describe, expect, it } from 'vitest';
import {
  ci95,
  mean,
  pairedDifference,
  percentile,
  percentileSorted,
  sd,
  tCritical975,
  unpairedDifference,
} from '../../src/experiment/stats.ts';

describe('stats against known values', () => {
  it('mean and sample sd (n - 1)', () => {
    const xs = [2, 4, 4, 4, 5, 5, 7, 9];
    expect(mean(xs)).toBe(5);
    expect(sd(xs)).toBeCloseTo(Math.sqrt(32 / 7), 12);
    expect(sd([3])).toBe(0);
    expect(mean([])).toBeNaN();
  });

  it('nearest-rank percentiles are observed values (Wikipedia worked example)', () => {
    const xs = [15, 20, 35, 40, 50];
    expect(percentile(xs, 5)).toBe(15);
    expect(percentile(xs, 30)).toBe(20);
    expect(percentile(xs, 40)).toBe(20);
    expect(percentile(xs, 50)).toBe(35);
    expect(percentile(xs, 100)).toBe(50);
    expect(percentile([3, 1, 2], 0)).toBe(1);
    expect(percentileSorted([], 50)).toBeNaN();
    // p95 of 1..100 is the 95th value, never an interpolation between two.
    expect(
      percentile(
        Array.from({ length: 100 }, (_, i) => i + 1),
        95,
      ),
    ).toBe(95);
  });

  it('Student t 0.975 quantiles match the published table and the normal limit', () => {
    expect(tCritical975(1)).toBeCloseTo(12.7062, 4);
    expect(tCritical975(10)).toBeCloseTo(2.2281, 4);
    expect(tCritical975(40)).toBeCloseTo(2.0211, 4);
    expect(tCritical975(100)).toBeCloseTo(1.98397, 4);
    expect(tCritical975(1e6)).toBeCloseTo(1.95996, 4);
    expect(tCritical975(0)).toBeNaN();
  });

  it('t-based ci95 of a mean', () => {
    const [lo, hi] = ci95([1, 2, 3, 4, 5]) as [number, number];
    const half = (2.776445105 * Math.sqrt(2.5)) / Math.sqrt(5);
    expect(lo).toBeCloseTo(3 - half, 9);
    expect(hi).toBeCloseTo(3 + half, 9);
    expect(ci95([7])).toBeUndefined();
  });

  it('paired difference is the ci95 of b - a', () => {
    const d = pairedDifference([1, 2, 3], [2, 4, 6]);
    expect(d.meanDiff).toBe(2);
    expect(d.n).toBe(3);
    const half = 4.30265273 / Math.sqrt(3);
    expect(d.ci95?.[0]).toBeCloseTo(2 - half, 9);
    expect(d.ci95?.[1]).toBeCloseTo(2 + half, 9);
    expect(() => pairedDifference([1, 2], [1])).toThrow(RangeError);
  });

  it('Welch interval equals the pooled t interval for equal n and variances (df = 4)', () => {
    const d = unpairedDifference([1, 2, 3], [4, 5, 6]);
    expect(d.meanDiff).toBe(3);
    const half = 2.776445105 * Math.sqrt(2 / 3);
    expect(d.ci95?.[0]).toBeCloseTo(3 - half, 9);
    expect(d.ci95?.[1]).toBeCloseTo(3 + half, 9);
  });

  it('pairing removes a shared per-replication effect that Welch cannot', () => {
    const shared = [10, 50, 20, 80, 30, 60];
    const a = shared.map((x) => x + 1);
    const b = shared.map((x, i) => x + 6 + (i % 2 === 0 ? 0.5 : -0.5));
    const p = pairedDifference(a, b);
    const u = unpairedDifference(a, b);
    const width = (ci: [number, number] | undefined): number =>
      (ci as [number, number])[1] - (ci as [number, number])[0];
    expect(p.meanDiff).toBeCloseTo(5, 12);
    expect(width(u.ci95) / width(p.ci95)).toBeGreaterThan(20);
  });
});
