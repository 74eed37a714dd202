import { describe, expect, it } from 'vitest';
import { constantDefaults, samplesOf, simulate, steps, type Hop } from './harness.ts';

const L = { access: 20, core: 2, inter: 15 };
const P = { client: 7, server: 3 };
const HANG = 2000;
const ms = 1000;

const scenario = (users: string[], timeline: string[]) => `
topology:
${constantDefaults({ access: L.access, core: L.core, inter: L.inter, client: P.client, server: P.server })}
  systems: { A: {}, B: {} }
  interconnects: [{ between: [A, B] }]
population:
  groups: [{ id: fire, home: A }]
  users:
${users.map((u) => `    - ${u}`).join('\n')}
timers: { hangTime: ${HANG}ms }
timeline:
${timeline.map((t) => `  - ${t}`).join('\n')}
`;

const inA = [
  '{ name: alice, primary: A, groups: [fire] }',
  '{ name: bob, primary: A, groups: [fire] }',
  '{ name: carol, primary: A, groups: [fire] }',
];
/** Outcome of each press, in press order. */
const outcomes = (model: Parameters<typeof samplesOf>[0]) =>
  samplesOf(model, 'group_call.setup')
    .sort((a, b) => a.start - b.start || a.key.localeCompare(b.key))
    .map((s) => s.outcome);
const G = 'sip:fire@a.mcx';
const callOf = (h: Hop): string | undefined => ('callId' in h.msg ? h.msg.callId : undefined);

describe('floor control in an ongoing group call (24.380) and the hang timer', () => {
  it('a press in the hang time gets the floor in the same call; the hang timer restarts after the new burst', () => {
    const timeline = [
      '{ at: 0ms, groupCall: { from: alice, group: fire, holdFor: 1s } }',
      '{ at: 2s, groupCall: { from: carol, group: fire, holdFor: 1s } }',
    ];
    const { hops, model } = simulate(scenario(inA, timeline));
    expect(steps(hops.filter((h) => h.t >= 2_000_000 && h.t < 3_000_000))).toEqual([
      'carol -> serverA: FloorRequest', // carol is a participant: a floor request in the call
      'serverA -> carol: FloorGranted',
      'serverA -> alice: FloorTaken',
      'serverA -> bob: FloorTaken',
    ]);
    expect(outcomes(model)).toEqual(['success', 'joined']);
    const releases = hops.filter((h) => h.type === 'GroupCallReleaseRequest');
    expect(new Set(releases.map(callOf))).toEqual(new Set(['gcall-1']));
    // The hang time counts from carol's floor release, not alice's.
    const carolRelease = hops.find((h) => h.type === 'FloorRelease' && h.from === 'carol') as Hop;
    expect(carolRelease.t).toBe((2000 + 2 * L.access + P.server + P.client + 1000) * ms);
    expect((releases[0] as Hop).t - carolRelease.t).toBe((L.access + P.server + HANG) * ms);
  });

  it('a press while another member talks is denied and leaves the talker and the hang timer alone', () => {
    const timeline = [
      '{ at: 0ms, groupCall: { from: alice, group: fire, holdFor: 1s } }',
      '{ at: 500ms, groupCall: { from: bob, group: fire, holdFor: 1s } }',
    ];
    const { hops, model } = simulate(scenario(inA, timeline));
    expect(steps(hops.filter((h) => h.t >= 500_000 && h.t < 1_000_000))).toEqual([
      'bob -> serverA: FloorRequest',
      'serverA -> bob: FloorDeny',
    ]);
    expect(hops.find((h) => h.type === 'FloorDeny')?.msg).toMatchObject({ reason: 'floor taken', callId: 'gcall-1' });
    expect(outcomes(model)).toEqual(['success', 'joined']);
    const aliceRelease = hops.find((h) => h.type === 'FloorRelease') as Hop;
    expect(hops.filter((h) => h.type === 'FloorRelease').map((h) => h.from)).toEqual(['alice']);
    expect((hops.find((h) => h.type === 'GroupCallReleaseRequest') as Hop).t - aliceRelease.t).toBe(
      (L.access + P.server + HANG) * ms,
    );
  });

  it.each([
    ['both in the home system', inA],
    [
      'the second caller in another system',
      [inA[0] as string, '{ name: bob, primary: A, serving: B, groups: [fire] }', inA[2] as string],
    ],
  ])('two members requesting a call on one group at once get one call: the second joins it (%s)', (_name, users) => {
    const timeline = [
      '{ at: 0ms, groupCall: { from: alice, group: fire, holdFor: 1s } }',
      '{ at: 0ms, groupCall: { from: bob, group: fire, holdFor: 1s } }',
    ];
    const { hops, model } = simulate(scenario(users, timeline));
    expect(outcomes(model)).toEqual(['success', 'joined']);
    const joined = hops.find(
      (h) =>
        h.type === 'GroupCallResponse' && h.from === 'serverA' && (h.msg as { result: string }).result === 'joined',
    );
    expect(joined?.msg).toMatchObject({ callId: 'gcall-2', ongoingCallId: 'gcall-1' });
    // bob listens to alice (Floor Taken), never talks, and is released with the others.
    expect(hops.filter((h) => h.type === 'FloorGranted').map((h) => h.to)).toEqual(['alice']);
    expect(hops.filter((h) => h.type === 'GroupCallReleaseRequest' && h.to === 'bob').map(callOf)).toEqual(['gcall-1']);
    for (const u of ['alice', 'bob', 'carol']) expect(model.client(u).groups.inCall.size).toBe(0);
  });

  it('a press after the release sets up a new call', () => {
    const timeline = [
      '{ at: 0ms, groupCall: { from: alice, group: fire, holdFor: 1s } }',
      '{ at: 10s, groupCall: { from: bob, group: fire, holdFor: 1s } }',
    ];
    const { hops, model } = simulate(scenario(inA, timeline));
    expect(outcomes(model)).toEqual(['success', 'success']);
    expect([...new Set(hops.filter((h) => h.type === 'GroupCallReleaseRequest').map(callOf))]).toEqual([
      'gcall-1',
      'gcall-2',
    ]);
    expect(model.server('A').groups.homeCalls.has(G)).toBe(false);
  });

  it('a late joiner in the hang time hears the idle floor: late entry ends at Floor Idle', () => {
    const users = [...inA.slice(0, 2), '{ name: dave, primary: A }'];
    const timeline = [
      '{ at: 0ms, groupCall: { from: alice, group: fire, holdFor: 1s } }',
      '{ at: 1500ms, affiliate: { user: dave, group: fire } }',
    ];
    const { hops, model } = simulate(scenario(users, timeline));
    expect(
      steps(
        hops.filter(
          (h) => h.t >= 1_500_000 && h.to !== 'alice' && h.to !== 'bob' && h.from !== 'alice' && h.from !== 'bob',
        ),
      ).slice(0, 5),
    ).toEqual([
      'dave -> serverA: GroupAffiliationRequest',
      'serverA -> dave: GroupAffiliationResponse',
      'serverA -> dave: GroupCallRequest',
      'dave -> serverA: GroupCallResponse',
      'serverA -> dave: FloorIdle',
    ]);
    expect(samplesOf(model, 'group_call.late_entry')).toHaveLength(1);
    expect(hops.filter((h) => h.type === 'GroupCallReleaseRequest').map((h) => h.to)).toEqual(['alice', 'bob', 'dave']);
  });

  it('leaving the group ends every press still waiting on it, each with one outcome', () => {
    const timeline = [
      '{ at: 0ms, groupCall: { from: alice, group: fire } }',
      '{ at: 1000ms, groupCall: { from: bob, group: fire, holdFor: 1s } }',
      '{ at: 1001ms, groupCall: { from: bob, group: fire, holdFor: 1s } }',
      '{ at: 1002ms, deaffiliate: { user: bob, group: fire } }',
    ];
    const { model } = simulate(scenario(inA, timeline));
    expect(outcomes(model)).toEqual(['success', 'aborted', 'aborted']);
    expect(model.client('bob').groups.inCall.size).toBe(0);
  });
});
