import { describe, expect, it } from 'vitest';
import type { McModel } from '../../src/mc/world/model.ts';
import { constantDefaults, samplesOf, simulate, steps, type Hop } from './harness.ts';

const L = { access: 20, core: 2, inter: 15 };
const P = { client: 7, server: 3, gateway: 2 };
const HOLD = 1000;
const HANG = 2000;
const ms = 1000;

const scenario = (opts: { hiding?: boolean; users: string[]; timeline: string[] }) => `
topology:
${constantDefaults({ access: L.access, core: L.core, inter: L.inter, client: P.client, server: P.server, gateway: P.gateway })}
  systems: { A: { hiding: ${opts.hiding ?? false} }, B: { hiding: ${opts.hiding ?? false} } }
  interconnects: [{ between: [A, B] }]
population:
  groups: [{ id: fire, home: A }]
  users:
${opts.users.map((u) => `    - ${u}`).join('\n')}
timers: { hangTime: ${HANG}ms }
timeline:
${opts.timeline.map((t) => `  - ${t}`).join('\n')}
`;

const inA = [
  '{ name: alice, primary: A, groups: [fire] }',
  '{ name: bob, primary: A, groups: [fire] }',
  '{ name: carol, primary: A, groups: [fire] }',
];
const talk = `{ at: 0ms, groupCall: { from: alice, group: fire, holdFor: ${HOLD}ms } }`;

const first = (hops: Hop[], from: string, to: string, type: Hop['type']): Hop => {
  const h = hops.find((x) => x.from === from && x.to === to && x.type === type);
  if (h === undefined) throw new Error(`no ${type} from ${from} to ${to}`);
  return h;
};

/** No call state anywhere: 10.6.2.3.1.1.3 step 6, both sides released. */
function expectNoCallState(model: McModel): void {
  for (const s of model.servers.values()) {
    expect(s.groups.homeCalls.size).toBe(0);
    expect(s.groups.joined.size).toBe(0);
  }
  for (const c of model.clients.values()) expect(c.groups.inCall.size).toBe(0);
  expect(model.sim.pending).toBe(0);
}

describe('release of a pre-arranged group call (23.379 10.6.2.3.1.1.3)', () => {
  it('follows the steps: floor release, floor idle to all, hang time, release request to every participant, their responses', () => {
    const { hops, model } = simulate(scenario({ users: inA, timeline: [talk] }));
    const release = first(hops, 'alice', 'serverA', 'FloorRelease');
    expect(steps(hops.filter((h) => h.t >= release.t))).toEqual([
      'alice -> serverA: FloorRelease', // the talk burst is over (24.380)
      'serverA -> alice: FloorIdle', // the floor is idle: the hang timer starts
      'serverA -> bob: FloorIdle',
      'serverA -> carol: FloorIdle',
      'serverA -> alice: GroupCallReleaseRequest', // steps 1-3: hang time expiry, one request per participant
      'serverA -> bob: GroupCallReleaseRequest',
      'serverA -> carol: GroupCallReleaseRequest',
      'alice -> serverA: GroupCallReleaseResponse', // step 5
      'bob -> serverA: GroupCallReleaseResponse',
      'carol -> serverA: GroupCallReleaseResponse',
    ]);
    expect(hops.filter((h) => h.type === 'GroupCallReleaseRequest').map((h) => h.msg)).toEqual(
      ['alice', 'bob', 'carol'].map((u) =>
        expect.objectContaining({
          callId: 'gcall-1',
          groupId: 'sip:fire@a.mcx',
          target: `sip:${u}@a.mcx`,
          reason: 'hang time expiry',
        }),
      ),
    );
    expect(samplesOf(model, 'group_call.setup').map((s) => s.outcome)).toEqual(['success']);
    expectNoCallState(model); // step 6
  });

  it('exact timing: the burst ends holdFor after the grant; the release leaves the server the hang time after it processed the floor release', () => {
    const { hops } = simulate(scenario({ users: inA, timeline: [talk] }));
    const setup = 2 * L.access + P.server + 2 * P.client;
    const floorRelease = first(hops, 'alice', 'serverA', 'FloorRelease');
    expect(floorRelease.t).toBe((setup + HOLD) * ms);
    // Uplink, the server handles the floor release (floor idle, hang timer on), hang time, downlink.
    const releaseAtBob = first(hops, 'serverA', 'bob', 'GroupCallReleaseRequest');
    expect(releaseAtBob.arrive - floorRelease.t).toBe((2 * L.access + P.server + HANG) * ms);
    // Bob handles it and answers; the server handles the last of three answers arriving together.
    const answers = hops.filter((h) => h.type === 'GroupCallReleaseResponse');
    expect(answers.map((h) => h.arrive - releaseAtBob.t)).toEqual([1, 1, 1].map(() => (2 * L.access + P.client) * ms));
  });

  it.each([
    ['topology hiding off', false, ['serverA -> serverB'], L.inter + P.server],
    [
      'topology hiding on',
      true,
      ['serverA -> gatewayA', 'gatewayA -> gatewayB', 'gatewayB -> serverB'],
      2 * L.core + 2 * P.gateway + L.inter + P.server,
    ],
  ])(
    'reaches a member in another system through its participating server (%s)',
    (_name, hiding, path, serverToServer) => {
      const users = [inA[0] as string, '{ name: bob, primary: A, serving: B, groups: [fire] }', inA[2] as string];
      const { hops, model } = simulate(scenario({ hiding, users, timeline: [talk] }));
      const expiry = first(hops, 'serverA', 'carol', 'GroupCallReleaseRequest').t;
      const towardsB = [
        ...path.map((p) => `${p}: GroupCallReleaseRequest`),
        'serverB -> bob: GroupCallReleaseRequest',
        'bob -> serverB: GroupCallReleaseResponse',
      ];
      const back = [...path]
        .reverse()
        .map((p) => `${p.split(' -> ').reverse().join(' -> ')}: GroupCallReleaseResponse`);
      const bLeg = steps(
        hops.filter((h) => h.t >= expiry && !['alice', 'carol'].includes(h.from) && !['alice', 'carol'].includes(h.to)),
      );
      expect(bLeg).toEqual([...towardsB, ...back]);
      expect(hops.find((h) => h.type === 'GroupCallReleaseRequest' && h.to === 'bob')?.msg).toMatchObject({
        target: 'sip:bob.visitor@b.mcx',
        reason: 'hang time expiry',
      });
      // Sum of the path: server to server, serverB, bob's access link.
      expect(first(hops, 'serverB', 'bob', 'GroupCallReleaseRequest').arrive - expiry).toBe(
        (serverToServer + L.access) * ms,
      );
      // serverB answers the controlling server once bob has answered: a round trip of both paths.
      const lastAnswer = hops.filter((h) => h.type === 'GroupCallReleaseResponse' && h.to === 'serverA').at(-1) as Hop;
      expect(lastAnswer.arrive - expiry).toBe((2 * serverToServer + 2 * L.access + P.client) * ms);
      expectNoCallState(model);
    },
  );

  it('the initiator leaving the call releases it for the others (de-affiliation, 10.8.4)', () => {
    const timeline = [
      '{ at: 0ms, groupCall: { from: alice, group: fire } }',
      '{ at: 1s, deaffiliate: { user: alice, group: fire } }',
    ];
    const { hops, model } = simulate(scenario({ users: inA, timeline }));
    const releases = hops.filter((h) => h.type === 'GroupCallReleaseRequest');
    expect(releases.map((h) => h.to)).toEqual(['bob', 'carol']);
    expect(releases.map((h) => h.msg)).toEqual([
      expect.objectContaining({ reason: 'initiator left' }),
      expect.objectContaining({ reason: 'initiator left' }),
    ]);
    // Decided as the server handles the de-affiliation, without waiting for a hang time.
    const leave = first(hops, 'alice', 'serverA', 'GroupDeaffiliationRequest');
    expect((releases[0] as Hop).t - leave.t).toBe((L.access + P.server) * ms);
    expectNoCallState(model);
  });

  it('a call whose floor is held for good (no holdFor) is never released', () => {
    const { model } = simulate(
      scenario({ users: inA, timeline: ['{ at: 0ms, groupCall: { from: alice, group: fire } }'] }),
    );
    expect(model.server('A').groups.homeCalls.get('sip:fire@a.mcx')?.talker).toBe('sip:alice@a.mcx');
    for (const u of ['alice', 'bob', 'carol'])
      expect(model.client(u).groups.inCall.get('sip:fire@a.mcx')).toBe('gcall-1');
  });

  it('a release a participant never answers (its access link is down) leaves the call unsettled at the server, not half-open', () => {
    const timeline = [talk, '{ at: 2s, accessLinkDown: { user: bob } }'];
    const { hops, model } = simulate(scenario({ users: inA, timeline })); // the harness checks the invariants
    expect(hops.filter((h) => h.type === 'GroupCallReleaseResponse').map((h) => h.from)).toEqual(['alice', 'carol']);
    expect(model.client('bob').groups.inCall.get('sip:fire@a.mcx')).toBe('gcall-1');
    expect([...model.server('A').groups.release.unsettled]).toEqual(['gcall-1']);
    expect(model.server('A').groups.homeCalls.size).toBe(0);
  });

  it('a crash of the controlling server loses the call and its hang timer; a later press sets up a new call', () => {
    const timeline = [
      talk,
      '{ at: 500ms, fault: { for: 1s, crash: { node: serverA } } }',
      '{ at: 5s, groupCall: { from: bob, group: fire, holdFor: 1s } }',
      '{ at: 6s, groupCall: { from: bob, group: fire, holdFor: 1s } }',
    ];
    const { hops, model } = simulate(scenario({ users: inA, timeline }));
    // alice's floor release reached a server that lost the call: no floor idle, no hang time, no release.
    expect(hops.filter((h) => h.msg.type === 'GroupCallReleaseRequest' && h.msg.callId === 'gcall-1')).toEqual([]);
    expect([...model.server('A').groups.release.unsettled]).toEqual(['gcall-1']);
    // bob was still in the lost call: his press asks for the floor in it and learns it is gone;
    // his next press sets up a new call, released in its turn.
    expect(hops.find((h) => h.type === 'FloorDeny')?.msg).toMatchObject({ reason: 'no such call', callId: 'gcall-1' });
    expect(samplesOf(model, 'group_call.setup').map((s) => s.outcome)).toEqual(['success', 'aborted', 'success']);
    expect(new Set(hops.filter((h) => h.type === 'GroupCallReleaseRequest').map((h) => h.to))).toEqual(
      new Set(['alice', 'bob', 'carol']),
    );
  });
});
