import { describe, expect, it } from 'vitest';
import { constantDefaults, THREE_SYSTEMS, samplesOf, simulate } from '../harness.ts';

const scenario = (timeline: string[], extra = '') => `
topology:
${constantDefaults({ access: 20, inter: 15, client: 7, server: 3 })}
${THREE_SYSTEMS}
population:
  users:
    - { name: alice, primary: A }
    - { name: bob, primary: A }
    - { name: carol, primary: C }
    - { name: dave, primary: C }
    - { name: erin, primary: A, serving: B }
${extra}
timeline:
${timeline.map((t) => `  - ${t}`).join('\n')}
`;

const outcomes = (model: ReturnType<typeof simulate>['model'], metric: string) =>
  samplesOf(model, metric).map((s) => s.outcome);

describe('fault injection: affected procedures end with an outcome, the others succeed', () => {
  it('a link down for a window: the migration across it times out, a call elsewhere succeeds, and later ones work', () => {
    const { model } = simulate(
      scenario([
        '{ at: 0ms, fault: { for: 20s, linkDown: { between: [serverA, serverB] } } }',
        '{ at: 0ms, migrate: { user: bob, to: B } }',
        '{ at: 0ms, privateCall: { from: carol, to: dave } }',
        '{ at: 40s, migrate: { user: alice, to: B } }',
      ]),
    );
    expect(outcomes(model, 'registration')).toEqual(['timeout', 'success']);
    expect(outcomes(model, 'private_call.setup')).toEqual(['success']);
    expect(outcomes(model, 'migration.authorization')).toEqual(['success']);
    expect(model.net.counters.lost).toBeGreaterThan(0);
  });

  it('Gilbert-Elliott loss bursts on an unreliable access: SIP retransmits, every call ends with an outcome, other users unaffected', () => {
    const calls = Array.from({ length: 10 }, (_, i) => [
      `{ at: ${i}s, privateCall: { from: alice, to: bob, hangUpAfter: 500ms } }`,
      `{ at: ${i}s, privateCall: { from: carol, to: dave, hangUpAfter: 500ms } }`,
    ]).flat();
    const { model, hops } = simulate(
      scenario([
        '{ at: 0ms, fault: { for: 60s, lossBurst: { between: [alice, serverA], p: 0.3, r: 0.3, lossGood: 0, lossBad: 1 } } }',
        ...calls,
      ]),
      {
        'topology.defaults.access.transport': 'unreliable',
      },
    );
    expect(model.net.counters.retransmissions).toBeGreaterThan(0);
    const byCaller = (user: string) =>
      samplesOf(model, 'private_call.setup').filter((s) =>
        hops.some((h) => h.from === user && (h.msg as { callId?: string }).callId === s.key),
      );
    const alice = byCaller('alice');
    expect(alice).toHaveLength(10);
    expect(alice.every((s) => s.outcome === 'success' || s.outcome === 'timeout')).toBe(true);
    // Bursts cost time: a set-up that needed a retransmission took at least T1 (500 ms) longer.
    expect(Math.max(...alice.filter((s) => s.outcome === 'success').map((s) => s.end - s.start))).toBeGreaterThan(
      500_000,
    );
    expect(byCaller('carol').map((s) => s.outcome)).toEqual(Array(10).fill('success'));
  });

  it('a server that crashes and restarts: calls through it fail, others succeed, stored records survive', () => {
    const { model } = simulate(
      scenario([
        '{ at: 0ms, privateCall: { from: alice, to: bob } }',
        '{ at: 10ms, fault: { for: 5s, crash: { node: serverA } } }',
        '{ at: 10ms, privateCall: { from: carol, to: dave } }',
        '{ at: 30s, privateCall: { from: alice, to: bob } }',
      ]),
    );
    expect(outcomes(model, 'private_call.setup')).toEqual(['success', 'timeout', 'success']);
    // The migration record of erin (stored at 10.6.3.3.1 step 7) outlives the crash.
    expect(model.server('A').migrationTable.get('sip:erin@a.mcx')?.status).toBe('migrated');
  });

  it('a KMS that does not answer: the lookup and its call time out, a call needing no lookup succeeds', () => {
    const { model } = simulate(
      scenario(
        [
          '{ at: 0ms, fault: { for: 60s, mute: { node: kmsC } } }',
          '{ at: 0ms, privateCall: { from: carol, to: erin } }',
          '{ at: 0ms, privateCall: { from: alice, to: bob } }',
        ],
        'security: { e2ee: true, kmsUriInRedirection: false }',
      ),
    );
    expect(outcomes(model, 'kms.lookup')).toEqual(['timeout']);
    expect(outcomes(model, 'private_call.setup').sort()).toEqual(['success', 'timeout']);
  });

  it('a CMS that does not answer: the profile retrieval times out and the migration stops there', () => {
    const { model } = simulate(
      scenario([
        '{ at: 0ms, fault: { for: 60s, mute: { node: cmsB } } }',
        '{ at: 0ms, migrate: { user: alice, to: B } }',
        '{ at: 0ms, migrate: { user: carol, to: A } }',
      ]),
    );
    expect(outcomes(model, 'profile.retrieval').sort()).toEqual(['success', 'timeout']);
    expect(outcomes(model, 'migration.authorization')).toEqual(['success']);
  });
});
