import { describe, expect, it } from 'vitest';
import { constantDefaults, THREE_SYSTEMS, samplesOf, simulate, steps } from './harness.ts';

const L = { access: 20, inter: 15 };
const P = { client: 7, server: 3, idms: 100, cms: 30 };

const scenario = (alice: string, migrateTo: string) => `
topology:
${constantDefaults({ access: L.access, inter: L.inter, client: P.client, server: P.server })}
${THREE_SYSTEMS}
population:
  users:
    - { name: alice, ${alice} }
    - { name: bob, primary: B }
timeline:
  - { at: 0ms, privateCall: { from: alice, to: bob } }
  - { at: 2s, migrate: { user: alice, to: ${migrateTo} } }
`;

const durationOf = (model: ReturnType<typeof simulate>['model'], metric: string): number => {
  const s = samplesOf(model, metric).at(-1);
  expect(s?.outcome).toBe('success');
  return s ? s.end - s.start : NaN;
};

/** One request/response across one interconnect hop: client <-> server <-> server. */
const overInterconnect = (serverSteps: number) => 2 * L.access + 2 * L.inter + serverSteps * P.server + P.client;

describe('migration during an ongoing private call (23.280 10.16.4)', () => {
  it('to a partner system: notify, release with the reason, profile, registration, authorization, new call', () => {
    const { hops, model } = simulate(scenario('primary: A', 'C'));
    const after = steps(hops.filter((h) => h.t >= 2_000_000));
    expect(after.slice(0, 9)).toEqual([
      'alice -> serverA: MigrationIntentNotification', // step 2
      'alice -> serverA: CallEndRequest', // step 3
      'serverA -> serverB: CallEndRequest',
      'serverB -> bob: CallEndRequest',
      'bob -> serverB: CallEndResponse',
      'serverB -> serverA: CallEndResponse',
      'serverA -> alice: CallEndResponse',
      'alice -> serverA: SipRegister', // leaving A
      'alice -> idmsC: AuthenticationRequest',
    ]);
    expect(after).toContain('cmsC -> cmsA: MigrationProfileRequest'); // step 4b: 10.1.4.3.2
    expect(after).toContain('serverC -> serverA: SipAuthInfoRequest'); // step 5b: 10.1.6.2
    expect(after).toContain('serverC -> serverA: MigrationServiceAuthorizationRequest'); // 10.6.3.3.1
    expect(after.slice(-9)).toEqual([
      'alice -> serverC: PrivateCallRequest', // step 6, now C -> B
      'serverC -> serverB: PrivateCallRequest',
      'serverB -> bob: PrivateCallRequest',
      'bob -> serverB: PrivateCallResponse',
      'serverB -> serverC: PrivateCallResponse',
      'serverC -> alice: PrivateCallResponse',
      'serverC -> alice: FloorGranted',
      'serverC -> serverB: FloorTaken',
      'serverB -> bob: FloorTaken',
    ]);
    expect(hops.find((h) => h.type === 'CallEndRequest')?.msg).toMatchObject({ reason: 'release due to migration' });
    expect(Object.fromEntries(model.client('bob').releaseReasons)).toEqual({ 'release due to migration': 1 });
  });

  it('interruption equals the sum of its phases under constant delays', () => {
    const { model } = simulate(scenario('primary: A', 'C'));
    // Release: the intent notification reaches serverA just before the call end request and
    // holds its one worker for one processing step.
    const release = 4 * L.access + 2 * L.inter + 4 * P.server + 2 * P.client + P.server;
    const auth = 2 * L.access + P.idms + P.client;
    const profile = 2 * L.access + 2 * L.inter + 3 * P.cms + P.client;
    const registration = 4 * L.access + 2 * L.inter + 4 * P.server + 2 * P.client;
    const authorization = overInterconnect(3);
    const setup = 4 * L.access + 2 * L.inter + 4 * P.server + 3 * P.client;
    expect(durationOf(model, 'profile.retrieval')).toBe(profile * 1000);
    expect(durationOf(model, 'registration')).toBe(registration * 1000);
    expect(durationOf(model, 'migration.authorization')).toBe(authorization * 1000);
    expect(durationOf(model, 'private_call.setup')).toBe(setup * 1000);
    expect(durationOf(model, 'migration.interruption')).toBe(
      (release + auth + profile + registration + authorization + setup) * 1000,
    );
  });

  it('leaves a clean state: old call released on both sides, new call up, primary record set', () => {
    const { model } = simulate(scenario('primary: A', 'C'));
    const alice = model.client('alice');
    const bob = model.client('bob');
    expect(alice.calls.connectedLegs().map((l) => l.peer)).toEqual(['sip:bob@b.mcx']);
    expect(bob.calls.connectedLegs().map((l) => l.peer)).toEqual(['sip:alice.visitor@c.mcx']);
    expect(model.server('A').calls.records.size).toBe(0);
    expect([...model.server('C').calls.records.values()].map((r) => r.state)).toEqual(['connected']);
    expect(model.server('A').migrationTable.get('sip:alice@a.mcx')).toMatchObject({
      partnerSystem: 'C',
      status: 'migrated',
    });
  });

  it('back to the primary system: 10.1.4.3.1 profile, 10.6.1 registration, then de-authorization at the old partner', () => {
    const { hops, model } = simulate(scenario('primary: A, serving: C', 'A'));
    const after = steps(hops.filter((h) => h.t >= 2_000_000));
    expect(after).toContain('alice -> cmsA: UserProfileRequest');
    expect(after).not.toContain('cmsA -> cmsC: MigrationProfileRequest');
    expect(after).toContain('alice -> serverA: ServiceAuthorizationRequest');
    expect(after).not.toContain('alice -> serverA: MigrationServiceAuthorizationRequest');
    expect(after).toContain('alice -> serverC: MigrationServiceDeauthorizationRequest');
    expect(samplesOf(model, 'migration.interruption').map((s) => s.outcome)).toEqual(['success']);
    expect(
      model
        .client('bob')
        .calls.connectedLegs()
        .map((l) => l.peer),
    ).toEqual(['sip:alice@a.mcx']);
    expect(model.server('A').migrationTable.get('sip:alice@a.mcx')?.status).toBe('deauthorized');
  });

  it('the callee migrating is re-called through the redirection when the peer is known by its primary ID', () => {
    // bob calls alice (primary A); alice migrates to C; alice re-calls bob, who never moved.
    const { model } = simulate(
      scenario('primary: A', 'C').replace(
        'privateCall: { from: alice, to: bob }',
        'privateCall: { from: bob, to: alice }',
      ),
    );
    expect(samplesOf(model, 'migration.interruption').map((s) => s.outcome)).toEqual(['success']);
    expect(model.client('bob').calls.connectedLegs()).toHaveLength(1);
  });
});
