import { describe, expect, it } from 'vitest';
import { constantDefaults, samplesOf, simulate, steps } from './harness.ts';

const L = { access: 20, inter: 15 };
const P = { client: 7, server: 3, idms: 100, cms: 30 };

const scenario = (users: string[], timeline: string[]) => `
topology:
${constantDefaults({ access: L.access, inter: L.inter, client: P.client, server: P.server })}
  systems: { A: {}, B: {} }
  interconnects: [{ between: [A, B] }]
population:
  groups: [{ id: fire, home: A }]
  users:
${users.map((u) => `    - ${u}`).join('\n')}
timeline:
${timeline.map((t) => `  - ${t}`).join('\n')}
`;

const base = ['{ name: alice, primary: A, groups: [fire] }', '{ name: bob, primary: A, groups: [fire] }'];
const call = ['{ at: 0ms, groupCall: { from: alice, group: fire } }', '{ at: 1s, migrate: { user: bob, to: B } }'];

describe('migration during an ongoing group call (23.280 10.16.2)', () => {
  it('call only in the primary so far: the affiliation pulls the partner system into the call', () => {
    const { hops, model } = simulate(scenario(base, call));
    const after = steps(hops.filter((h) => h.t >= 1_000_000));
    expect(after.slice(0, 2)).toEqual([
      'bob -> serverA: GroupDeaffiliationRequest',
      'serverA -> bob: GroupDeaffiliationResponse',
    ]); // step 1
    expect(after.slice(-10)).toEqual([
      'bob -> serverB: GroupAffiliationRequest', // step 3 (10.8.3.2)
      'serverB -> serverA: GroupAffiliationRequest',
      'serverA -> serverB: GroupAffiliationResponse',
      'serverA -> serverB: GroupCallRequest', // step 4: late entry brings B into the call
      'serverB -> bob: GroupAffiliationResponse',
      'serverB -> bob: GroupCallRequest',
      'bob -> serverB: GroupCallResponse',
      'serverB -> serverA: GroupCallResponse',
      'serverA -> serverB: FloorTaken',
      'serverB -> bob: FloorTaken',
    ]);
    expect(model.server('A').groups.homeCalls.get('sip:fire@a.mcx')?.participating).toEqual(new Set(['B']));
  });

  it('call already running in the partner: the partner starts late entry itself', () => {
    const users = [...base, '{ name: carol, primary: A, serving: B, groups: [fire] }'];
    const { hops } = simulate(scenario(users, call));
    const after = steps(hops.filter((h) => h.t >= 1_000_000));
    expect(after.slice(-7)).toEqual([
      'bob -> serverB: GroupAffiliationRequest',
      'serverB -> serverA: GroupAffiliationRequest',
      'serverA -> serverB: GroupAffiliationResponse',
      'serverB -> bob: GroupAffiliationResponse',
      'serverB -> bob: GroupCallRequest', // late entry by the participating server
      'bob -> serverB: GroupCallResponse',
      'serverB -> bob: FloorTaken',
    ]);
    expect(after.filter((s) => s === 'serverA -> serverB: GroupCallRequest')).toEqual([]);
  });

  it.each([
    ['only in the primary', base],
    ['already in the partner', [...base, '{ name: carol, primary: A, serving: B, groups: [fire] }']],
  ])('exact interruption as the sum of its phases (call %s)', (_name, users) => {
    const { model } = simulate(scenario(users, call));
    const last = (metric: string) => {
      const s = samplesOf(model, metric).at(-1);
      expect(s?.outcome).toBe('success');
      return s ? s.end - s.start : NaN;
    };
    const deaffiliation = (2 * L.access + P.server + P.client) * 1000;
    const authentication = (2 * L.access + P.idms + P.client) * 1000;
    // Every phase follows the one before without a gap, late entry starting at the affiliation.
    const sum =
      deaffiliation +
      authentication +
      last('profile.retrieval') +
      last('registration') +
      last('migration.authorization') +
      last('affiliation') +
      last('group_call.late_entry');
    expect(last('migration.interruption')).toBe(sum);
  });

  it('late entry after a partner affiliation: exact times for both branches', () => {
    const pulled = simulate(scenario(base, call)).model;
    const local = simulate(scenario([...base, '{ name: carol, primary: A, serving: B, groups: [fire] }'], call)).model;
    const late = (m: typeof pulled) => {
      const s = samplesOf(m, 'group_call.late_entry').at(-1);
      return s ? s.end - s.start : NaN;
    };
    // Participating partner: its late-entry request queues behind the affiliation response at
    // bob, then bob's answer, serverB, floor taken back.
    expect(late(local)).toBe((P.client + 2 * L.access + P.server + P.client) * 1000);
    // Pulled in: the home's request reached serverB with the affiliation response (one worker),
    // and the answer makes a round trip to the home before the floor taken comes back.
    expect(late(pulled)).toBe((P.client + 2 * L.access + 2 * L.inter + 3 * P.server + P.client) * 1000);
  });

  it('50 members, 10 of them migrating one after another: all 50 still in the call at the end', () => {
    const users = Array.from({ length: 50 }, (_, i) => `{ name: u${i}, primary: A, groups: [fire] }`);
    const timeline = [
      '{ at: 0ms, groupCall: { from: u0, group: fire } }',
      ...Array.from({ length: 10 }, (_, i) => `{ at: ${5 + 3 * i}s, migrate: { user: u${i + 1}, to: B } }`),
    ];
    const { model } = simulate(scenario(users, timeline));
    const interruptions = samplesOf(model, 'migration.interruption');
    expect(interruptions).toHaveLength(10);
    expect(interruptions.every((s) => s.outcome === 'success' && s.end > s.start)).toBe(true);
    expect(samplesOf(model, 'group_call.late_entry')).toHaveLength(10);
    const members = model.server('A').groups.affiliations.get('sip:fire@a.mcx');
    expect(members?.size).toBe(50);
    for (let i = 1; i <= 10; i++) expect(members?.get(`sip:u${i}.visitor@b.mcx`)).toBe('B');
    for (let i = 1; i < 50; i++) expect(model.client(`u${i}`).groups.inCall.has('sip:fire@a.mcx')).toBe(true);
    expect(model.recorder.unfinished()).toEqual([]);
  });

  it('the call ends by hang time after the migration: its release reaches the migrated member through the partner', () => {
    const timeline = [
      '{ at: 0ms, groupCall: { from: alice, group: fire, holdFor: 3s } }',
      '{ at: 1s, migrate: { user: bob, to: B } }',
    ];
    const { hops, model } = simulate(scenario(base, timeline) + 'timers: { hangTime: 2s }\n');
    expect(samplesOf(model, 'migration.interruption').map((s) => s.outcome)).toEqual(['success']);
    const expiry = hops.find((h) => h.type === 'GroupCallReleaseRequest')?.t ?? NaN;
    expect(steps(hops.filter((h) => h.t >= expiry))).toEqual([
      'serverA -> alice: GroupCallReleaseRequest',
      'serverA -> serverB: GroupCallReleaseRequest', // B takes part since bob's late entry
      'serverB -> bob: GroupCallReleaseRequest',
      'alice -> serverA: GroupCallReleaseResponse',
      'bob -> serverB: GroupCallReleaseResponse',
      'serverB -> serverA: GroupCallReleaseResponse',
    ]);
    expect(model.client('bob').groups.inCall.size).toBe(0);
    expect(model.server('B').groups.joined.size).toBe(0);
  });

  it('the initiator migrating leaves the call, which its controlling server then releases for the others', () => {
    const users = [...base, '{ name: carol, primary: A, groups: [fire] }'];
    const timeline = [
      '{ at: 0ms, groupCall: { from: alice, group: fire } }',
      '{ at: 1s, migrate: { user: alice, to: B } }',
    ];
    const { hops, model } = simulate(scenario(users, timeline));
    const releases = hops.filter((h) => h.type === 'GroupCallReleaseRequest');
    expect(releases.map((h) => [h.to, (h.msg as { reason: string }).reason])).toEqual([
      ['bob', 'initiator left'],
      ['carol', 'initiator left'],
    ]);
    expect(releases.every((h) => h.t > (hops.find((x) => x.type === 'GroupDeaffiliationRequest')?.t ?? Infinity))).toBe(
      true,
    );
    for (const u of ['alice', 'bob', 'carol']) expect(model.client(u).groups.inCall.size).toBe(0);
    // No call left to come back to: the interruption ends by its timer, not by media.
    expect(samplesOf(model, 'migration.interruption').map((s) => s.outcome)).toEqual(['timeout']);
  });
});
