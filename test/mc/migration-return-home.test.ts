import { describe, expect, it } from 'vitest';
import { constantDefaults, samplesOf, simulate, steps, type Hop } from './harness.ts';

// bob (primary A) starts migrated in B and comes back home at 0 s; alice calls him at 5 s.
const scenario = (towardsPrimary: boolean, extra = '') => `
topology:
${constantDefaults({ access: 20, inter: 15, client: 7, server: 3 })}
  systems:
    A: { hiding: false }
    B: { hiding: false, deauthorizeTowardsPrimary: ${towardsPrimary} }
  interconnects: [{ between: [A, B] }]
population:
  users: [{ name: bob, primary: A, serving: B }, { name: alice, primary: A }]
timeline:
  - { at: 0s, migrate: { user: bob, to: A } }
  - { at: 5s, privateCall: { from: alice, to: bob, hangUpAfter: 1s } }
${extra}`;

const BOB = 'sip:bob@a.mcx';
const BOB_IN_B = 'sip:bob.visitor@b.mcx';
const msd = (hops: Hop[]): string[] => steps(hops.filter((h) => h.type.startsWith('MigrationServiceDeauthorization')));
const homeAuthorization = (hops: Hop[]): Hop =>
  hops.find((h) => h.type === 'ServiceAuthorizationResponse' && h.from === 'serverA') as Hop;

describe('a user back home (23.280 10.6.1 step 4) is no longer migrated at its primary (assumption A11)', () => {
  for (const towardsPrimary of [true, false]) {
    it(`is called at home, not redirected to the old partner (steps 3-10 ${towardsPrimary ? 'on' : 'off'})`, () => {
      const { model, hops } = simulate(scenario(towardsPrimary));
      expect(model.server('A').migrationTable.get(BOB)?.status).toBe('deauthorized');
      expect(model.server('B').visitorTable.get(BOB_IN_B)?.status).toBe('left');
      expect(hops.some((h) => h.type === 'PrivateCallRedirection')).toBe(false);
      expect(samplesOf(model, 'private_call.setup').map((s) => s.outcome)).toEqual(['success']);
    });
  }

  it('with steps 3-10 the partner reports the de-authorization and the primary sends none of its own', () => {
    const { hops } = simulate(scenario(true));
    expect(msd(hops)).toEqual([
      'bob -> serverB: MigrationServiceDeauthorizationRequest',
      'serverB -> serverA: MigrationServiceDeauthorizationRequest',
      'serverA -> serverB: MigrationServiceDeauthorizationResponse',
      'serverB -> bob: MigrationServiceDeauthorizationResponse',
    ]);
  });

  it('without them the primary de-authorizes the partner itself 32 s after, which has already let bob go', () => {
    const { hops } = simulate(scenario(false));
    expect(msd(hops)).toEqual([
      'bob -> serverB: MigrationServiceDeauthorizationRequest',
      'serverB -> bob: MigrationServiceDeauthorizationResponse',
      'serverA -> serverB: MigrationServiceDeauthorizationRequest',
      'serverB -> serverA: MigrationServiceDeauthorizationResponse',
    ]);
    const primarys = hops.filter((h) => h.type === 'MigrationServiceDeauthorizationRequest' && h.from === 'serverA');
    // The guard: twice the 10 s transaction timer, at least 64*T1 = 32 s.
    expect(primarys.map((h) => h.t - homeAuthorization(hops).t)).toEqual([32_000_000]);
    const answer = hops.find(
      (h) => h.type === 'MigrationServiceDeauthorizationResponse' && h.from === 'serverB' && h.to === 'serverA',
    );
    expect(answer?.msg).toMatchObject({ result: 'failure', reason: 'not migrated here' });
  });

  it("when bob's own de-authorization is lost (serverB down), the primary's lets the partner go", () => {
    // serverB is down 0.15-5.15 s: bob's request, sent at 0.32 s once his home registration is done, is refused.
    const { model, hops } = simulate(
      scenario(true, '  - { at: 150ms, fault: { for: 5s, crash: { node: serverB } } }\n'),
    );
    expect(samplesOf(model, 'migration.deauthorization').map((s) => s.outcome)).not.toContain('success');
    const primarys = hops.filter((h) => h.type === 'MigrationServiceDeauthorizationRequest' && h.from === 'serverA');
    expect(primarys.map((h) => h.t - homeAuthorization(hops).t)).toEqual([32_000_000]);
    expect(model.server('B').visitorTable.get(BOB_IN_B)?.status).toBe('left');
    expect(model.server('A').migrationTable.get(BOB)?.status).toBe('deauthorized');
  });
});
