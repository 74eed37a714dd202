import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkInvariants } from '../../../src/mc/measure/invariants.ts';
import { McModel } from '../../../src/mc/world/model.ts';
import { buildModelConfig } from '../../../src/scenario/build.ts';
import { validate } from '../../../src/scenario/load.ts';
import { scenarioDocument } from '../../properties/arbitrary-scenario.ts';

const RUNS = Math.max(100, Math.floor(Number(process.env.MCSIM_PROPERTY_RUNS ?? 1000) / 4));

/** Radio state for every access: short timers so that UEs fall idle between the scenario's actions. */
const radio = fc.record({
  inactivity: fc.constantFrom('50ms', '500ms', '5s'),
  pagingCycle: fc.constantFrom('0.32s', '0.64s', '1.28s', '2.56s'),
  setup: fc.constantFrom('20ms', '100ms', { uniform: ['100ms', '260ms'] }),
  resume: fc.constantFrom(undefined, '10ms'),
});

describe('random valid scenarios with radio state (fast-check)', () => {
  it(`never crash, end every procedure with one outcome and satisfy the invariants (${RUNS} cases)`, () => {
    fc.assert(
      fc.property(scenarioDocument, radio, fc.integer({ min: 1, max: 1_000_000 }), (doc, rrc, seed) => {
        const d = doc as { topology: { defaults?: Record<string, unknown> } };
        const clean = Object.fromEntries(Object.entries(rrc).filter(([, v]) => v !== undefined));
        d.topology.defaults = { ...d.topology.defaults, rrc: clean };
        const model = new McModel(buildModelConfig(validate('property.yaml', d)), {
          seed,
          replication: 0,
          maxEvents: 2_000_000,
        });
        expect(model.run().stop).toBe('empty');
        expect(checkInvariants(model)).toEqual([]);
      }),
      { numRuns: RUNS, seed: 20261207 },
    );
  });
});
