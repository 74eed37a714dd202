import { describe, expect, it } from 'vitest';
import { constantDefaults, THREE_SYSTEMS, samplesOf, simulate, steps } from './harness.ts';

const L = { access: 20, inter: 15 };
const P = { client: 7, server: 3, idms: 100, cms: 30, kms: 10 };
const CRYPTO = { encapsulate: 12, sign: 3, verify: 7, decapsulate: 25 };

const scenario = (alice: string, migrateTo: string, e2ee: boolean, extraA = '') => `
topology:
${constantDefaults({ access: L.access, inter: L.inter, client: P.client, server: P.server })}
${THREE_SYSTEMS.replace('A: {}', `A: {${extraA}}`)}
population:
  users:
    - { name: alice, ${alice} }
    - { name: bob, primary: B }
security: { e2ee: ${e2ee} }
timeline:
  - { at: 0ms, privateCall: { from: alice, to: bob } }
  - { at: 2s, migrate: { user: alice, to: ${migrateTo} } }
`;

const durationOf = (model: ReturnType<typeof simulate>['model'], metric: string): number => {
  const s = samplesOf(model, metric).at(-1);
  expect(s?.outcome).toBe('success');
  return s ? s.end - s.start : NaN;
};

/** One request to a node of the UE's serving system and its answer: access both ways, the node, the UE. */
const roundTrip = (node: number) => 2 * L.access + node + P.client;

describe('key material after migration with E2EE (33.180 5.3.1.3, D.2.2, D.2.3)', () => {
  it('to a partner: KMS Initialize and KeyProvision at the migration KMS after the authorization, before the new call', () => {
    const { hops } = simulate(scenario('primary: A', 'C', true));
    const after = steps(hops.filter((h) => h.t >= 2_000_000));
    const authorized = after.indexOf('serverC -> alice: MigrationServiceAuthorizationResponse');
    expect(after.slice(authorized + 1, authorized + 6)).toEqual([
      'alice -> kmsC: KmsInitRequest',
      'kmsC -> alice: KmsInitResponse',
      'alice -> kmsC: KmsKeyProvisionRequest',
      'kmsC -> alice: KmsKeyProvisionResponse',
      'alice -> serverC: PrivateCallRequest',
    ]);
    expect(hops.find((h) => h.type === 'KmsKeyProvisionRequest')?.msg).toMatchObject({
      userUri: 'sip:alice.visitor@c.mcx',
    });
  });

  it('migration.interruption with E2EE = the sum of the phases + the two key-provisioning round trips, exactly', () => {
    const { model } = simulate(scenario('primary: A', 'C', true));
    const overInterconnect = (serverSteps: number) => 2 * L.access + 2 * L.inter + serverSteps * P.server + P.client;
    const release = 4 * L.access + 2 * L.inter + 4 * P.server + 2 * P.client + P.server;
    const auth = 2 * L.access + P.idms + P.client;
    const profile = 2 * L.access + 2 * L.inter + 3 * P.cms + P.client;
    const registration = 4 * L.access + 2 * L.inter + 4 * P.server + 2 * P.client;
    const authorization = overInterconnect(3);
    const keyProvisioning = 2 * roundTrip(P.kms);
    // The new call with E2EE: the caller's SAKKE and ECCSI work, the callee's verification and
    // decapsulation, on top of the plain set-up.
    const crypto = CRYPTO.encapsulate + CRYPTO.sign + CRYPTO.verify + CRYPTO.decapsulate;
    const setup = 4 * L.access + 2 * L.inter + 4 * P.server + 3 * P.client + crypto;
    expect(durationOf(model, 'migration.key_provisioning')).toBe(keyProvisioning * 1000);
    expect(durationOf(model, 'private_call.setup')).toBe(setup * 1000);
    expect(durationOf(model, 'migration.interruption')).toBe(
      (release + auth + profile + registration + authorization + keyProvisioning + setup) * 1000,
    );
    const plain = simulate(scenario('primary: A', 'C', false)).model;
    expect(durationOf(model, 'migration.interruption') - durationOf(plain, 'migration.interruption')).toBe(
      (keyProvisioning + crypto) * 1000,
    );
  });

  it('none without E2EE, and none back home, where the primary key material still serves', () => {
    for (const { model, hops } of [
      simulate(scenario('primary: A', 'C', false)),
      simulate(scenario('primary: A, serving: C', 'A', true)),
    ]) {
      expect(steps(hops).filter((s) => /KmsInit|KmsKeyProvision/.test(s))).toEqual([]);
      expect(samplesOf(model, 'migration.key_provisioning')).toEqual([]);
      expect(samplesOf(model, 'migration.interruption').map((s) => s.outcome)).toEqual(['success']);
    }
  });

  it('a migration KMS the Home KMS does not permit: no key material, E2EE service does not resume', () => {
    const { model, hops } = simulate(scenario('primary: A', 'C', true, ' permittedKms: [B]'));
    expect(steps(hops).filter((s) => s.includes('KmsInit'))).toEqual([]);
    expect(samplesOf(model, 'migration.key_provisioning').map((s) => s.outcome)).toEqual(['no-permitted-kms']);
    expect(samplesOf(model, 'migration.interruption').map((s) => s.outcome)).toEqual(['no-permitted-kms']);
    expect(model.client('alice').calls.connectedLegs()).toEqual([]);
  });
});
