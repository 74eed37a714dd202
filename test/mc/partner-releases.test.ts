import { describe, expect, it } from 'vitest';
import { samplesOf, simulate, steps, type Hop } from './harness.ts';

// bob (primary B) starts migrated in A and moves on to C at 0 s. All three systems are
// interconnected, so bob de-authorizes at A himself (23.280 10.6.3.3.2) and A reports to B.
const scenario = (extra = '', towardsPrimary = true) => `
topology:
  defaults:
    access: { latency: 20ms }
    core: { latency: 2ms }
    interconnect: { latency: 15ms }
    processing:
      client: { default: 7ms }
      server: { default: 3ms, workers: 1 }
  systems:
    A: { hiding: false, deauthorizeTowardsPrimary: ${towardsPrimary} }
    B: { hiding: false }
    C: { hiding: false }
  interconnects: [{ between: [A, B] }, { between: [A, C] }, { between: [B, C] }]
population:
  users: [{ name: bob, primary: B, serving: A }]
timeline:
  - { at: 0s, migrate: { user: bob, to: C } }
${extra}`;

const BOB_IN_A = 'sip:bob.visitor@a.mcx';
const primaryReleases = (hops: Hop[]): Hop[] => hops.filter((h) => h.type === 'MigrationServiceDeauthorizationRequest' && h.from === 'serverB');
const authorizedInC = (hops: Hop[]): Hop => hops.find((h) => h.type === 'MigrationServiceAuthorizationResponse' && h.from === 'serverB') as Hop;

describe("the primary's clean-up of a partner its migrant left [A]", () => {
  it('sends nothing when the old partner reports the de-authorization (steps 3-10)', () => {
    const { model, hops } = simulate(scenario());
    expect(steps(hops.filter((h) => h.type.startsWith('MigrationServiceDeauthorization')))).toEqual([
      'bob -> serverA: MigrationServiceDeauthorizationRequest',
      'serverA -> serverB: MigrationServiceDeauthorizationRequest',
      'serverB -> serverA: MigrationServiceDeauthorizationResponse',
      'serverA -> bob: MigrationServiceDeauthorizationResponse',
    ]);
    expect(model.server('A').visitorTable.get(BOB_IN_A)?.status).toBe('left');
  });

  it("releases the old partner 32 s after authorizing the new one when bob's own de-authorization was lost", () => {
    // Found by random scenarios (seed 794): bob's access link to serverA is down while he
    // de-authorizes there, every retransmission is lost, and serverA held him as migrated for good.
    const { model, hops } = simulate(scenario('  - { at: 0s, fault: { for: 10s, linkDown: { between: [bob, serverA] } } }\n'));
    expect(samplesOf(model, 'migration.deauthorization').map((s) => s.outcome)).not.toContain('success');
    expect(primaryReleases(hops).map((h) => h.t - authorizedInC(hops).t)).toEqual([32_000_000]);
    expect(model.server('A').visitorTable.get(BOB_IN_A)?.status).toBe('left');
    expect(model.server('B').migrationTable.get('sip:bob@b.mcx')?.partnerSystem).toBe('C');
  });

  it('releases it too when the old partner does not run steps 3-10, and it answers "not migrated here"', () => {
    const { hops } = simulate(scenario('', false));
    expect(primaryReleases(hops).map((h) => h.t - authorizedInC(hops).t)).toEqual([32_000_000]);
    const answer = hops.find((h) => h.type === 'MigrationServiceDeauthorizationResponse' && h.to === 'serverB');
    expect(answer?.msg).toMatchObject({ result: 'failure', reason: 'not migrated here' });
  });

  it('does not release a partner where the user is migrated again by then', () => {
    const { model, hops } = simulate(scenario('  - { at: 0s, fault: { for: 10s, linkDown: { between: [bob, serverA] } } }\n  - { at: 20s, migrate: { user: bob, to: A } }\n'));
    expect(primaryReleases(hops)).toEqual([]);
    expect(model.server('A').visitorTable.get(BOB_IN_A)?.status).toBe('migrated');
    expect(model.server('B').migrationTable.get('sip:bob@b.mcx')?.partnerSystem).toBe('A');
  });
});
