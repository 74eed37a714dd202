import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkInvariants } from '../../src/mc/measure/invariants.ts';
import { McModel } from '../../src/mc/world/model.ts';
import { buildModelConfig } from '../../src/scenario/build.ts';
import { validate } from '../../src/scenario/load.ts';
import { scenarioDocument } from './arbitrary-scenario.ts';

/** Cases per property in the normal test run; `npm run test:deep` raises it with MCSIM_PROPERTY_RUNS. */
const RUNS = Number(process.env.MCSIM_PROPERTY_RUNS ?? 1000);
/** A case takes some 2-5 ms on a loaded 2-core machine; a deep run gets the time its count needs. */
const TIMEOUT_MS = Math.max(60_000, RUNS * 20);

function run(doc: unknown, seed: number) {
  const model = new McModel(buildModelConfig(validate('property.yaml', doc)), {
    seed,
    replication: 0,
    maxEvents: 2_000_000,
  });
  const outcome = model.run();
  return { model, outcome };
}

describe('random valid scenarios (fast-check)', () => {
  it(
    `never crash, end every procedure with one outcome and satisfy the invariants (${RUNS} cases)`,
    () => {
      fc.assert(
        fc.property(scenarioDocument, fc.integer({ min: 1, max: 1_000_000 }), (doc, seed) => {
          const { model, outcome } = run(doc, seed);
          expect(outcome.stop).toBe('empty');
          expect(checkInvariants(model)).toEqual([]);
        }),
        { numRuns: RUNS, seed: 20261121 },
      );
    },
    TIMEOUT_MS,
  );

  it(
    'are deterministic per seed: the same scenario and seed give the same samples and counters',
    () => {
      fc.assert(
        fc.property(scenarioDocument, fc.integer({ min: 1, max: 1_000_000 }), (doc, seed) => {
          const a = run(doc, seed).model;
          const b = run(doc, seed).model;
          expect(b.recorder.samples).toEqual(a.recorder.samples);
          expect(b.net.counters).toEqual(a.net.counters);
          expect(b.sim.eventsRun).toBe(a.sim.eventsRun);
        }),
        { numRuns: Math.max(50, Math.floor(RUNS / 10)), seed: 20261122 },
      );
    },
    TIMEOUT_MS,
  );
});
