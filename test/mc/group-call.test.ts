import { describe, expect, it } from 'vitest';
import { constantDefaults, samplesOf, simulate, steps } from './harness.ts';

const L = { access: 20, core: 2, inter: 15 };
const P = { client: 7, server: 3 };

const scenario = (users: string, timeline: string, groupHome = 'A') => `
topology:
${constantDefaults({ access: L.access, core: L.core, inter: L.inter, client: P.client, server: P.server })}
  systems: { A: {}, B: {} }
  interconnects: [{ between: [A, B] }]
population:
  groups: [{ id: fire, home: ${groupHome} }]
  users:
${users}
timeline:
${timeline}
`;

const three = [
  '    - { name: alice, primary: A, groups: [fire] }',
  '    - { name: bob, primary: A, groups: [fire] }',
  '    - { name: carol, primary: A, groups: [fire] }',
].join('\n');

describe('pre-arranged group call (23.379 10.6.2.3.1.1.2)', () => {
  it('follows the steps: request, requests to affiliated members, response and floor granted, floor taken to joiners', () => {
    const { hops, model } = simulate(scenario(three, '  - { at: 0ms, groupCall: { from: alice, group: fire } }'));
    expect(steps(hops)).toEqual([
      'alice -> serverA: GroupCallRequest', // step 2
      'serverA -> bob: GroupCallRequest', // step 4
      'serverA -> carol: GroupCallRequest',
      'serverA -> alice: GroupCallResponse', // step 6: not waiting for the members
      'serverA -> alice: FloorGranted', // step 7
      'bob -> serverA: GroupCallResponse', // step 5
      'carol -> serverA: GroupCallResponse',
      'serverA -> bob: FloorTaken', // step 7
      'serverA -> carol: FloorTaken',
    ]);
    const [s] = samplesOf(model, 'group_call.setup');
    // uplink, server, downlink, caller processes the response then the grant.
    expect(s ? s.end - s.start : NaN).toBe((2 * L.access + P.server + 2 * P.client) * 1000);
  });

  it('a member affiliating during the call gets late entry (10.6.2.3.1.1.4)', () => {
    const users = [
      '    - { name: alice, primary: A, groups: [fire] }',
      '    - { name: bob, primary: A, groups: [fire] }',
      '    - { name: dave, primary: A }',
    ].join('\n');
    const { hops, model } = simulate(
      scenario(
        users,
        '  - { at: 0ms, groupCall: { from: alice, group: fire } }\n  - { at: 1s, affiliate: { user: dave, group: fire } }',
      ),
    );
    expect(steps(hops.filter((h) => h.t >= 1_000_000))).toEqual([
      'dave -> serverA: GroupAffiliationRequest',
      'serverA -> dave: GroupAffiliationResponse',
      'serverA -> dave: GroupCallRequest', // late entry step 2
      'dave -> serverA: GroupCallResponse', // step 3
      'serverA -> dave: FloorTaken', // step 4: the current talker
    ]);
    expect(hops.find((h) => h.type === 'GroupCallRequest' && h.to === 'dave')?.msg).toMatchObject({
      lateEntry: true,
      caller: 'sip:alice@a.mcx',
    });
    const [late] = samplesOf(model, 'group_call.late_entry');
    // From the affiliation response processed at dave: the late-entry request queued behind it,
    // dave's answer, the server, the floor taken back.
    expect(late ? late.end - late.start : NaN).toBe((P.client + 2 * L.access + P.server + P.client) * 1000);
    expect(model.server('A').groups.affiliations.get('sip:fire@a.mcx')?.has('sip:dave@a.mcx')).toBe(true);
  });

  it('a migrated member affiliates server to server to a group of its primary (10.8.3.2)', () => {
    const users = [
      '    - { name: alice, primary: A, groups: [fire] }',
      '    - { name: erin, primary: A, serving: B }',
    ].join('\n');
    const { hops, model } = simulate(scenario(users, '  - { at: 0ms, affiliate: { user: erin, group: fire } }'));
    expect(steps(hops)).toEqual([
      'erin -> serverB: GroupAffiliationRequest',
      'serverB -> serverA: GroupAffiliationRequest',
      'serverA -> serverB: GroupAffiliationResponse',
      'serverB -> erin: GroupAffiliationResponse',
    ]);
    expect(model.server('A').groups.affiliations.get('sip:fire@a.mcx')?.get('sip:erin.visitor@b.mcx')).toBe('B');
    const [a] = samplesOf(model, 'affiliation');
    expect(a ? a.end - a.start : NaN).toBe((2 * L.access + 2 * L.inter + 3 * P.server + P.client) * 1000);
  });

  it('de-affiliation removes the member at the group home', () => {
    const { model } = simulate(scenario(three, '  - { at: 0ms, deaffiliate: { user: bob, group: fire } }'));
    expect([...(model.server('A').groups.affiliations.get('sip:fire@a.mcx')?.keys() ?? [])]).toEqual([
      'sip:alice@a.mcx',
      'sip:carol@a.mcx',
    ]);
    expect(model.client('bob').groups.affiliated.size).toBe(0);
  });

  it("a non-member's UE sends nothing; a request that reaches the home server from one anyway is rejected", () => {
    const users = ['    - { name: alice, primary: A, groups: [fire] }', '    - { name: zed, primary: A }'].join('\n');
    const { model, hops } = simulate(scenario(users, '  - { at: 0ms, groupCall: { from: zed, group: fire } }'));
    expect(hops).toEqual([]);
    expect(samplesOf(model, 'group_call.setup')[0]?.outcome).toBe('not-affiliated');
    // The home server's own check (the request of a UE that left the group, held up on its way).
    const request = {
      type: 'GroupCallRequest',
      callId: 'c1',
      target: 'sip:fire@a.mcx',
      groupId: 'sip:fire@a.mcx',
      caller: 'sip:zed@a.mcx',
      lateEntry: false,
      e2ee: false,
    } as const;
    const answered = simulate(scenario(users, '  []'), {}, 1, 0, (m) => m.net.send('zed', 'serverA', request));
    expect(answered.hops.map((h) => [h.from, h.to, h.type, (h.msg as { result?: string }).result])).toEqual([
      ['zed', 'serverA', 'GroupCallRequest', undefined],
      ['serverA', 'zed', 'GroupCallResponse', 'rejected'],
    ]);
  });
});
