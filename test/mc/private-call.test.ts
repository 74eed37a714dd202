import { describe, expect, it } from 'vitest';
import { samplesOf, simulate, steps } from './harness.ts';

const ACCESS = 20; // ms, one way
const SERVER = 3; // ms per message
const CLIENT = 7; // ms per message

const scenario = (extra = '') => `
topology:
  systems:
    A:
      access: { latency: ${ACCESS}ms }
      core: { latency: 2ms }
      processing:
        client: { default: ${CLIENT}ms, workers: 1 }
        server: { default: ${SERVER}ms, workers: 1 }
population:
  users: [{ name: alice, primary: A }, { name: bob, primary: A }]
timeline:
  - { at: 0ms, privateCall: { from: alice, to: bob${extra} } }
`;

describe('MCPTT private call in one system (23.379 10.7.2.2.1, docs/domain.md 4.7)', () => {
  it('follows the spec steps: request, request to callee, response, response, floor granted / taken', () => {
    const { hops } = simulate(scenario());
    expect(steps(hops)).toEqual([
      'alice -> serverA: PrivateCallRequest', // step 1
      'serverA -> bob: PrivateCallRequest', // step 3
      'bob -> serverA: PrivateCallResponse', // step 5
      'serverA -> alice: PrivateCallResponse', // step 6
      'serverA -> alice: FloorGranted', // step 7
      'serverA -> bob: FloorTaken', // step 7
    ]);
    const req = hops[0]?.msg;
    expect(req).toMatchObject({
      commencement: 'automatic',
      implicitFloorRequest: true,
      caller: 'sip:alice@a.mcx',
      target: 'sip:bob@a.mcx',
    });
  });

  it('setup time equals the sum along the message path, to the microsecond', () => {
    const { model } = simulate(scenario());
    const [sample] = samplesOf(model, 'private_call.setup');
    // uplink, server, downlink to callee, callee, uplink, server, downlink, then the caller
    // processes the response and, queued behind it on its one worker, the floor grant.
    const expected = (4 * ACCESS + 2 * SERVER + CLIENT + CLIENT + CLIENT) * 1000;
    expect(sample?.outcome).toBe('success');
    expect(sample ? sample.end - sample.start : NaN).toBe(expected);
  });

  it('without floor control the call is set up at the final response', () => {
    const { model, hops } = simulate(scenario(', floorControl: false'));
    expect(steps(hops)).not.toContain('serverA -> alice: FloorGranted');
    const [sample] = samplesOf(model, 'private_call.setup');
    expect(sample ? sample.end - sample.start : NaN).toBe((4 * ACCESS + 2 * SERVER + 2 * CLIENT) * 1000);
  });
});
