import { describe, expect, it } from 'vitest';
import {
  ReplicationRun,
  runReplication,
  runReplicationAsync,
  SLICE_EVENTS,
  type CutReason,
} from '../../src/experiment/replication.ts';
import type { ModelConfig } from '../../src/mc/config.ts';
import { McModel } from '../../src/mc/world/model.ts';
import { loadScenario } from '../../src/scenario/load.ts';

// One replication of some 1.7 million events: a hundred slices and more.
const LONG = loadScenario('test/fixtures/long-replication.yaml', {
  'timeline[0].privateCallLoad.duration': '2min',
}).variants[0]?.model as ModelConfig;

/** The same replication run in one go, as McModel.run does, with its samples. */
function unsliced(config: ModelConfig, seed: number) {
  const samples: number[] = [];
  const model = new McModel(config, {
    seed,
    replication: 0,
    onSample: (metric, latency, outcome) => {
      if (metric === 'private_call.setup' && outcome === 'success') samples.push(latency);
    },
  });
  const outcome = model.run();
  return { samples, events: outcome.events, messages: model.net.counters.messages };
}

describe('a replication run in steps', () => {
  it('runs in slices of SLICE_EVENTS events, with the result of one run in one go', () => {
    const run = new ReplicationRun(LONG, 3, 0);
    let steps = 0;
    while (!run.step()) steps++;
    const sliced = run.data();
    const whole = unsliced(LONG, 3);
    expect(sliced.counters.events).toBe(whole.events);
    expect(steps).toBeGreaterThanOrEqual(Math.floor(whole.events / SLICE_EVENTS));
    expect(sliced.samples.get('private_call.setup')).toEqual(whole.samples);
    expect(sliced.counters.messages).toBe(whole.messages);
    expect(sliced).toMatchObject({ complete: true });
    expect(sliced.cut).toBeUndefined();
  });

  it('awaits the pause between steps, never inside one, and gives the same data', async () => {
    let pauses = 0;
    const data = await runReplicationAsync(LONG, 3, 0, {}, async () => void pauses++);
    expect(data.counters.events).toBe(runReplication(LONG, 3, 0).counters.events);
    expect(pauses).toBeGreaterThanOrEqual(Math.floor(data.counters.events / SLICE_EVENTS));
  });

  it('is cut where shouldCut first says so, keeping what it measured, marked with the reason', () => {
    let asked = 0;
    const shouldCut = (): CutReason | undefined => (++asked > 40 ? 'interrupted' : undefined);
    const data = runReplication(LONG, 3, 0, { shouldCut });
    expect(data).toMatchObject({ complete: false, cut: 'interrupted' });
    // The first step built the model (2,000 users: one batch) and ran the first slice; 40 slices in all.
    expect(data.counters.events).toBe(40 * SLICE_EVENTS);
    const whole = unsliced(LONG, 3).samples;
    const kept = data.samples.get('private_call.setup') ?? [];
    expect(kept.length).toBeGreaterThan(0);
    expect(kept).toEqual(whole.slice(0, kept.length));
  });

  it('cut while its model is built, has run no event', () => {
    const data = runReplication(LONG, 3, 0, { shouldCut: () => 'terminated' });
    expect(data).toMatchObject({ complete: false, cut: 'terminated', counters: { events: 0 } });
  });

  it('stops at its event ceiling as before, marked max-events, whatever the slice size', () => {
    for (const maxEvents of [10, SLICE_EVENTS, SLICE_EVENTS + 1, 3 * SLICE_EVENTS + 7]) {
      const data = runReplication(LONG, 3, 0, { maxEvents });
      expect(data).toMatchObject({ complete: false, cut: 'max-events', counters: { events: maxEvents } });
    }
  });

  it('after a memory cut, reports what the model held', () => {
    let asked = 0;
    const data = runReplication(LONG, 3, 0, { shouldCut: () => (++asked > 20 ? 'memory' : undefined) });
    expect(data.cut).toBe('memory');
    expect(data.census?.calls).toBeGreaterThan(0);
    expect(data.census?.events).toBeGreaterThan(0);
    expect(data.census?.jobs).toBeGreaterThanOrEqual(0);
    expect(data.census?.samples).toBe(data.samples.get('private_call.setup')?.length);
  });
});
