import { describe, expect, it } from 'vitest';
import type { ModelConfig } from '../../../src/mc/config.ts';
import { McModel } from '../../../src/mc/world/model.ts';
import { loadScenario } from '../../../src/scenario/load.ts';

// 2,000 users making calls for ten simulated seconds; groups of 100 members dealt from them.
const CONFIG = loadScenario('test/fixtures/long-replication.yaml', {
  'timeline[0].privateCallLoad.duration': '10s',
  'population.groups': [{ id: 'ops', home: 'A' }],
  'population.generate[0].groups': ['ops'],
}).variants[0]?.model as ModelConfig;

function samplesOf(model: McModel): number[] {
  model.run();
  return model.recorder.samples.map((s) => s.end - s.start);
}

describe('a model built stepwise', () => {
  it('builds batch by batch: clients, then affiliations, then the timeline', () => {
    const model = new McModel(CONFIG, { seed: 5, replication: 0 }, true);
    expect(model.clients.size).toBe(0);
    expect(model.buildStep(1500)).toBe(false);
    expect(model.clients.size).toBe(1500);
    expect(model.buildStep(1500)).toBe(false);
    expect(model.clients.size).toBe(2000);
    // 500 clients and 1000 affiliations; the A users are the first thousand.
    expect(model.server('A').groups.affiliations.get(model.groupId('ops'))?.size).toBe(1000);
    expect(model.sim.pending).toBe(0);
    expect(model.buildStep(1500)).toBe(true);
    expect(model.sim.pending).toBeGreaterThan(0);
    expect(() => new McModel(CONFIG, { seed: 5, replication: 0 }, true).run()).toThrow(
      /before the stepwise build ended/,
    );
  });

  it('runs exactly as the model built at once', () => {
    const stepwise = new McModel(CONFIG, { seed: 5, replication: 0 }, true);
    while (!stepwise.buildStep(333));
    const whole = new McModel(CONFIG, { seed: 5, replication: 0 });
    const a = samplesOf(stepwise);
    expect(a.length).toBeGreaterThan(1000);
    expect(a).toEqual(samplesOf(whole));
    expect(stepwise.sim.eventsRun).toBe(whole.sim.eventsRun);
  });
});
