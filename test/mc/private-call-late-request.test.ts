import { describe, expect, it } from 'vitest';
import type { McMessage } from '../../src/mc/protocol/messages.ts';
import { constantDefaults, simulate, steps } from './harness.ts';

// Found by random scenarios and shrunk (fast-check): over UDP, a loss burst on u0's access
// delays the call request to u0 by six retransmissions (some 31 s), past the caller's set-up
// timeout. The caller cancels; the cancel reaches u0 before the request does (u0 answers it
// as for an unknown dialog); then the request arrives and u0 accepts a call nobody holds.
// The shrunk case as found, seed 207363 (uniform [1ms, 1ms] draws where a constant would not:
// the draws decide which attempts the burst loses).
const scenario = `
topology:
  defaults:
    access: { latency: { uniform: [1ms, 1ms] }, transport: unreliable }
    core: { latency: 1ms }
    interconnect: { latency: { uniform: [1ms, 1ms] } }
    processing: { server: { default: { uniform: [1ms, 1ms] }, workers: 2 } }
  systems: { A: { hiding: false } }
population:
  users:
    - { name: u0, primary: A, serving: A }
    - { name: u1, primary: A, serving: A }
    - { name: u2, primary: A, serving: A }
    - { name: u3, primary: A, serving: A, groups: [g] }
  groups: [{ id: g, home: A }]
security: { e2ee: false, kmsUriInRedirection: false }
timers: { hangTime: 0ms }
timeline:
  - { at: 13276ms, fault: { for: 2432ms, lossBurst: { between: [u0, serverA], p: 0.2, r: 0.4 } } }
  - { at: 15705ms, privateCall: { from: u2, to: u0, service: mcptt, commencement: automatic, hangUpAfter: 100ms } }
  - { at: 0ms, groupCallLoad: { rate: 1/s, duration: 15696ms, holdFor: 696ms } }
  - { at: 0ms, affiliate: { user: u0, group: g } }
`;

describe('a call request that reaches the callee after the caller gave up', () => {
  it('is accepted, and the caller releases the late dialog (RFC 3261 9.1: a 2xx after CANCEL gets a BYE)', () => {
    // simulate() also checks the invariants: no call is left half-open.
    const { model, hops } = simulate(scenario, {}, 207363);
    const call = hops.filter((h) => 'callId' in h.msg && h.msg.callId === 'call-1');
    const request = call.find((h) => h.type === 'PrivateCallRequest' && h.to === 'u0');
    const cancel = call.find((h) => h.type === 'CallEndRequest' && h.to === 'u0');
    // The case itself: the cancel overtakes the retransmitted request.
    expect(request && cancel && cancel.arrive < request.arrive).toBe(true);
    const late = call.filter((h) => h.t >= (request?.arrive ?? Infinity));
    expect(steps(late)).toEqual([
      'u0 -> serverA: PrivateCallResponse', // accepted
      'serverA -> u2: PrivateCallResponse',
      'u2 -> serverA: CallEndRequest', // the caller closes the dialog it gave up
      'serverA -> u0: CallEndRequest',
      'u0 -> serverA: CallEndResponse',
      'serverA -> u2: CallEndResponse',
    ]);
    expect(model.client('u0').calls.legs.size).toBe(0);
    expect(model.client('u2').calls.legs.size).toBe(0);
  });
});

// Found by random scenarios (seed 870, 16 actions): the caller migrated while its request was
// held up; the callee accepted the late request at a server that no longer had the call nor
// the caller registered, which dropped the answer: the callee was left in a call nobody held.
const CALLER_GONE = `
topology:
  defaults:
    access: { latency: 1ms, transport: unreliable }
    core: { latency: 1ms }
    interconnect: { latency: 1ms }
  systems: { A: {}, B: {} }
  interconnects: [{ between: [A, B] }]
population:
  users: [{ name: u0, primary: A }, { name: u1, primary: A }]
timeline:
  - { at: 0ms, fault: { for: 500ms, linkDown: { between: [u1, serverA] } } }
  - { at: 0ms, privateCall: { from: u0, to: u1, service: mcptt, commencement: automatic } }
  - { at: 1s, migrate: { user: u0, to: B } }
`;

describe('a late accept whose caller has left the system', () => {
  it("is ended by the callee's server, as the caller would have (RFC 3261 13.2.2.4; assumption A33)", () => {
    // The request to u1 is lost in the link fault; a copy of it, held up, reaches u1 at 3 s,
    // after u0 gave up the call and migrated to B.
    let request: McMessage | undefined;
    const { model, hops } = simulate(CALLER_GONE, {}, 1, 0, (m) => {
      m.net.onSend((r) => {
        if (r.envelope.to === 'u1' && r.envelope.msg.type === 'PrivateCallRequest') request = r.envelope.msg;
      });
      m.sim.scheduleAt(3_000_000, () => m.net.send('serverA', 'u1', request as McMessage), undefined);
    });
    const late = hops.filter((h) => h.t >= 3_000_000 && 'callId' in h.msg && h.msg.callId === 'call-1');
    expect(steps(late)).toEqual([
      'serverA -> u1: PrivateCallRequest', // the held-up copy
      'u1 -> serverA: PrivateCallResponse', // accepted
      'serverA -> u1: CallEndRequest', // u0 is no longer registered here: the server ends it
      'u1 -> serverA: CallEndResponse',
    ]);
    expect(model.client('u1').calls.legs.size).toBe(0);
  });
});

// Found by random scenarios (seed 890, 16 actions): a request held up on the caller's access
// reached the caller's server just before the caller's deregistration (it had migrated), so the
// server opened the call; the callee accepted, the caller was gone, and the server still
// connected the call and gave the callee Floor Taken: the callee was left in a call nobody held.
const LEFT_DURING_SETUP = (extra = ''): string => `
topology:
${constantDefaults({ access: 5, inter: 10, client: 1, server: 1 })}
  systems: { A: {}, B: {} }
  interconnects: [{ between: [A, B] }]
population:
  users: [{ name: u0, primary: A }, { name: u1, primary: B }]
timeline:
  - { at: 0ms, privateCall: { from: u0, to: u1, service: mcptt, commencement: automatic, hangUpAfter: 100ms } }
  - { at: 1s, migrate: { user: u0, to: B } }
${extra}`;

/**
 * Runs LEFT_DURING_SETUP with a copy of the first call request `from` sent, held up on its
 * way: it reaches `to` at `at` (microseconds) as call `callId`.
 */
function heldUpCopy(from: string, to: string, at: number, callId: string, extra = ''): ReturnType<typeof simulate> {
  let request: McMessage | undefined;
  return simulate(LEFT_DURING_SETUP(extra), {}, 1, 0, (m) => {
    m.net.onSend((r) => {
      if (r.envelope.from === from && r.envelope.msg.type === 'PrivateCallRequest') request ??= r.envelope.msg;
    });
    m.sim.scheduleAt(at, () => m.net.send(from, to, { ...(request as McMessage), callId } as McMessage), undefined);
  });
}

/** The copy serverA sent on to serverB, held up past the set-up timeout (serverA keeps no record), reaching serverB at 2 s, after u0 left A. */
const orphan = (extra = ''): ReturnType<typeof simulate> =>
  heldUpCopy('serverA', 'serverB', 2_000_000, 'call-orphan', extra);

describe("an accept reaching the caller's server after the caller left it", () => {
  it('ends the call towards the callee rather than connecting it (assumption A33)', () => {
    // A copy of u0's request, held up on its way, arrives at serverA at 1004 ms; u0's
    // deregistration (sent at 1 s as it migrates) arrives at 1005 ms, behind it.
    const { model, hops } = heldUpCopy('u0', 'serverA', 999_000, 'call-late');
    const late = hops.filter((h) => 'callId' in h.msg && h.msg.callId === 'call-late');
    expect(steps(late)).toEqual([
      'u0 -> serverA: PrivateCallRequest', // the held-up copy, with u0 still registered
      'serverA -> serverB: PrivateCallRequest',
      'serverB -> u1: PrivateCallRequest',
      'u1 -> serverB: PrivateCallResponse', // accepted
      'serverB -> serverA: PrivateCallResponse', // u0 has deregistered meanwhile
      'serverA -> serverB: CallEndRequest', // no Floor Granted / Taken: the server ends the call
      'serverB -> u1: CallEndRequest',
      'u1 -> serverB: CallEndResponse',
      'serverB -> serverA: CallEndResponse',
    ]);
    expect(model.client('u1').calls.legs.size).toBe(0);
    expect(model.servers.get('A')?.calls.records.has('call-late')).toBe(false);
  });

  it('ends a call the server no longer has, towards the callee as it is registered now', () => {
    const { model, hops } = orphan();
    const late = hops.filter((h) => 'callId' in h.msg && h.msg.callId === 'call-orphan');
    expect(steps(late)).toEqual([
      'serverA -> serverB: PrivateCallRequest',
      'serverB -> u1: PrivateCallRequest',
      'u1 -> serverB: PrivateCallResponse', // accepted
      'serverB -> serverA: PrivateCallResponse', // no record, and u0 is not registered here
      'serverA -> serverB: CallEndRequest',
      'serverB -> u1: CallEndRequest',
      'u1 -> serverB: CallEndResponse',
      'serverB -> serverA: CallEndResponse',
    ]);
    expect(late[2]?.msg).toMatchObject({ result: 'accepted', responder: 'sip:u1@b.mcx' });
    expect(model.client('u1').calls.legs.size).toBe(0);
    expect(model.servers.get('A')?.calls.unansweredEnds.size).toBe(0);
  });

  it('keeps on record an end lost for good, which leaves the callee in the call: a network failure (seed 894)', () => {
    // u1's access goes down at 2030 ms, after its accept (2022 ms) and before the call end
    // reaches serverB (2044 ms), and stays down past SIP's give-up time.
    const { model, hops } = orphan('  - { at: 2030ms, fault: { for: 60s, linkDown: { between: [u1, serverB] } } }');
    const end = hops.find(
      (h) => h.type === 'CallEndRequest' && h.to === 'u1' && 'callId' in h.msg && h.msg.callId === 'call-orphan',
    );
    expect(end).toMatchObject({ from: 'serverB', arrive: -1 });
    expect(model.client('u1').calls.legs.get('call-orphan')?.state).toBe('part of ongoing call');
    // simulate() passed the invariants: the half-open call is excused as a lost release.
    expect([...(model.servers.get('A')?.calls.unansweredEnds ?? [])]).toEqual(['call-orphan']);
  });
});
