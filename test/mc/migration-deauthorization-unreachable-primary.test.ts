import { describe, expect, it } from 'vitest';
import { simulate } from './harness.ts';

// Found by random scenarios (seed 893): a UE de-authorizes at its partner, which takes step 11
// at once and reports to the primary (23.280 10.6.3.3.2 steps 3-10); the report reached a
// crashed node and never got to the primary. The partner kept step 11 (only a refusal took it
// back) while the primary still held the user as migrated there, for good: the UE, moving on,
// never registered at home, which would have had the primary release the partner itself.
const scenario = (hiding: boolean, crashed: string) => `
topology:
  defaults:
    access: { latency: 1ms }
    core: { latency: 1ms }
    interconnect: { latency: 1ms }
    processing: { server: { default: 3ms, workers: 2 }, gateway: { default: 2ms, workers: 1 } }
  systems: { A: { hiding: false }, B: { hiding: ${hiding}, deauthorizeTowardsPrimary: true } }
  interconnects: [{ between: [A, B] }]
population:
  users: [{ name: u0, primary: A, serving: B }]
timeline:
  - { at: 1s, fault: { for: 100ms, crash: { node: ${crashed} } } }
`;

const PRIMARY_ID = 'sip:u0@a.mcx';
const PARTNER_ID = 'sip:u0.visitor@b.mcx';

describe("a partner's de-authorization report that a crashed node refuses", () => {
  for (const { hiding, crashed } of [
    { hiding: false, crashed: 'serverA' },
    { hiding: true, crashed: 'gatewayB' },
  ]) {
    it(`${crashed} down: the partner takes step 11 back and answers the UE at once, as on a failure response (RFC 3261 8.1.3.1; assumption A12)`, () => {
      // u0's request reaches serverB at 1.001 s; serverB's report reaches the crashed node at 1.005 s.
      // simulate() checks the invariants: primary and partner records agree at the end.
      const { model, hops } = simulate(scenario(hiding, crashed), {}, 1, 0, (m) =>
        m.sim.scheduleAt(
          1_000_000,
          () =>
            m.net.send('u0', 'serverB', {
              type: 'MigrationServiceDeauthorizationRequest',
              procId: 'leave',
              target: PARTNER_ID,
              partnerId: PARTNER_ID,
              primaryId: PRIMARY_ID,
            }),
          undefined,
        ),
      );
      const report = hops.find((h) => h.type === 'MigrationServiceDeauthorizationRequest' && h.from === 'serverB');
      expect(report).toMatchObject({ to: crashed, arrive: 1_005_000 });
      const answer = hops.find((h) => h.type === 'MigrationServiceDeauthorizationResponse' && h.to === 'u0');
      expect(answer).toMatchObject({ t: 1_005_000, msg: { result: 'failure', reason: 'unreachable' } });
      expect(model.server('A').migrationTable.get(PRIMARY_ID)?.status).toBe('migrated');
      expect(model.server('B').visitorTable.get(PARTNER_ID)?.status).toBe('migrated');
    });
  }
});
