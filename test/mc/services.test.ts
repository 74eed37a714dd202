import { describe, expect, it } from 'vitest';
import { samplesOf, simulate, steps } from './harness.ts';

const ACCESS = 20;
const SERVER = 3;
const CLIENT = 7;

const scenario = (call: string, opts: { e2ee?: boolean; answer?: string } = {}) => `
topology:
  systems:
    A:
      access: { latency: ${ACCESS}ms }
      processing:
        client: { default: ${CLIENT}ms, workers: 1, byKind: { sakke-encapsulate: 12ms, eccsi-sign: 3ms, eccsi-verify: 7ms, sakke-decapsulate: 25ms } }
        server: { default: ${SERVER}ms, workers: 1 }
population:
  users: [{ name: alice, primary: A }, { name: bob, primary: A }]
security: { e2ee: ${opts.e2ee ?? false} }
calls: { answerDelay: ${opts.answer ?? '2s'} }
timeline:
  - { at: 0ms, privateCall: { from: alice, to: bob, ${call} } }
`;

const setup = (model: ReturnType<typeof simulate>['model'], metric = 'private_call.setup') => {
  const [s] = samplesOf(model, metric);
  expect(s?.outcome).toBe('success');
  return s ? s.end - s.start : NaN;
};

describe('private call flavours', () => {
  it('MCVideo (23.281 7.2.2.3.1): transmission control instead of floor control', () => {
    const { model, hops } = simulate(scenario('service: mcvideo'));
    expect(steps(hops)).toEqual([
      'alice -> serverA: PrivateCallRequest',
      'serverA -> bob: PrivateCallRequest',
      'bob -> serverA: PrivateCallResponse',
      'serverA -> alice: PrivateCallResponse',
      'serverA -> alice: TransmissionGranted',
    ]);
    expect(hops[0]?.msg).toMatchObject({ service: 'mcvideo' });
    expect(setup(model, 'video_call.setup')).toBe((4 * ACCESS + 2 * SERVER + 3 * CLIENT) * 1000);
    expect(samplesOf(model, 'private_call.setup')).toEqual([]);
  });

  it('MCData one-to-one SDS (23.282 7.4.2.2): one request, delivered at the delivery report', () => {
    const { model, hops } = simulate(scenario('service: mcdata'));
    expect(steps(hops)).toEqual([
      'alice -> serverA: SdsMessage',
      'serverA -> bob: SdsMessage',
      'bob -> serverA: SdsDeliveryReport',
      'serverA -> alice: SdsDeliveryReport',
    ]);
    expect(setup(model, 'sds.delivery')).toBe((4 * ACCESS + 2 * SERVER + 2 * CLIENT) * 1000);
    expect(samplesOf(model, 'private_call.setup')).toEqual([]);
  });

  it('manual commencement (23.379 10.7.2.2.2): ringing, then the answer after the human delay', () => {
    const { model, hops } = simulate(scenario('commencement: manual', { answer: '2s' }));
    expect(steps(hops)).toEqual([
      'alice -> serverA: PrivateCallRequest',
      'serverA -> bob: PrivateCallRequest',
      'bob -> serverA: PrivateCallRinging',
      'serverA -> alice: PrivateCallRinging',
      'bob -> serverA: PrivateCallResponse',
      'serverA -> alice: PrivateCallResponse',
      'serverA -> alice: FloorGranted',
      'serverA -> bob: FloorTaken',
    ]);
    expect(setup(model)).toBe((4 * ACCESS + 2 * SERVER + 3 * CLIENT + 2000) * 1000);
  });

  it('E2EE adds the caller SAKKE + ECCSI work and the callee verification + decapsulation', () => {
    const plain = setup(simulate(scenario('service: mcptt')).model);
    const { model, hops } = simulate(scenario('service: mcptt', { e2ee: true }));
    expect(setup(model) - plain).toBe((12 + 3 + 7 + 25) * 1000);
    // The I_MESSAGE rides in the SDP offer: 930 bytes more on the wire.
    expect(hops[0]?.msg).toMatchObject({ e2ee: true, kmsUri: 'kms.a.mcx' });
  });

  it('release by call end request/response; the call state is gone on both sides', () => {
    const { model, hops } = simulate(scenario('hangUpAfter: 10s'));
    expect(steps(hops).slice(-4)).toEqual([
      'alice -> serverA: CallEndRequest',
      'serverA -> bob: CallEndRequest',
      'bob -> serverA: CallEndResponse',
      'serverA -> alice: CallEndResponse',
    ]);
    expect(model.client('alice').calls.legs.size).toBe(0);
    expect(model.client('bob').calls.legs.size).toBe(0);
    expect(model.server('A').calls.records.size).toBe(0);
  });
});

describe('signalling and media plane out of order', () => {
  it('a floor grant that overtakes the final response (UDP, random delays) still completes the set-up', () => {
    const calls = Array.from(
      { length: 40 },
      (_, i) => `  - { at: ${i}s, privateCall: { from: alice, to: bob, hangUpAfter: 500ms } }`,
    ).join('\n');
    const { model, hops } = simulate(`
topology:
  systems:
    A:
      access: { latency: { uniform: [1ms, 60ms] }, transport: unreliable }
      processing: { client: { default: 1ms, workers: 1 }, server: { default: 1ms, workers: 1 } }
population:
  users: [{ name: alice, primary: A }, { name: bob, primary: A }]
timeline:
${calls}
`);
    const overtaken = hops
      .filter((h) => h.type === 'FloorGranted')
      .filter((g) => {
        const resp = hops.find(
          (h) =>
            h.type === 'PrivateCallResponse' &&
            h.to === 'alice' &&
            (h.msg as { callId: string }).callId === (g.msg as { callId: string }).callId,
        );
        return resp !== undefined && g.arrive < resp.arrive;
      });
    expect(overtaken.length).toBeGreaterThan(0);
    expect(samplesOf(model, 'private_call.setup').map((s) => s.outcome)).toEqual(Array(40).fill('success'));
  });
});
