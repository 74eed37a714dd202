import { describe, expect, it } from 'vitest';
import { runExperiment, selectVariants, UnknownVariantError } from '../../src/experiment/experiment.ts';
import { runReplication } from '../../src/experiment/replication.ts';
import { loadScenario } from '../../src/scenario/load.ts';

const FIXTURE = 'test/fixtures/migrated-call.yaml';

describe('replications', () => {
  it('are a pure function of (model, seed, replication index)', () => {
    const model = (loadScenario(FIXTURE).variants[1] as { model: Parameters<typeof runReplication>[0] }).model;
    const a = runReplication(model, 7, 3);
    const b = runReplication(model, 7, 3);
    const c = runReplication(model, 7, 4);
    expect([...a.samples]).toEqual([...b.samples]);
    expect([...a.samples]).not.toEqual([...c.samples]);
    expect(a.counters).toEqual(b.counters);
  });

  it('merge to the same result in any order: replication r of a run equals running r alone', () => {
    const loaded = loadScenario(FIXTURE);
    const whole = runExperiment(loaded, { runs: 4, variants: ['kms-lookup'] });
    const v = loaded.variants[1];
    const alone = [0, 1, 2, 3]
      .reverse()
      .map((r) => runReplication(v?.model as never, 7, r).samples.get('private_call.setup')?.[0] as number);
    const mean = alone.reduce((s, x) => s + x, 0) / alone.length / 1000;
    expect(whole.variants[0]?.metrics['private_call.setup']?.mean).toBeCloseTo(mean, 6);
  });
});

describe('runExperiment', () => {
  it('shares random streams across variants replication by replication (common random numbers)', () => {
    const result = runExperiment(loadScenario(FIXTURE), { runs: 10 });
    // The redirection happens before the variants differ: with CRN every replication matches exactly.
    const redirection = result.comparisons.find((c) => c.metric === 'private_call.redirection');
    expect(redirection).toMatchObject({ mean_diff: 0, ci95: [0, 0], significant: false, n: 10 });
    expect(redirection?.unpaired_ci95?.[1]).toBeGreaterThan(0);
    const setup = result.comparisons.find((c) => c.metric === 'private_call.setup');
    expect(setup?.a).toBe('kms-uri-in-redirection');
    expect(setup?.b).toBe('kms-lookup');
    expect(setup?.significant).toBe(true);
  });

  it('runs only the selected variants, in the order asked, and refuses unknown ones', () => {
    const loaded = loadScenario(FIXTURE);
    expect(
      runExperiment(loaded, { runs: 1, variants: ['kms-lookup', 'kms-uri-in-redirection'] }).variants.map(
        (v) => v.name,
      ),
    ).toEqual(['kms-lookup', 'kms-uri-in-redirection']);
    expect(() => selectVariants(loaded, ['nope'])).toThrow(UnknownVariantError);
  });

  it('runs every sweep point, reports them in points and reports progress over all of them', () => {
    const loaded = loadScenario(FIXTURE, {
      'experiment.sweep': { 'topology.interconnects[0].latency': ['10ms', '20ms'] },
    });
    const seen: number[] = [];
    const result = runExperiment(loaded, { runs: 2, onProgress: (done, total) => seen.push(done / total) });
    expect(result.variants).toEqual([]);
    expect(result.points?.map((p) => p.params)).toEqual([
      { 'topology.interconnects[0].latency': '10ms' },
      { 'topology.interconnects[0].latency': '20ms' },
    ]);
    expect(result.points?.[0]?.variants.map((v) => v.name)).toEqual(['kms-uri-in-redirection', 'kms-lookup']);
    expect(seen).toHaveLength(8);
    expect(seen.at(-1)).toBe(1);
  });

  it('a scenario without a sweep keeps the plain result shape', () => {
    const result = runExperiment(loadScenario(FIXTURE), { runs: 1 });
    expect('points' in result).toBe(false);
  });
});
