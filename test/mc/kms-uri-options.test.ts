import { describe, expect, it } from 'vitest';
import { constantDefaults, samplesOf, simulate, steps } from './harness.ts';

const L = { access: 20, core: 2, inter: 15 };
const P = { client: 7, server: 3, gateway: 1, kms: 10 };

/** alice (C) calls bob (primary A, migrated to B) with E2EE; every delay constant. */
const scenario = (kmsUri: string) => `
topology:
${constantDefaults({ access: L.access, core: L.core, inter: L.inter, client: P.client, server: P.server, gateway: P.gateway })}
  systems: { A: { hiding: true }, B: { hiding: true }, C: { hiding: true } }
  interconnects: [{ between: [A, B] }, { between: [A, C] }, { between: [B, C] }]
population:
  users:
    - { name: alice, primary: C }
    - { name: bob, primary: A, serving: B }
security: { e2ee: true, kmsUri: ${kmsUri} }
timeline:
  - { at: 0ms, privateCall: { from: alice, to: bob } }
`;

const setupOf = (model: ReturnType<typeof simulate>['model']): number => {
  const [s] = samplesOf(model, 'private_call.setup');
  expect(s?.outcome).toBe('success');
  return s ? s.end - s.start : NaN;
};

describe("the migrated callee's KMS URI: three sources (23.280 10.16.5.3, 33.180 D.2.7)", () => {
  const run = (kmsUri: string) => simulate(scenario(kmsUri));

  it("in the caller's profile: no KMS URI in the redirection, no lookup, the I_MESSAGE built for B's KMS", () => {
    const { hops, model } = run('profile');
    expect(hops.find((h) => h.type === 'PrivateCallRedirection')?.msg).not.toHaveProperty('kmsUri');
    expect(steps(hops).some((s) => s.includes('Kms'))).toBe(false);
    const second = hops.filter((h) => h.type === 'PrivateCallRequest' && h.from === 'alice')[1];
    expect(second?.msg).toMatchObject({ target: 'sip:bob.visitor@b.mcx', kmsUri: 'kms.b.mcx' });
    expect(samplesOf(model, 'private_call.key_discovery')).toEqual([]);
  });

  it('profile = redirection < lookup under constant delays, the difference exactly the lookup path', () => {
    const profile = setupOf(run('profile').model);
    const redirection = setupOf(run('redirection').model);
    const lookup = run('lookup');
    // alice to her Home KMS (C) and back over her access link, C's KMS asking B's across the
    // interconnect, three KMS steps (C, B, C again), alice handling the answer.
    const lookupPath = (2 * L.access + 2 * L.inter + 3 * P.kms + P.client) * 1000;
    expect(profile).toBe(redirection);
    expect(setupOf(lookup.model) - redirection).toBe(lookupPath);
    const [l] = samplesOf(lookup.model, 'kms.lookup');
    expect(l ? l.end - l.start : NaN).toBe(lookupPath);
  });

  it('security.kmsUri wins over the older kmsUriInRedirection', () => {
    const lookup = simulate(scenario('profile'), { 'security.kmsUriInRedirection': false });
    expect(steps(lookup.hops).some((s) => s.includes('KmsLookup'))).toBe(false);
    const old = simulate(scenario('redirection').replace(', kmsUri: redirection', ', kmsUriInRedirection: false'));
    expect(steps(old.hops)).toContain('alice -> kmsC: KmsLookupRequest');
  });
});
