import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runExperiment } from '../../src/experiment/experiment.ts';
import { loadScenario, ScenarioError } from '../../src/scenario/load.ts';
import { sweepValues } from '../../src/scenario/sweep.ts';
import { tempDir } from '../fixtures/temp-dir.ts';

const BASE = `name: load
topology:
  defaults:
    access: { latency: 10ms }
    core: { latency: 2ms }
    interconnect: { latency: 10ms }
    processing: { client: { default: 5ms }, server: { default: 2ms, workers: 1, byKind: { background: 2ms } } }
  systems: { A: {}, B: {}, C: {} }
  interconnects: [{ between: [A, B] }, { between: [A, C] }, { between: [B, C] }]
population:
  users: [{ name: alice, primary: A }, { name: bob, primary: B }]
timeline: [{ at: 100ms, privateCall: { from: alice, to: bob } }]
`;

function write(experiment: string): string {
  const file = join(tempDir('named-sweeps'), 'load.yaml');
  writeFileSync(file, `${BASE}${experiment}`);
  return file;
}

const ZIPPED = `experiment:
  runs: 30
  until: 2s
  sweeps:
    background:
      label: background load of every server
      zip:
        topology.systems.A.background.server: { from: 0/s, to: 400/s, step: 200/s }
        topology.systems.B.background.server: { from: 0/s, to: 400/s, step: 200/s }
        topology.systems.C.background.server: [0/s, 200/s, 400/s]
`;

describe('named sweeps', () => {
  it('rate ranges include 0/s and come back as rates', () => {
    expect(sweepValues({ from: '0/s', to: '300/s', step: '100/s' })).toEqual(['0/s', '100/s', '200/s', '300/s']);
  });

  it('a zipped sweep moves its parameters together: one axis of three points, 0/s accepted', () => {
    const l = loadScenario(write(ZIPPED));
    expect(l.sweeps.map((s) => [s.name, s.axes.map((a) => a.label)])).toEqual([
      ['background', ['background load of every server']],
    ]);
    expect(l.points.map((p) => [p.at, Object.values(p.params)])).toEqual([
      [[0], ['0/s', '0/s', '0/s']],
      [[1], ['200/s', '200/s', '200/s']],
      [[2], ['400/s', '400/s', '400/s']],
    ]);
    const result = runExperiment(l);
    expect(result.sweeps?.[0]?.axes[0]).toMatchObject({ unit: '/s', paths: Object.keys(l.points[0]?.params ?? {}) });
    const setup = result.points?.map((p) => p.variants[0]?.metrics['private_call.setup']?.mean as number) ?? [];
    // Constant delays and no background jobs at 0/s: every replication takes the same time.
    expect(result.points?.[0]?.variants[0]?.metrics['private_call.setup']?.sd).toBe(0);
    // The servers of all three systems busier together: the set-up waits longer for them.
    expect(setup[1]).toBeGreaterThan(setup[0] as number);
    expect(setup[2]).toBeGreaterThan(setup[1] as number);
  });

  it('topology.defaults.background loads every system that sets none of its own', () => {
    const l = loadScenario(write(`experiment: { runs: 2, until: 1s }\n`.replace('experiment:', 'experiment:')), {
      'topology.defaults.background': { server: '100/s' },
      'topology.systems.C.background': { server: '0/s' },
    });
    const bg = l.variants[0]?.model.background.map((b) => [b.system, b.role, b.rate]);
    expect(bg).toEqual([
      ['A', 'server', 100],
      ['B', 'server', 100],
      ['C', 'server', 0],
    ]);
  });

  it('vary and zip together: the zipped axis is one more axis of the cartesian product', () => {
    const l = loadScenario(
      write(`experiment:
  sweeps:
    grid:
      vary: { topology.defaults.interconnect.latency: [10ms, 20ms] }
      zip: { topology.systems.A.access.latency: [1ms, 2ms, 3ms], topology.systems.B.access.latency: [4ms, 5ms, 6ms] }
`),
    );
    expect(l.points.map((p) => p.at)).toEqual([
      [0, 0],
      [0, 1],
      [0, 2],
      [1, 0],
      [1, 1],
      [1, 2],
    ]);
    expect(l.points[4]?.params).toEqual({
      'topology.defaults.interconnect.latency': '20ms',
      'topology.systems.A.access.latency': '2ms',
      'topology.systems.B.access.latency': '5ms',
    });
  });

  it('refuses zipped lists of different lengths, an unknown path, and a sweep named "sweep" beside experiment.sweep', () => {
    const fails = (experiment: string): string => {
      try {
        loadScenario(write(experiment));
      } catch (e) {
        if (e instanceof ScenarioError) return e.message;
        throw e;
      }
      throw new Error('loaded');
    };
    expect(
      fails(
        `experiment:\n  sweeps: { s: { zip: { topology.defaults.core.latency: [1ms, 2ms], topology.defaults.access.latency: [1ms] } } }\n`,
      ),
    ).toMatch(
      /experiment\.sweeps: sweep "s": zipped topology\.defaults\.access\.latency has 1 values, topology\.defaults\.core\.latency has 2/,
    );
    expect(fails(`experiment:\n  sweeps: { s: { vary: { topology.defaults.core.latncy: [1ms] } } }\n`)).toMatch(
      /experiment\.sweeps\.s\.vary\["topology\.defaults\.core\.latncy"\]: unknown key "latncy"/,
    );
    expect(
      fails(
        `experiment:\n  sweep: { topology.defaults.core.latency: [1ms] }\n  sweeps: { sweep: { vary: { topology.defaults.access.latency: [1ms] } } }\n`,
      ),
    ).toMatch(/experiment\.sweeps\.sweep: the name "sweep" is taken by experiment\.sweep/);
    expect(fails(`experiment:\n  sweeps: { s: {} }\n`)).toMatch(
      /experiment\.sweeps\.s: expected parameters in vary or zip/,
    );
  });
});
