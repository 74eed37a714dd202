import { describe, expect, it } from 'vitest';
import { assemble } from '../../src/experiment/assemble.ts';
import { runExperiment } from '../../src/experiment/experiment.ts';
import { runExperimentAsync } from '../../src/experiment/parallel.ts';
import { loadScenario } from '../../src/scenario/load.ts';

const FIXTURE = 'test/fixtures/migrated-call.yaml';
const SWEEP = { 'experiment.sweep': { 'topology.interconnects[0].latency': ['10ms', '30ms'] } };
const now = (): number => performance.now();

describe('runExperimentAsync', () => {
  it('on worker threads gives byte-identical JSON to the serial run, sweeps included', async () => {
    for (const loaded of [loadScenario(FIXTURE), loadScenario(FIXTURE, SWEEP)]) {
      const serial = JSON.stringify(runExperiment(loaded, { runs: 12 }));
      const run = await runExperimentAsync(loaded, { runs: 12, workers: 2, now, parallelThresholdMs: 0 });
      expect(run.workers).toBe(2);
      expect(JSON.stringify(assemble(run.plan.spec, run.grid))).toBe(serial);
    }
  });

  it('stays in this thread when the work is estimated short, with the same result', async () => {
    const loaded = loadScenario(FIXTURE);
    const run = await runExperimentAsync(loaded, { runs: 3, workers: 2, now });
    expect(run.workers).toBe(0);
    expect(JSON.stringify(assemble(run.plan.spec, run.grid))).toBe(JSON.stringify(runExperiment(loaded, { runs: 3 })));
  });

  it('an aborted run keeps the replications done, paired across variants, and says complete: false', async () => {
    const loaded = loadScenario(FIXTURE);
    const controller = new AbortController();
    let seen = 0;
    const run = await runExperimentAsync(loaded, {
      runs: 50,
      workers: 1,
      signal: controller.signal,
      onProgress: () => {
        if (++seen === 7) controller.abort();
      },
    });
    expect(run.stopped).toBe('interrupted');
    const result = assemble(run.plan.spec, run.grid);
    expect(result.complete).toBe(false);
    // 7 tasks: replications 0-6 of the first variant, none of the second: nothing is paired.
    expect(result.variants[0]?.metrics['private_call.setup']).toBeUndefined();
    expect(result.comparisons).toEqual([]);
  });

  it('an abort during the worker phase terminates the workers and returns what arrived', async () => {
    const loaded = loadScenario(FIXTURE);
    const controller = new AbortController();
    let seen = 0;
    const run = await runExperimentAsync(loaded, {
      runs: 400,
      workers: 2,
      now,
      parallelThresholdMs: 0,
      signal: controller.signal,
      onProgress: () => {
        if (++seen === 20) controller.abort();
      },
    });
    expect(run.stopped).toBe('interrupted');
    expect(run.workers).toBe(2);
    expect(assemble(run.plan.spec, run.grid).complete).toBe(false);
  });

  it('the event ceiling stops a replication and flags it, without losing its samples', async () => {
    const loaded = loadScenario(FIXTURE);
    const run = await runExperimentAsync(loaded, { runs: 2, maxEvents: 10 });
    expect(run.capped).toBe(4);
    const result = assemble(run.plan.spec, run.grid);
    expect(result.complete).toBe(false);
    expect(result.variants.map((v) => v.counters.events)).toEqual([20, 20]);
  });

  it('a spent wall-clock budget stops the run before its first replication', async () => {
    let t = 0;
    const run = await runExperimentAsync(loadScenario(FIXTURE), { runs: 5, now: () => (t += 1000), maxWallMs: 500 });
    expect(run.stopped).toBe('max-wall');
    expect(assemble(run.plan.spec, run.grid).complete).toBe(false);
  });
});
