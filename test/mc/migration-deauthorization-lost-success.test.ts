import { describe, expect, it } from 'vitest';
import { samplesOf, simulate, type Hop } from './harness.ts';

// Found by random scenarios (seeds 782, 798, 806): a UE back home de-authorizes at its old
// partner B, which asks the primary (steps 3-10 of 23.280 10.6.3.3.2); B crashes before it
// handles the primary's success (the success refused at the crashed node, or queued there and
// lost with the crash) and loses the transaction. Had B taken step 11 only on that success, it
// would hold the user as migrated for good while the primary did not; it takes step 11 on the
// UE's request instead (assumption A12 in docs/domain.md).
const scenario = (crashAtMs: number) => `
topology:
  defaults:
    access: { latency: 1ms }
    core: { latency: 1ms }
    interconnect: { latency: 1ms }
    processing: { server: { default: 3ms, workers: 2 } }
  systems: { A: { hiding: false }, B: { hiding: false } }
  interconnects: [{ between: [A, B] }]
population:
  users: [{ name: u0, primary: A, serving: B }]
timeline:
  - { at: 0ms, migrate: { user: u0, to: A } }
  - { at: ${crashAtMs}ms, fault: { for: 100ms, crash: { node: serverB } } }
`;

const success = (hops: Hop[]): Hop =>
  hops.find((h) => h.type === 'MigrationServiceDeauthorizationResponse' && h.from === 'serverA') as Hop;

describe('a de-authorization success that the crashed partner never handles', () => {
  const cases = [
    // serverB is down from 152 ms: the success (arriving at 155.2 ms) is refused.
    {
      when: 'reaches it while it is down',
      crashAtMs: 152,
      check: (arrive: number) => expect(arrive).toBeGreaterThan(152_000),
    },
    // serverB crashes at 156 ms, with the success arrived and its 3 ms of handling under way.
    {
      when: 'is queued there when it crashes',
      crashAtMs: 156,
      check: (arrive: number) => expect(arrive < 156_000 && arrive + 3_000 > 156_000).toBe(true),
    },
  ];
  for (const { when, crashAtMs, check } of cases) {
    it(`${when}: the partner, which took step 11 on the UE's request, agrees with the primary (assumption A12)`, () => {
      // simulate() checks the invariants: primary and partner records agree.
      const { model, hops } = simulate(scenario(crashAtMs));
      check(success(hops).arrive);
      expect(model.server('A').migrationTable.get('sip:u0@a.mcx')?.status).toBe('deauthorized');
      expect(model.server('B').visitorTable.get('sip:u0.visitor@b.mcx')?.status).toBe('left');
      // The UE never hears back: its step ends without success.
      expect(samplesOf(model, 'migration.deauthorization').map((s) => s.outcome)).not.toContain('success');
      // The primary got the report: it sends no de-authorization of its own.
      expect(hops.filter((h) => h.type === 'MigrationServiceDeauthorizationRequest' && h.from === 'serverA')).toEqual(
        [],
      );
    });
  }

  it("the primary's refusal takes the partner's step 11 back", () => {
    // A visitor whose primary does not know the user: the primary answers "unknown user".
    const { model } = simulate(scenario(5_000));
    const ghost = 'sip:ghost.visitor@b.mcx';
    model.server('B').visitorTable.set(ghost, { primaryId: 'sip:ghost@a.mcx', status: 'migrated' });
    const answers: unknown[] = [];
    model.net.onSend((r) => answers.push(r.envelope.msg));
    model.net.send('u0', 'serverB', {
      type: 'MigrationServiceDeauthorizationRequest',
      procId: 'ghost',
      target: ghost,
      partnerId: ghost,
      primaryId: 'sip:ghost@a.mcx',
    });
    model.run();
    expect(answers.at(-1)).toMatchObject({
      type: 'MigrationServiceDeauthorizationResponse',
      result: 'failure',
      reason: 'unknown user',
    });
    expect(model.server('B').visitorTable.get(ghost)?.status).toBe('migrated');
  });
});
