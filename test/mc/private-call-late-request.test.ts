import { describe, expect, it } from 'vitest';
import { simulate, steps } from './harness.ts';

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
