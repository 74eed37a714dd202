import { describe, expect, it } from 'vitest';
import { constantDefaults, samplesOf, simulate, steps } from './harness.ts';

const L = { access: 20, core: 2, inter: 15 };
const P = { client: 7, server: 3, gateway: 1, kms: 10 };

const scenario = (opts: { hiding?: boolean; alice?: string; extraC?: string } = {}) => `
topology:
${constantDefaults({ access: L.access, core: L.core, inter: L.inter, client: P.client, server: P.server, gateway: P.gateway })}
  systems:
    A: { hiding: ${opts.hiding ?? true} }
    B: { hiding: ${opts.hiding ?? true} }
    C: { hiding: ${opts.hiding ?? true}${opts.extraC ?? ''} }
  interconnects: [{ between: [A, B] }, { between: [A, C] }, { between: [B, C] }]
population:
  users:
    - { name: alice, primary: C${opts.alice ?? ''} }
    - { name: bob, primary: A, serving: B }
security: { e2ee: true, kmsUriInRedirection: true }
timeline:
  - { at: 0ms, privateCall: { from: alice, to: bob } }
`;

const NO_URI = { 'security.kmsUriInRedirection': false };

const setupOf = (model: ReturnType<typeof simulate>['model']): number => {
  const [s] = samplesOf(model, 'private_call.setup');
  expect(s?.outcome).toBe('success');
  return s ? s.end - s.start : NaN;
};

describe('private call towards a migrated user (23.280 10.16.5.3)', () => {
  it('hiding on everywhere: first request to the primary, redirection back, new call to the partner ID', () => {
    const { hops } = simulate(scenario());
    expect(steps(hops)).toEqual([
      'alice -> serverC: PrivateCallRequest', // step 1: towards bob's primary ID
      'serverC -> gatewayC: PrivateCallRequest',
      'gatewayC -> gatewayA: PrivateCallRequest',
      'gatewayA -> serverA: PrivateCallRequest',
      'serverA -> gatewayA: PrivateCallRedirection', // steps 2-3: bob migrated to B
      'gatewayA -> gatewayC: PrivateCallRedirection',
      'gatewayC -> serverC: PrivateCallRedirection',
      'serverC -> alice: PrivateCallRedirection',
      'alice -> serverC: PrivateCallRequest', // step 4: towards the partner-issued ID
      'serverC -> gatewayC: PrivateCallRequest',
      'gatewayC -> gatewayB: PrivateCallRequest',
      'gatewayB -> serverB: PrivateCallRequest',
      'serverB -> bob: PrivateCallRequest',
      'bob -> serverB: PrivateCallResponse',
      'serverB -> gatewayB: PrivateCallResponse',
      'gatewayB -> gatewayC: PrivateCallResponse',
      'gatewayC -> serverC: PrivateCallResponse',
      'serverC -> alice: PrivateCallResponse',
      'serverC -> alice: FloorGranted',
      'serverC -> gatewayC: FloorTaken',
      'gatewayC -> gatewayB: FloorTaken',
      'gatewayB -> serverB: FloorTaken',
      'serverB -> bob: FloorTaken',
    ]);
    expect(hops[0]?.msg).toMatchObject({ target: 'sip:bob@a.mcx', e2ee: true, kmsUri: 'kms.a.mcx' });
    expect(hops[4]?.msg).toEqual({
      type: 'PrivateCallRedirection',
      callId: 'call-1',
      target: 'sip:alice@c.mcx',
      callingId: 'sip:alice@c.mcx',
      calleePrimaryId: 'sip:bob@a.mcx',
      calleePartnerId: 'sip:bob.visitor@b.mcx',
      kmsUri: 'kms.b.mcx',
      reason: 'migrated',
    });
    expect(hops[8]?.msg).toMatchObject({ target: 'sip:bob.visitor@b.mcx', kmsUri: 'kms.b.mcx' });
  });

  it('without the KMS URI in the redirection the caller runs a KMS lookup (D.2.7) before the new call', () => {
    const { hops, model } = simulate(scenario({ hiding: false }), NO_URI);
    const after = steps(hops).slice(steps(hops).indexOf('serverC -> alice: PrivateCallRedirection') + 1);
    expect(after.slice(0, 5)).toEqual([
      'alice -> kmsC: KmsLookupRequest',
      'kmsC -> kmsB: KmsLookupRequest',
      'kmsB -> kmsC: KmsLookupResponse',
      'kmsC -> alice: KmsLookupResponse',
      'alice -> serverC: PrivateCallRequest',
    ]);
    const lookup = hops.find((h) => h.type === 'KmsLookupRequest');
    expect(lookup?.msg).toMatchObject({
      path: '/keymanagement/identity/v1/lookup/bob.visitor%40b.mcx',
      targetUri: 'sip:bob.visitor@b.mcx',
    });
    expect(hops.find((h) => h.type === 'PrivateCallRedirection')?.msg).not.toHaveProperty('kmsUri');
    expect(samplesOf(model, 'kms.lookup')[0]?.outcome).toBe('success');
  });

  it('an uncached certificate adds a Cert request after the lookup', () => {
    const { hops } = simulate(scenario({ hiding: false }), { ...NO_URI, 'security.cachedCertificates': ['A', 'C'] });
    const kms = steps(hops).filter((s) => s.includes('kms'));
    expect(kms).toEqual([
      'alice -> kmsC: KmsLookupRequest',
      'kmsC -> kmsB: KmsLookupRequest',
      'kmsB -> kmsC: KmsLookupResponse',
      'kmsC -> alice: KmsLookupResponse',
      'alice -> kmsC: KmsCertRequest',
      'kmsC -> alice: KmsCertResponse',
    ]);
  });

  describe('set-up time under constant delays', () => {
    // alice to her Home KMS and back, the KMS of C forwarding to B's KMS across the interconnect,
    // three KMS steps (C on the request, B, C on the answer), alice processing the answer.
    const lookupRoundTrip = (2 * L.access + 2 * L.inter + 3 * P.kms + P.client) * 1000;
    const certRoundTrip = (2 * L.access + P.kms + P.client) * 1000;

    it.each([true, false])(
      'kms-lookup minus kms-uri-in-redirection is exactly the lookup round trip (hiding %s)',
      (hiding) => {
        const withUri = setupOf(simulate(scenario({ hiding })).model);
        const { model } = simulate(scenario({ hiding }), NO_URI);
        expect(setupOf(model) - withUri).toBe(lookupRoundTrip);
        const [lookup] = samplesOf(model, 'kms.lookup');
        expect(lookup ? lookup.end - lookup.start : NaN).toBe(lookupRoundTrip);
      },
    );

    it('plus the certificate round trip when the certificate is not cached', () => {
      const withUri = setupOf(simulate(scenario()).model);
      const { model } = simulate(scenario(), { ...NO_URI, 'security.cachedCertificates': ['A', 'C'] });
      expect(setupOf(model) - withUri).toBe(lookupRoundTrip + certRoundTrip);
      const [discovery] = samplesOf(model, 'private_call.key_discovery');
      expect(discovery ? discovery.end - discovery.start : NaN).toBe(lookupRoundTrip + certRoundTrip);
    });

    it('with E2EE off the two designs are the same call', () => {
      const a = simulate(scenario(), { 'security.e2ee': false });
      const b = simulate(scenario(), { ...NO_URI, 'security.e2ee': false });
      expect(setupOf(a.model)).toBe(setupOf(b.model));
      expect(steps(b.hops).some((s) => s.includes('Kms'))).toBe(false);
      expect(a.hops.find((h) => h.type === 'PrivateCallRedirection')?.msg).not.toHaveProperty('kmsUri');
    });

    it('the redirection metric ends when the redirection reaches the caller', () => {
      const { model } = simulate(scenario({ hiding: false }));
      const [r] = samplesOf(model, 'private_call.redirection');
      // Caller's SAKKE + ECCSI for the first I_MESSAGE, then C -> A and back, caller processing.
      const expected = 12 + 3 + 2 * L.access + 2 * L.inter + 2 * P.server + P.server + P.client;
      expect(r ? r.end - r.start : NaN).toBe(expected * 1000);
    });
  });
});
