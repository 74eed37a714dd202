import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CATEGORIES, CriticalPath, newTally } from '../../src/mc/measure/critical-path.ts';
import { McModel } from '../../src/mc/world/model.ts';
import { STEP_LABELS } from '../../src/mc/protocol/steps.ts';
import { buildModelConfig } from '../../src/scenario/build.ts';
import { validate } from '../../src/scenario/load.ts';
import { scenarioDocument } from './arbitrary-scenario.ts';

/** Cases per property in the normal test run; nightly runs raise it with MCSIM_PROPERTY_RUNS. */
const RUNS = Number(process.env.MCSIM_PROPERTY_RUNS ?? 1000);

/**
 * What the scenario generator leaves out, so that every kind of stretch turns up: bandwidth (time
 * on the wire and waiting for it), loss on the interconnect (retransmission), a crowded KMS
 * (queueing), manual answers (a person's delay) and radio state (paging and set-up).
 */
const extras = fc.record({
  bandwidth: fc.constantFrom(undefined, '64kbps', '2Mbps'),
  loss: fc.constantFrom(0, 0.05, 0.2),
  kmsWorkers: fc.constantFrom(1, 8),
  rrc: fc.constantFrom(undefined, { inactivity: '500ms', pagingCycle: '0.32s' }),
});

interface Doc {
  topology: { defaults: Record<string, Record<string, unknown> | undefined> };
}

describe('the breakdown of random scenarios (fast-check)', () => {
  /** Every category some sample of some case spent time in. */
  const seen = new Set<string>();

  it(`splits every successful sample into parts that add up to its latency, to the microsecond (${RUNS} cases)`, () => {
    fc.assert(
      fc.property(scenarioDocument, extras, fc.integer({ min: 1, max: 1_000_000 }), (doc, x, seed) => {
        const d = doc as Doc;
        const defaults = d.topology.defaults;
        if (x.bandwidth !== undefined) defaults.access = { ...defaults.access, bandwidth: x.bandwidth };
        defaults.interconnect = { ...defaults.interconnect, loss: x.loss };
        defaults.processing = {
          ...defaults.processing,
          kms: { default: { uniform: ['5ms', '40ms'] }, workers: x.kmsWorkers },
        };
        if (x.rrc !== undefined) defaults.rrc = x.rrc;
        const model = new McModel(buildModelConfig(validate('property.yaml', d)), {
          seed,
          replication: 0,
          maxEvents: 2_000_000,
          breakdown: true,
        });
        const path = new CriticalPath();
        let checked = 0;
        // Each sample's own walk, as the model's tally makes it, checked on its own.
        const add = model.breakdowns?.add.bind(model.breakdowns);
        (model.breakdowns as { add: typeof add }).add = (metric, cause, start, end) => {
          const tally = newTally();
          path.walk(cause, start, end, tally);
          const categories = [...tally.categories];
          const steps = [...tally.steps];
          expect(categories.every((us) => us >= 0 && Number.isInteger(us))).toBe(true);
          expect(categories.reduce((s, us) => s + us, 0)).toBe(end - start);
          expect(steps.reduce((s, us) => s + us, 0)).toBe(end - start);
          expect(categories).toHaveLength(CATEGORIES.length);
          expect(steps).toHaveLength(STEP_LABELS.length);
          checked++;
          add?.(metric, cause, start, end);
        };
        expect(model.run().stop).toBe('empty');
        // The model's totals are the sums of the samples' latencies, metric by metric.
        const latency = new Map<string, number>();
        const successes = model.recorder.samples.filter((s) => s.outcome === 'success');
        for (const s of successes) latency.set(s.metric, (latency.get(s.metric) ?? 0) + s.end - s.start);
        for (const [metric, tally] of model.breakdowns?.byMetric ?? []) {
          expect(tally.categories.reduce((s, us) => s + us, 0)).toBe(latency.get(metric));
          tally.categories.forEach((us, i) => {
            if (us > 0) seen.add(CATEGORIES[i] as string);
          });
        }
        expect(checked).toBe(successes.length);
      }),
      { numRuns: RUNS, seed: 20261208 },
    );
    // The cases reach every kind of stretch but the rare ones (a CMS or IdMS made to queue).
    const rare = ['queue.idms', 'queue.cms', 'queue.gateway'];
    expect(CATEGORIES.filter((c) => !seen.has(c) && !rare.includes(c))).toEqual([]);
  });
});
