import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import { describe, expect, it } from 'vitest';
import type { ModelConfig } from '../../../src/mc/config.ts';
import { estimateFootprint, HEAP_BYTES, largestHolding } from '../../../src/mc/measure/footprint.ts';
import { McModel } from '../../../src/mc/world/model.ts';
import { loadScenario } from '../../../src/scenario/load.ts';

const FIXTURE = 'test/fixtures/long-replication.yaml';
const config = (overrides: Record<string, unknown>): ModelConfig =>
  loadScenario(FIXTURE, overrides).variants[0]?.model as ModelConfig;

describe('the footprint estimate', () => {
  it("holds rate x mean holding time calls (Little's law) and one sample per call", () => {
    // 300 calls/s for 2 h held exponential(90 s): 27,000 held, 2,160,000 calls.
    const f = estimateFootprint(config({}));
    expect(f).toEqual({
      users: 2000,
      calls: 27_000,
      samples: 2_160_000,
      bytes: 2000 * HEAP_BYTES.user + 27_000 * HEAP_BYTES.call + 2_160_000 * HEAP_BYTES.sample,
    });
  });

  it('holds every call of a load without holding time until the run ends, or `until`', () => {
    const held = config({ 'timeline[0].privateCallLoad.hangUpAfter': undefined });
    expect(estimateFootprint(held).calls).toBe(300 * 7200);
    expect(estimateFootprint(held, 60e6).calls).toBe(300 * 60);
    expect(estimateFootprint(held, 60e6).samples).toBe(300 * 60);
  });

  it('is within a factor of two of the heap a replication holds', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const used = (): number => {
      gc();
      gc();
      return process.memoryUsage().heapUsed;
    };
    // 20,000 users, calls held to the end: 300/s for 20 s.
    const c = config({
      'population.generate[0].count': 10_000,
      'population.generate[1].count': 10_000,
      'timeline[0].privateCallLoad.hangUpAfter': undefined,
      'timeline[0].privateCallLoad.duration': '20s',
    });
    const before = used();
    const model = new McModel(c, { seed: 1, replication: 0, onSample: () => undefined });
    model.run();
    const grown = used() - before;
    const estimate = estimateFootprint(c);
    expect(model.heldCalls()).toBeGreaterThan(0.9 * estimate.calls);
    expect(grown).toBeGreaterThan(estimate.bytes / 2);
    expect(grown).toBeLessThan(estimate.bytes * 2);
  });

  it('names the holding that takes the most heap', () => {
    expect(largestHolding({ calls: 1000, jobs: 100, events: 2000, samples: 5000 }).what).toBe('calls');
    expect(largestHolding({ calls: 1000, jobs: 10_000, events: 2000, samples: 5000 }).what).toBe('jobs');
    expect(largestHolding({ calls: 10, jobs: 0, events: 2000, samples: 5_000_000 }).what).toBe('samples');
  });

  it("counts a saturated server's backlog: messages queued for its worker", () => {
    // 20,000 calls/s into servers of one worker each: their queues grow.
    const c = config({ 'timeline[0].privateCallLoad.rate': '20000/s' });
    const model = new McModel(c, { seed: 1, replication: 0, onSample: () => undefined });
    model.sim.run({ until: 2e6 });
    const servers = [...model.servers.values()].reduce((n, s) => n + s.node.queueLength, 0);
    expect(servers).toBeGreaterThan(10_000);
    expect(model.queuedJobs()).toBeGreaterThanOrEqual(servers);
  });
});
