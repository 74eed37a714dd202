import { describe, expect, it } from 'vitest';
import { samplesOf, simulate, steps } from './harness.ts';

// Found by random scenarios (seed 822): a UE left its group to migrate home, and its
// de-affiliation was held up by a loss burst. Group call load kept picking it; each press sent
// a group call request to the old server, which still held the affiliation and answered
// "joined". One such answer, held up too, arrived after the UE had affiliated at home and put
// it back into a call the controlling server had released meanwhile: a half-open call.
const scenario = (timeline: string) => `
topology:
  defaults:
    access: { latency: 1ms }
    core: { latency: 1ms }
    interconnect: { latency: 1ms }
  systems: { A: {} }
population:
  groups: [{ id: g, home: A }]
  users: [{ name: u0, primary: A, groups: [g] }, { name: u1, primary: A, groups: [g] }]
timeline:
${timeline}
`;

const setups = (model: Parameters<typeof samplesOf>[0]) => samplesOf(model, 'group_call.setup').map((s) => s.outcome);

describe('a press on a group the UE is not affiliated to (23.379 10.6.2.3.1.1.2 pre-condition)', () => {
  it('sends nothing and ends not-affiliated', () => {
    const { model, hops } = simulate(
      scenario(`  - { at: 1s, deaffiliate: { user: u0, group: g } }
  - { at: 2s, groupCall: { from: u0, group: g, holdFor: 1s } }`),
    );
    expect(steps(hops).filter((s) => s.startsWith('u0 ->'))).toEqual(['u0 -> serverA: GroupDeaffiliationRequest']);
    expect(setups(model)).toEqual(['not-affiliated']);
    expect(model.client('u0').groups.inCall.size).toBe(0);
  });

  it('sends nothing while the de-affiliation is still on its way', () => {
    // The de-affiliation leaves at 1 s and reaches serverA after 1 ms: the press comes between.
    const { model, hops } = simulate(
      scenario(`  - { at: 1s, deaffiliate: { user: u0, group: g } }
  - { at: 1000.5ms, groupCall: { from: u0, group: g, holdFor: 1s } }`),
    );
    expect(hops.filter((h) => h.from === 'u0' && h.type === 'GroupCallRequest')).toEqual([]);
    expect(setups(model)).toEqual(['not-affiliated']);
  });

  it('calls the group again once affiliated again', () => {
    const { model } = simulate(
      scenario(`  - { at: 1s, deaffiliate: { user: u0, group: g } }
  - { at: 2s, affiliate: { user: u0, group: g } }
  - { at: 3s, groupCall: { from: u0, group: g, holdFor: 1s } }`),
    );
    expect(setups(model)).toEqual(['success']);
  });
});
