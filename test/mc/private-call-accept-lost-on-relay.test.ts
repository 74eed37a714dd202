import { describe, expect, it } from 'vitest';
import { SIP_GIVE_UP } from '../../src/net/index.ts';
import { simulate, steps } from './harness.ts';

// Found by random scenarios and shrunk (fast-check seed 20261121, case 25,276 of a long run):
// over UDP, a loss burst on u0's access holds up u0's request for call-7 by three
// retransmissions. Meanwhile u0's access goes down for good and u0, armed to detect the need
// to migrate, releases its calls from where it attaches: its release of call-7 reaches serverA
// before the request does. The request then reaches u1, which accepts; serverA's relay of the
// accept to u0 is lost for good on u0's dead access. Nobody told u1, which stayed in the call.
// The case as found, seed 107224.
const scenario = `
topology:
  defaults:
    access: { latency: 1ms, transport: unreliable }
    core: { latency: 1ms }
    interconnect: { latency: 1ms }
    processing: { server: { default: 1ms, workers: 2 } }
  systems: { A: { hiding: false, deauthorizeTowardsPrimary: true } }
population:
  users:
    - { name: u0, primary: A, serving: A }
    - { name: u1, primary: A, serving: A }
  groups: [{ id: g, home: A }]
security: { e2ee: false, kmsUriInRedirection: false }
timers: { hangTime: 0ms }
timeline:
  - { at: 0ms, privateCallLoad: { rate: 2/s, duration: 2758ms, service: mcptt, hangUpAfter: { exponential: 2858ms } } }
  - { at: 0ms, detectMigrationNeed: { user: u0, to: A, on: accessLinkDown } }
  - { at: 2758ms, accessLinkDown: { user: u0 } }
  - { at: 0ms, privateCall: { from: u0, to: u1, service: mcptt, commencement: automatic, hangUpAfter: 100ms } }
  - { at: 0ms, privateCall: { from: u0, to: u1, service: mcptt, commencement: automatic, hangUpAfter: 100ms } }
  - { at: 2011ms, fault: { for: 760ms, lossBurst: { between: [u0, serverA], p: 0.2, r: 0.4 } } }
`;

describe('an accept lost for good on a hop after the callee’s own', () => {
  it('has the callee end the dialog when its 2xx retransmissions would give up (RFC 3261 13.3.1.4; assumption A33)', () => {
    // simulate() also checks the invariants: no call is left half-open.
    const { model, hops } = simulate(scenario, {}, 107224);
    const call = hops.filter((h) => 'callId' in h.msg && h.msg.callId === 'call-7');
    const request = call.find((h) => h.type === 'PrivateCallRequest' && h.from === 'u0');
    const release = call.find((h) => h.type === 'CallEndRequest' && h.from === 'u0');
    // The case itself: u0's release reaches serverA before its held-up request.
    expect(release && request && release.arrive < request.arrive).toBe(true);
    const late = call.filter((h) => h.t >= (request?.arrive ?? Infinity));
    expect(steps(late)).toEqual([
      'serverA -> u1: PrivateCallRequest',
      'u1 -> serverA: PrivateCallResponse', // accepted
      'serverA -> u0: PrivateCallResponse', // lost for good: u0's access is down
      'serverA -> u0: FloorGranted',
      'serverA -> u1: FloorTaken',
      'u1 -> serverA: CallEndRequest', // no ACK came: u1 ends the dialog
      'serverA -> u0: CallEndRequest',
    ]);
    const [, accept, relayed] = late;
    expect(relayed?.arrive).toBe(-1);
    expect(late[5]?.t).toBe((accept?.t ?? NaN) + SIP_GIVE_UP);
    expect(model.client('u1').calls.legs.has('call-7')).toBe(false);
    // Its release cannot reach u0 either: it ends unanswered, a network failure.
    expect([...model.client('u1').calls.unconfirmedReleases]).toContain('call-7');
  });
});
