import { describe, expect, it } from 'vitest';
import { SIP_GIVE_UP } from '../../src/net/index.ts';
import { constantDefaults, simulate, steps } from './harness.ts';

// Found by random scenarios (seed 910, 24 actions): a callee accepted a call request that had
// been held up on its access; its accept was then lost for good, so nobody else ever had the
// call, and the callee stayed in it alone.
const scenario = `
topology:
${constantDefaults({ access: 5, inter: 10, client: 1, server: 1 })}
  systems: { A: {} }
population:
  users: [{ name: u0, primary: A }, { name: u1, primary: A }]
timeline:
  - { at: 0ms, privateCall: { from: u1, to: u0, service: mcptt, commencement: automatic } }
  # The request reaches u0 at 11 ms; u0 accepts at 12 ms, into an access that is down for 100 s.
  - { at: 11500us, fault: { for: 100s, linkDown: { between: [u0, serverA] } } }
`;

describe('an accept the network loses for good', () => {
  it('has the callee end the dialog when its 2xx retransmissions would give up (RFC 3261 13.3.1.4; assumption A33)', () => {
    // simulate() checks the invariants: no call is left half-open.
    const { model, hops } = simulate(scenario);
    const mine = hops.filter((h) => h.from === 'u0');
    expect(steps(mine)).toEqual(['u0 -> serverA: PrivateCallResponse', 'u0 -> serverA: CallEndRequest']);
    const [accept, bye] = mine;
    expect(accept?.arrive).toBe(-1);
    expect(bye?.t).toBe((accept?.t ?? NaN) + SIP_GIVE_UP);
    expect(bye?.arrive).toBe(-1);
    // The BYE is lost too: the dialog ends at its transaction timer, a release nobody answered.
    expect(model.client('u0').calls.legs.size).toBe(0);
    expect([...model.client('u0').calls.unconfirmedReleases]).toEqual(['call-1']);
    expect(samplesOutcome(model)).toEqual(['timeout']);
  });
});

describe('an accept refused by a crashed node on its way (seeds 919, 920)', () => {
  it('has the callee end the dialog when its 2xx retransmissions would give up (assumption A33)', () => {
    // serverA crashes at 11.5 ms, between the request reaching u0 (11 ms) and u0's accept
    // reaching serverA (17 ms), and stays down past the callee's BYE.
    const crashed = scenario
      .replace('linkDown: { between: [u0, serverA] }', 'crash: { node: serverA }')
      .replace('for: 100s', 'for: 40s');
    const { model, hops } = simulate(crashed);
    const mine = hops.filter((h) => h.from === 'u0');
    expect(steps(mine)).toEqual(['u0 -> serverA: PrivateCallResponse', 'u0 -> serverA: CallEndRequest']);
    const [accept, bye] = mine;
    // The accept reached the node, which was down: refused, not lost on the way.
    expect(accept?.arrive).toBe(17_000);
    expect(bye?.t).toBe((accept?.t ?? NaN) + SIP_GIVE_UP);
    expect(model.client('u0').calls.legs.size).toBe(0);
    expect([...model.client('u0').calls.unconfirmedReleases]).toEqual(['call-1']);
  });
});

const samplesOutcome = (model: ReturnType<typeof simulate>['model']): string[] =>
  model.recorder.samples.filter((s) => s.metric === 'private_call.setup').map((s) => s.outcome);
