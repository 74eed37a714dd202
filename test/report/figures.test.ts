import { describe, expect, it } from 'vitest';
import type { MetricSummary, PointResult, RunResult, SweepAxes } from '../../src/experiment/result.ts';
import { sweepFigure, valueLabel } from '../../src/report/figures.ts';

const metric = (mean: number): MetricSummary => ({
  unit: 'ms',
  n: 10,
  mean,
  sd: 1,
  min: mean - 2,
  p50: mean,
  p90: mean + 1,
  p95: mean + 2,
  p99: mean + 2,
  max: mean + 2,
  ci95: [mean - 1, mean + 1],
  quantiles: Array.from({ length: 101 }, (_, p) => mean - 2 + (4 * p) / 100),
  breakdown: { 'link.access': mean },
  steps: { '23.379 10.7.2.2.1 PrivateCallRequest': mean },
});

/** A two-axis sweep: latency (numeric) x a distribution-valued access delay (categorical labels). */
const sweep: SweepAxes = {
  name: 'grid',
  axes: [
    { label: 'latency', paths: ['latency'], unit: 'ms', values: [['10ms'], ['40ms']] },
    { label: 'access', paths: ['access'], unit: '', values: [[{ uniform: ['5ms', '40ms'] }], ['20ms']] },
  ],
};
const point = (i: number, j: number, a: number, b: number): PointResult => ({
  sweep: 'grid',
  at: [i, j],
  params: { latency: sweep.axes[0]?.values[i]?.[0], access: sweep.axes[1]?.values[j]?.[0] },
  variants: [
    {
      name: 'uri',
      params: {},
      replications: { completed: 10, cut: 0 },
      metrics: { setup: metric(a) },
      outcomes: {},
      kpis: [],
      standard_kpis: [],
      counters: { events: 0, messages: 0, bytes: 0, lost: 0, retransmissions: 0 },
    },
    {
      name: 'same',
      params: {},
      replications: { completed: 10, cut: 0 },
      metrics: { setup: metric(a) },
      outcomes: {},
      kpis: [],
      standard_kpis: [],
      counters: { events: 0, messages: 0, bytes: 0, lost: 0, retransmissions: 0 },
    },
    {
      name: 'lookup',
      params: {},
      replications: { completed: 10, cut: 0 },
      metrics: { setup: metric(b) },
      outcomes: {},
      kpis: [],
      standard_kpis: [],
      counters: { events: 0, messages: 0, bytes: 0, lost: 0, retransmissions: 0 },
    },
  ],
  comparisons: [],
});
const result: RunResult = {
  mcsim: '0',
  schemaVersion: 2 as const,
  scenario: { name: 's', file: 's.yaml' },
  seed: 1,
  runs: 10,
  complete: true,
  stopped: null,
  replications: { planned: 120, completed: 120, cut: 0 },
  variants: [],
  comparisons: [],
  sweeps: [sweep],
  points: [point(0, 0, 100, 150), point(0, 1, 110, 160), point(1, 0, 200, 250), point(1, 1, 210, 260)],
};

describe('sweep figures', () => {
  const f = sweepFigure(result, { sweep, metric: 'setup', stat: 'p95' });

  it('x is the first axis, numeric, with its unit; the p95 is read from the stored quantiles', () => {
    expect(f.xLabel).toBe('latency (ms)');
    expect(f.xCategories).toBeUndefined();
    const uri = f.series.find((s) => s.label.startsWith('uri'));
    expect(uri?.points).toEqual([
      { x: 10, y: 101.8 },
      { x: 40, y: 201.8 },
    ]);
  });

  it('one colour per variant, one line style per value of the second axis, a legend naming both', () => {
    const lookup = f.series.filter((s) => s.label.startsWith('lookup'));
    expect(new Set(lookup.map((s) => s.color)).size).toBe(1);
    expect(lookup.map((s) => s.dash)).toEqual([undefined, '7 4']);
    expect(lookup.map((s) => s.label)).toEqual(['lookup, access={uniform: [5ms, 40ms]}', 'lookup, access=20ms']);
    expect(f.legend.map((e) => e.label)).toEqual([
      'uri',
      'same (same as uri)',
      'lookup',
      'access={uniform: [5ms, 40ms]}',
      'access=20ms',
    ]);
  });

  it('a curve identical to another says so and is dotted, so neither hides the other', () => {
    const same = f.series.filter((s) => s.label.startsWith('same'));
    expect(same.map((s) => s.dash)).toEqual(['2 3', '2 3']);
  });

  it('labels object values readably', () => {
    expect(valueLabel({ uniform: ['5ms', '40ms'] })).toBe('{uniform: [5ms, 40ms]}');
    expect(valueLabel('50/s')).toBe('50/s');
  });
});
