import { describe, expect, it } from 'vitest';
import { constantDefaults, samplesOf, simulate, steps } from './harness.ts';

const L = { access: 20, core: 2, inter: 15 };
const P = { client: 7, server: 3, gateway: 1 };

const topology = (hidingA: boolean, hidingB: boolean, extra = '') => `
topology:
${constantDefaults({ access: L.access, core: L.core, inter: L.inter, client: P.client, server: P.server, gateway: P.gateway })}
  systems:
    A: { hiding: ${hidingA} }
    B: { hiding: ${hidingB}${extra} }
  interconnects: [{ between: [A, B] }]
`;

const scenario = (
  hidingA: boolean,
  hidingB: boolean,
  opts: { extraB?: string; profile?: string; user?: string } = {},
) => `
${topology(hidingA, hidingB, opts.extraB)}
population:
  users: [{ name: bob, primary: A${opts.user ?? ''} }, { name: alice, primary: A }]
timeline:
  - { at: 0ms, migrate: { user: bob, to: B${opts.profile ? `, profile: ${opts.profile}` : ''} } }
`;

const msa = (hops: ReturnType<typeof simulate>['hops']) =>
  steps(hops.filter((h) => h.type.startsWith('MigrationServiceAuthorization')));

describe('migration service authorization (23.280 10.6.3.3.1)', () => {
  it('hiding on in both systems: client -> partner server -> partner gateway -> primary gateway -> primary server and back', () => {
    const { hops } = simulate(scenario(true, true));
    expect(msa(hops)).toEqual([
      'bob -> serverB: MigrationServiceAuthorizationRequest', // step 1
      'serverB -> gatewayB: MigrationServiceAuthorizationRequest', // step 3
      'gatewayB -> gatewayA: MigrationServiceAuthorizationRequest', // step 4
      'gatewayA -> serverA: MigrationServiceAuthorizationRequest', // step 5
      'serverA -> gatewayA: MigrationServiceAuthorizationResponse', // step 8
      'gatewayA -> gatewayB: MigrationServiceAuthorizationResponse', // step 9
      'gatewayB -> serverB: MigrationServiceAuthorizationResponse', // step 10
      'serverB -> bob: MigrationServiceAuthorizationResponse', // step 12
    ]);
  });

  it('hiding off: the two servers talk directly (NOTE 35)', () => {
    const { hops } = simulate(scenario(false, false));
    expect(msa(hops)).toEqual([
      'bob -> serverB: MigrationServiceAuthorizationRequest',
      'serverB -> serverA: MigrationServiceAuthorizationRequest',
      'serverA -> serverB: MigrationServiceAuthorizationResponse',
      'serverB -> bob: MigrationServiceAuthorizationResponse',
    ]);
  });

  it('hiding on in the partner only: two hops each way', () => {
    const { hops } = simulate(scenario(false, true));
    expect(msa(hops)).toEqual([
      'bob -> serverB: MigrationServiceAuthorizationRequest',
      'serverB -> gatewayB: MigrationServiceAuthorizationRequest',
      'gatewayB -> serverA: MigrationServiceAuthorizationRequest',
      'serverA -> gatewayB: MigrationServiceAuthorizationResponse',
      'gatewayB -> serverB: MigrationServiceAuthorizationResponse',
      'serverB -> bob: MigrationServiceAuthorizationResponse',
    ]);
  });

  it('the whole migration to a partner follows authentication, profile (10.1.4.3.2), registration (10.1.6.2), authorization', () => {
    const { hops } = simulate(scenario(false, false));
    expect(steps(hops)).toEqual([
      'bob -> serverA: SipRegister', // leaving A: REGISTER expires=0
      'bob -> idmsB: AuthenticationRequest',
      'serverA -> bob: SipRegisterOk',
      'idmsB -> bob: AuthenticationResponse',
      'bob -> cmsB: UserProfileRequest', // 10.1.4.3.2 step 1
      'cmsB -> cmsA: MigrationProfileRequest', // step 2 (CSC-17)
      'cmsA -> cmsB: MigrationProfileResponse', // step 3
      'cmsB -> bob: UserProfileResponse', // step 4
      'bob -> serverB: SipRegister', // 10.1.6.2 step 1
      'serverB -> serverA: SipAuthInfoRequest', // steps 2-3
      'serverA -> serverB: SipAuthInfoResponse', // step 4
      'serverB -> bob: SipUnauthorized', // step 5: challenge
      'bob -> serverB: SipRegister',
      'serverB -> bob: SipRegisterOk',
      'bob -> serverB: MigrationServiceAuthorizationRequest',
      'serverB -> serverA: MigrationServiceAuthorizationRequest',
      'serverA -> serverB: MigrationServiceAuthorizationResponse',
      'serverB -> bob: MigrationServiceAuthorizationResponse',
    ]);
  });

  it.each([
    ['both hiding', true, true, 2 * L.access + 4 * L.core + 2 * L.inter + 4 * P.gateway + 3 * P.server + P.client],
    ['no hiding', false, false, 2 * L.access + 2 * L.inter + 3 * P.server + P.client],
    ['partner hiding', false, true, 2 * L.access + 2 * L.core + 2 * L.inter + 2 * P.gateway + 3 * P.server + P.client],
    ['primary hiding', true, false, 2 * L.access + 2 * L.core + 2 * L.inter + 2 * P.gateway + 3 * P.server + P.client],
  ])('exact latency under constant delays, %s', (_name, a, b, expectedMs) => {
    const { model } = simulate(scenario(a, b));
    const [s] = samplesOf(model, 'migration.authorization');
    expect(s?.outcome).toBe('success');
    expect(s ? s.end - s.start : NaN).toBe(expectedMs * 1000);
  });

  it('profile retrieval and registration in the partner have exact latencies too', () => {
    const { model } = simulate(scenario(false, false));
    const [profile] = samplesOf(model, 'profile.retrieval');
    // client -> cmsB (access), cmsB -> cmsA (interconnect) and back, cmsB -> client; 30 ms at each
    // CMS step: cmsB on the request, cmsA, cmsB again on the primary's answer.
    expect(profile ? profile.end - profile.start : NaN).toBe((2 * L.access + 2 * L.inter + 3 * 30 + P.client) * 1000);
    const [reg] = samplesOf(model, 'registration');
    // REGISTER, auth info round trip to A, 401, REGISTER, 200 OK.
    const expected = 4 * L.access + 2 * L.inter + 4 * P.server + 2 * P.client;
    expect(reg ? reg.end - reg.start : NaN).toBe(expected * 1000);
  });

  it('on success the primary marks the user migrated and both tables hold the mapping (steps 7 and 11)', () => {
    const { model } = simulate(scenario(true, true));
    const primary = model.server('A').migrationTable.get('sip:bob@a.mcx');
    expect(primary).toEqual({ partnerId: 'sip:bob.visitor@b.mcx', partnerSystem: 'B', status: 'migrated' });
    expect(model.server('B').visitorTable.get('sip:bob.visitor@b.mcx')).toEqual({
      primaryId: 'sip:bob@a.mcx',
      status: 'migrated',
    });
    expect(model.server('B').registrations.get('sip:bob.visitor@b.mcx')?.address).toBe('bob');
    expect(model.client('bob').currentId).toBe('sip:bob.visitor@b.mcx');
  });
});

describe('migration service authorization failures change no record', () => {
  const unchanged = (model: ReturnType<typeof simulate>['model']) => {
    expect(model.server('A').migrationTable.size).toBe(0);
    expect(model.server('B').visitorTable.size).toBe(0);
    expect(model.server('B').registrations.has('sip:bob.visitor@b.mcx')).toBe(false);
  };

  it("partner's initial check refuses (step 2): answered by the partner, the primary never asked", () => {
    const { model, hops } = simulate(scenario(false, false, { extraB: ', acceptsMigrantsFrom: []' }));
    expect(msa(hops)).toEqual([
      'bob -> serverB: MigrationServiceAuthorizationRequest',
      'serverB -> bob: MigrationServiceAuthorizationResponse',
    ]);
    expect(hops.at(-1)?.msg).toMatchObject({ result: 'failure', reason: 'not an expected migrant' });
    expect(samplesOf(model, 'migration.authorization')[0]?.outcome).toBe('rejected');
    unchanged(model);
  });

  it('primary refuses a profile it does not permit (step 6)', () => {
    const { model, hops } = simulate(scenario(false, false, { profile: 'unknown-profile' }));
    expect(msa(hops)).toHaveLength(4);
    expect(hops.at(-1)?.msg).toMatchObject({ result: 'failure', reason: 'profile not permitted' });
    expect(samplesOf(model, 'migration.authorization')[0]?.outcome).toBe('rejected');
    unchanged(model);
  });

  it('primary refuses a user barred from migrating (step 6)', () => {
    const { model, hops } = simulate(scenario(false, false, { user: ', migrationForbidden: true' }));
    // The primary CMS already refuses the migration profile (10.1.4.3.2 step 3), before any authorization.
    expect(samplesOf(model, 'profile.retrieval')[0]?.outcome).toBe('rejected');
    expect(msa(hops)).toEqual([]);
    unchanged(model);
  });

  it('a primary that does not answer in time: outcome timeout, nothing recorded at the partner', () => {
    const slow = `, processing: { server: { default: ${P.server}ms, byKind: { MigrationServiceAuthorizationRequest: 60s } } }`;
    const { model } = simulate(scenario(false, false).replace('A: { hiding: false }', `A: { hiding: false${slow} }`));
    expect(samplesOf(model, 'migration.authorization')[0]?.outcome).toBe('timeout');
    expect(model.server('B').visitorTable.size).toBe(0);
    // The primary's late success is undone by the partner, so the two records agree again.
    expect(model.server('A').migrationTable.get('sip:bob@a.mcx')?.status).toBe('deauthorized');
    expect(model.server('B').registrations.has('sip:bob.visitor@b.mcx')).toBe(false);
  });

  it('an unknown primary system is refused by the partner before anything is forwarded', () => {
    const { model } = simulate(scenario(false, false));
    const before = model.net.counters.messages;
    model.net.send('alice', 'serverA', {
      type: 'MigrationServiceAuthorizationRequest',
      procId: 'x',
      target: 'sip:eve.visitor@a.mcx',
      partnerId: 'sip:eve.visitor@a.mcx',
      primaryId: 'sip:eve@z.mcx',
      profile: 'default',
    });
    const sent: string[] = [];
    model.net.onSend((r) =>
      sent.push(
        `${r.envelope.from} -> ${r.envelope.to}: ${r.envelope.msg.type} ${(r.envelope.msg as { reason?: string }).reason ?? ''}`,
      ),
    );
    model.run();
    expect(sent).toEqual(['serverA -> alice: MigrationServiceAuthorizationResponse unknown primary system']);
    expect(model.net.counters.messages).toBe(before + 2);
  });
});
