import { describe, expect, it } from 'vitest';
import { McModel } from '../../../src/mc/world/model.ts';
import { buildModelConfig } from '../../../src/scenario/build.ts';
import { parseText, validate } from '../../../src/scenario/load.ts';
import { constantDefaults, samplesOf, simulate, steps, type Hop } from '../harness.ts';

// bob (primary B) starts migrated in A and moves on to C at 0 s. All three systems are
// interconnected, so bob de-authorizes at A himself (23.280 10.6.3.3.2) and A reports to B.
const scenario = (extra = '', towardsPrimary = true) => `
topology:
${constantDefaults({ access: 20, inter: 15, client: 7, server: 3 })}
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
const primaryReleases = (hops: Hop[]): Hop[] =>
  hops.filter((h) => h.type === 'MigrationServiceDeauthorizationRequest' && h.from === 'serverB');
const authorizedInC = (hops: Hop[]): Hop =>
  hops.find((h) => h.type === 'MigrationServiceAuthorizationResponse' && h.from === 'serverB') as Hop;

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
    const { model, hops } = simulate(
      scenario('  - { at: 0s, fault: { for: 10s, linkDown: { between: [bob, serverA] } } }\n'),
    );
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
    const { model, hops } = simulate(
      scenario(
        '  - { at: 0s, fault: { for: 10s, linkDown: { between: [bob, serverA] } } }\n  - { at: 20s, migrate: { user: bob, to: A } }\n',
      ),
    );
    expect(primaryReleases(hops)).toEqual([]);
    expect(model.server('A').visitorTable.get(BOB_IN_A)?.status).toBe('migrated');
    expect(model.server('B').migrationTable.get('sip:bob@b.mcx')?.partnerSystem).toBe('A');
  });

  describe('sent again while the partner is down (RFC 3261 17.1.2.2 timing)', () => {
    // bob's own de-authorization at A is lost (link down), the guard's release is due at about
    // 32.2 s, and serverA is down from 32 s.
    const down = (forS: number): string =>
      `  - { at: 0s, fault: { for: 10s, linkDown: { between: [bob, serverA] } } }\n  - { at: 32s, fault: { for: ${forS}s, crash: { node: serverA } } }\n`;
    /** Each wait starts when the refusal comes back, one path's latency after the send. */
    const waits = (sent: Hop[]): number[] =>
      sent.slice(1).map((h, k) => h.t - (sent[k] as Hop).t - ((sent[k] as Hop).arrive - (sent[k] as Hop).t));

    it('after 0.5, 1 and 2 s until it gets through', () => {
      const { model, hops } = simulate(scenario(down(3)));
      expect(waits(primaryReleases(hops))).toEqual([500_000, 1_000_000, 2_000_000]);
      expect(model.server('A').visitorTable.get(BOB_IN_A)?.status).toBe('left');
    });

    it('every 4 s after that, giving up once 32 s (64*T1) have been waited, the partner left stale', () => {
      const doc = validate('inline.yaml', parseText('inline.yaml', scenario(down(60))));
      const model = new McModel(buildModelConfig(doc), { seed: 1, replication: 0 });
      const sent: Hop[] = [];
      model.net.onSend((r) => {
        const e = r.envelope;
        if (e.msg.type === 'MigrationServiceDeauthorizationRequest' && e.from === 'serverB')
          sent.push({ from: e.from, to: e.to, type: e.msg.type, t: e.sentAt, arrive: r.arrive, msg: e.msg });
      });
      model.run();
      // The first send and ten more: 0.5 + 1 + 2 + 4 x 7 = 31.5 s waited, then one more 4 s wait.
      expect(waits(sent)).toEqual([0.5, 1, 2, 4, 4, 4, 4, 4, 4, 4, 4].map((w) => w * 1e6));
      // Stale: serverA came back at 92 s, after the last attempt.
      expect(model.server('A').visitorTable.get(BOB_IN_A)?.status).toBe('migrated');
    });
  });
});
