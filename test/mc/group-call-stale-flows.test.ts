import { describe, expect, it } from 'vitest';
import { checkInvariants } from '../../src/mc/measure/invariants.ts';
import type { McMessage } from '../../src/mc/protocol/messages.ts';
import { McModel } from '../../src/mc/world/model.ts';
import { buildModelConfig } from '../../src/scenario/build.ts';
import { parseText, validate } from '../../src/scenario/load.ts';
import { constantDefaults, simulate, steps, type Hop } from './harness.ts';

/**
 * Flows of a group call that arrive after the call ended (the network held them up): they
 * must not bring anyone back into the ended call (23.379 10.6.2.3.1.1.3 step 6).
 */
const doc = (bobServing: string) => `
topology:
${constantDefaults({ access: 20, inter: 15, client: 7, server: 3 })}
  systems: { A: {}, B: {} }
  interconnects: [{ between: [A, B] }]
population:
  groups: [{ id: fire, home: A }]
  users:
    - { name: alice, primary: A, groups: [fire] }
    - { name: bob, primary: A, serving: ${bobServing}, groups: [fire] }
timers: { hangTime: 1s }
timeline:
  - { at: 0ms, groupCall: { from: alice, group: fire, holdFor: 1s } }
`;

const G = 'sip:fire@a.mcx';

/** Runs the scenario with `late` sent at `at` (ms) from one node to another, as if held up until then. */
function withLateFlow(bobServing: string, at: number, from: string, to: string, late: McMessage) {
  const model = new McModel(buildModelConfig(validate('inline.yaml', parseText('inline.yaml', doc(bobServing)))), {
    seed: 1,
    replication: 0,
    trace: (r) =>
      hops.push({
        from: r.envelope.from,
        to: r.envelope.to,
        type: r.envelope.msg.type,
        t: r.envelope.sentAt,
        arrive: r.arrive,
        msg: r.envelope.msg,
      }),
  });
  const hops: Hop[] = [];
  model.sim.schedule(at * 1000, () => model.net.send(from, to, late), undefined);
  model.run();
  expect(checkInvariants(model)).toEqual([]);
  return { model, after: steps(hops.filter((h) => h.t >= at * 1000)) };
}

describe('flows of a group call that ended', () => {
  it('a member answering the invitation after the call ended is released on its own (SIP: BYE to a late dialog)', () => {
    const accepted: McMessage = {
      type: 'GroupCallResponse',
      callId: 'gcall-1',
      target: G,
      groupId: G,
      member: 'sip:bob@a.mcx',
      result: 'accepted',
    };
    const { model, after } = withLateFlow('A', 10_000, 'bob', 'serverA', accepted);
    expect(after).toEqual([
      'bob -> serverA: GroupCallResponse',
      'serverA -> bob: GroupCallReleaseRequest',
      'bob -> serverA: GroupCallReleaseResponse',
    ]);
    expect(model.server('A').groups.homeCalls.size).toBe(0);
  });

  it('a client does not join a call it was released from when its invitation comes late', () => {
    const invite: McMessage = {
      type: 'GroupCallRequest',
      callId: 'gcall-1',
      target: 'sip:bob@a.mcx',
      groupId: G,
      caller: 'sip:alice@a.mcx',
      lateEntry: false,
      e2ee: false,
    };
    const { model, after } = withLateFlow('A', 10_000, 'serverA', 'bob', invite);
    expect(after).toEqual(['serverA -> bob: GroupCallRequest']); // no answer: the call is over for bob
    expect(model.client('bob').groups.inCall.size).toBe(0);
  });

  it("a participating server drops an invitation that its call's release overtook", () => {
    const invite: McMessage = {
      type: 'GroupCallRequest',
      callId: 'gcall-1',
      target: 'sip:bob.visitor@b.mcx',
      groupId: G,
      caller: 'sip:alice@a.mcx',
      lateEntry: false,
      e2ee: false,
    };
    const { model, after } = withLateFlow('B', 10_000, 'serverA', 'serverB', invite);
    expect(after).toEqual(['serverA -> serverB: GroupCallRequest']);
    expect(model.server('B').groups.joined.size).toBe(0);
  });

  it('a participating server releases a member whose answer for an ended call passes through it', () => {
    const answer: McMessage = {
      type: 'GroupCallResponse',
      callId: 'gcall-1',
      target: 'sip:bob.visitor@b.mcx',
      groupId: G,
      member: 'sip:bob.visitor@b.mcx',
      result: 'joined',
      ongoingCallId: 'gcall-1',
    };
    const { model, after } = withLateFlow('B', 10_000, 'serverA', 'serverB', answer);
    expect(after).toEqual([
      'serverA -> serverB: GroupCallResponse',
      'serverB -> bob: GroupCallResponse',
      'serverB -> bob: GroupCallReleaseRequest',
      'bob -> serverB: GroupCallReleaseResponse',
    ]);
    expect(model.server('B').groups.joined.size).toBe(0);
    expect(model.client('bob').groups.inCall.size).toBe(0);
  });
});

// Found by random scenarios (seed 908): a Floor Granted of an older call, held up on its way,
// was taken for the answer to a press queued in the current call: it ended that press, and
// (for a call the user had left) brought the client back into the old call, which its
// controlling server later released without it.
const PRESSES = `
topology:
${constantDefaults({ access: 5, inter: 10, client: 1, server: 1 })}
  systems: { A: {} }
population:
  groups: [{ id: fire, home: A }]
  users:
    - { name: u0, primary: A, groups: [fire] }
    - { name: u1, primary: A, groups: [fire] }
timers: { hangTime: 200ms }
timeline:
  - { at: 0ms, groupCall: { from: u0, group: fire, holdFor: 100ms } }
  - { at: 1s, groupCall: { from: u1, group: fire, holdFor: 100ms } }
  # In gcall-2's hang time: a Floor Request in the ongoing call.
  - { at: 1150ms, groupCall: { from: u0, group: fire, holdFor: 300ms } }
`;

describe('a floor grant of an older call, held up', () => {
  it('answers no press of the current call: the press waits for its own grant and the user talks', () => {
    const { model, hops } = simulate(PRESSES, {}, 1, 0, (m) =>
      // Reaches u0 at 1156 ms, 5 ms before the grant of its Floor Request in gcall-2.
      m.sim.scheduleAt(
        1_151_000,
        () =>
          m.net.send('serverA', 'u0', {
            type: 'FloorGranted',
            callId: 'gcall-1',
            target: 'sip:u0@a.mcx',
            groupId: 'sip:fire@a.mcx',
          }),
        undefined,
      ),
    );
    const press = model.recorder.samples.find((s) => s.metric === 'group_call.setup' && s.key === 'gcall-3');
    // Ended by gcall-2's grant (request 5 ms up, 1 ms at the server, 5 ms down, 1 ms at u0).
    expect(press).toMatchObject({ outcome: 'joined', end: 1_162_000 });
    const release = hops.find((h) => h.from === 'u0' && h.type === 'FloorRelease' && h.t > 1_150_000);
    // The 300 ms talk burst, not the grant handed straight back.
    expect(release).toMatchObject({ t: 1_462_000, msg: { callId: 'gcall-2' } });
  });
});
