import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario, ScenarioError } from '../../src/scenario/load.ts';
import { pointsOf, sweepDefs, SweepRangeSchema, sweepValues } from '../../src/scenario/sweep.ts';
import { tempDir } from '../fixtures/temp-dir.ts';

const FIXTURE = 'test/fixtures/migrated-call.yaml';

function withSweep(sweepYaml: string): string {
  const dir = tempDir('sweep');
  const file = join(dir, 'sweep.yaml');
  const text = `name: s
topology: { systems: { A: {}, B: {} }, interconnects: [{ between: [A, B] }] }
population: { users: [{ name: alice, primary: A }, { name: bob, primary: A, serving: B }] }
timeline: [{ at: 0ms, privateCall: { from: alice, to: bob } }]
experiment:
  runs: 2
  variants: [{ name: one }, { name: two, set: { security.e2ee: true } }]
  sweep:
${sweepYaml}
`;
  writeFileSync(file, text);
  return file;
}

describe('sweep ranges and points', () => {
  it('expands duration ranges inclusively, with units', () => {
    expect(sweepValues({ from: '10ms', to: '50ms', step: '20ms' })).toEqual(['10ms', '30ms', '50ms']);
    expect(sweepValues({ from: '500us', to: '2ms', step: '500us' })).toEqual(['500us', '1ms', '1500us', '2ms']);
    expect(sweepValues({ from: '10ms', to: '45ms', step: '20ms' })).toEqual(['10ms', '30ms']);
  });

  it('expands number ranges without float drift', () => {
    expect(sweepValues({ from: 0, to: 0.3, step: 0.1 })).toEqual([0, 0.1, 0.2, 0.3]);
    expect(sweepValues([true, false])).toEqual([true, false]);
  });

  it('refuses mixed kinds, a non-positive step and a reversed range', () => {
    expect(SweepRangeSchema.safeParse({ from: '10ms', to: 20, step: '1ms' }).success).toBe(false);
    expect(SweepRangeSchema.safeParse({ from: '10ms', to: '20ms', step: '0ms' }).success).toBe(false);
    expect(SweepRangeSchema.safeParse({ from: 5, to: 1, step: 1 }).success).toBe(false);
    expect(SweepRangeSchema.safeParse({ from: 1, to: 1e9, step: 1 }).success).toBe(false);
  });

  it('builds the cartesian product, first parameter slowest, each point knowing its place on every axis', () => {
    const [def] = sweepDefs({ sweep: { a: [1, 2], b: ['x', 'y'] } });
    expect(def?.name).toBe('sweep');
    expect(pointsOf(def as NonNullable<typeof def>).map((p) => [p.params, p.at])).toEqual([
      [{ a: 1, b: 'x' }, [0, 0]],
      [{ a: 1, b: 'y' }, [0, 1]],
      [{ a: 2, b: 'x' }, [1, 0]],
      [{ a: 2, b: 'y' }, [1, 1]],
    ]);
    expect(sweepDefs(undefined)).toEqual([]);
  });
});

describe('loading a scenario with a sweep', () => {
  it('applies each point to every variant', () => {
    const l = loadScenario(withSweep('    topology.interconnects[0].latency: [10ms, 40ms]'));
    expect(l.sweeps.map((d) => d.axes.map((a) => a.paths))).toEqual([[['topology.interconnects[0].latency']]]);
    expect(l.points.map((p) => p.params)).toEqual([
      { 'topology.interconnects[0].latency': '10ms' },
      { 'topology.interconnects[0].latency': '40ms' },
    ]);
    for (const p of l.points) {
      expect(p.variants.map((v) => v.name)).toEqual(['one', 'two']);
      for (const v of p.variants)
        expect(v.scenario.topology.interconnects?.[0]?.latency).toBe(p.params['topology.interconnects[0].latency']);
    }
    expect(l.points[1]?.variants[1]?.scenario.security?.e2ee).toBe(true);
  });

  it('names an unknown sweep path with the keys that exist', () => {
    const file = withSweep('    topology.interconnects[0].latencyy: [10ms]');
    expect(() => loadScenario(file)).toThrow(
      /experiment\.sweep\["topology\.interconnects\[0\]\.latencyy"\]: unknown key "latencyy"/,
    );
  });

  it('names the point and variant of a value the schema refuses', () => {
    const file = withSweep('    topology.interconnects[0].latency: [10ms, 10]');
    let err: unknown;
    try {
      loadScenario(file);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ScenarioError);
    expect((err as Error).message).toMatch(
      /topology\.interconnects\[0\]\.latency: expected a duration with a unit .* sweep point topology\.interconnects\[0\]\.latency=10\)/,
    );
  });

  it('a scenario without a sweep has no points', () => {
    expect(loadScenario(FIXTURE).points).toEqual([]);
  });
});
