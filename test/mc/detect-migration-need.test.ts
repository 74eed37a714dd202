import { describe, expect, it } from 'vitest';
import { constantDefaults, THREE_SYSTEMS, samplesOf, simulate, steps } from './harness.ts';

const scenario = (timeline: string[]) => `
topology:
${constantDefaults({ access: 20, inter: 15, client: 7, server: 3 })}
${THREE_SYSTEMS}
population:
  users: [{ name: alice, primary: A }, { name: bob, primary: B }]
timeline:
${timeline.map((t) => `  - ${t}`).join('\n')}
`;

const call = '{ at: 0ms, privateCall: { from: alice, to: bob } }';

describe('detectMigrationNeed (23.280 10.16.4 step 2)', () => {
  it('at a time it is the migrate action', () => {
    const a = simulate(scenario([call, '{ at: 2s, migrate: { user: alice, to: C } }']));
    const b = simulate(scenario([call, '{ at: 2s, detectMigrationNeed: { user: alice, to: C } }']));
    expect(steps(b.hops)).toEqual(steps(a.hops));
  });

  it('on access loss: the UE attaches to the new system first and releases in the old one from there', () => {
    const { hops, model } = simulate(
      scenario([
        call,
        '{ at: 0ms, detectMigrationNeed: { user: alice, to: C, on: accessLinkDown } }',
        '{ at: 2s, accessLinkDown: { user: alice } }',
      ]),
    );
    const after = hops.filter((h) => h.t >= 2_000_000);
    expect(steps(after).slice(0, 3)).toEqual([
      'alice -> serverA: MigrationIntentNotification',
      'alice -> serverA: CallEndRequest',
      'serverA -> serverB: CallEndRequest',
    ]);
    // From C: alice's access to C plus the C-A interconnect, instead of the dead access to A.
    const release = after.find((h) => h.type === 'CallEndRequest');
    expect(release ? release.arrive - release.t : NaN).toBe((20 + 15) * 1000);
    expect(model.net.counters.lost).toBe(0);
    expect(samplesOf(model, 'migration.interruption').map((s) => s.outcome)).toEqual(['success']);
    expect(
      model
        .client('bob')
        .calls.connectedLegs()
        .map((l) => l.peer),
    ).toEqual(['sip:alice.visitor@c.mcx']);
    expect(model.server('A').calls.records.size).toBe(0);
  });

  it('a dead access link loses what crosses it: a call to the user ends in timeout', () => {
    const { model, hops } = simulate(
      scenario(['{ at: 0ms, accessLinkDown: { user: alice } }', '{ at: 1s, privateCall: { from: bob, to: alice } }']),
    );
    const lost = hops.filter((h) => h.arrive < 0).map((h) => `${h.from} -> ${h.to}: ${h.type}`);
    // The request, then bob's cancel of the attempt he gave up on (SIP CANCEL).
    expect(lost).toEqual(['serverA -> alice: PrivateCallRequest', 'serverA -> alice: CallEndRequest']);
    expect(model.net.counters.lost).toBe(2);
    expect(model.net.counters.retransmissions).toBeGreaterThan(0);
    expect(samplesOf(model, 'private_call.setup').map((s) => s.outcome)).toEqual(['timeout']);
  });
});
