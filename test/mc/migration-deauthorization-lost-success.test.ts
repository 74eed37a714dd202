import { describe, expect, it } from 'vitest';
import { checkInvariants } from '../../src/mc/invariants.ts';
import { McModel } from '../../src/mc/model.ts';
import { buildModelConfig } from '../../src/scenario/build.ts';
import { parseText, validate } from '../../src/scenario/load.ts';
import { simulate, type Hop } from './harness.ts';

// Found by random scenarios (seed 782): a UE back home de-authorizes at its old partner B,
// which asks the primary (steps 3-10 of 23.280 10.6.3.3.2); B crashes before the primary's
// success arrives and loses the transaction, so B holds the user as migrated for good while
// the primary does not.
const scenario = (crashForMs: number, extra = '') => `
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
  - { at: 152ms, fault: { for: ${crashForMs}ms, crash: { node: serverB } } }
${extra}`;

const PRIMARY_ID = 'sip:u0@a.mcx';
const VISITOR_ID = 'sip:u0.visitor@b.mcx';
const releases = (hops: Hop[]): Hop[] => hops.filter((h) => h.type === 'MigrationServiceDeauthorizationRequest' && h.from === 'serverA');
const lostSuccess = (hops: Hop[]): Hop => hops.find((h) => h.type === 'MigrationServiceDeauthorizationResponse' && h.from === 'serverA') as Hop;

describe('a de-authorization success that the crashed partner never gets', () => {
  it('is followed by the primary de-authorizing the partner itself 500 ms later [A]', () => {
    // simulate() checks the invariants: primary and partner records agree.
    const { model, hops } = simulate(scenario(100));
    const success = lostSuccess(hops);
    // The case itself: the success reaches serverB while it is down (152-252 ms).
    expect(success.arrive).toBeGreaterThan(152_000);
    expect(success.arrive).toBeLessThan(252_000);
    expect(releases(hops).map((h) => h.t)).toEqual([success.arrive + 500_000]);
    expect(hops.filter((h) => h.type === 'MigrationServiceDeauthorizationResponse' && h.from === 'serverB').map((h) => (h.msg as { result: string }).result)).toEqual(['success']);
    expect(model.server('A').migrationTable.get(PRIMARY_ID)?.status).toBe('deauthorized');
    expect(model.server('B').visitorTable.get(VISITOR_ID)?.status).toBe('left');
  });

  it('is sent again after 0.5, 1 and 2 s while the partner stays down (RFC 3261 T1 doubling)', () => {
    const { model, hops } = simulate(scenario(3_000));
    const at = lostSuccess(hops).arrive;
    // Each wait starts when the refusal comes back, 1 ms (the interconnect) after the send.
    expect(releases(hops).map((h) => h.t - at)).toEqual([500_000, 1_501_000, 3_502_000]);
    expect(model.server('B').visitorTable.get(VISITOR_ID)?.status).toBe('left');
  });

  it('gives up after 32 s (64*T1), leaving the partner record stale', () => {
    const doc = validate('inline.yaml', parseText('inline.yaml', scenario(60_000)));
    const model = new McModel(buildModelConfig(doc), { seed: 1, replication: 0 });
    const sent: number[] = [];
    model.net.onSend((r) => {
      if (r.envelope.msg.type === 'MigrationServiceDeauthorizationRequest' && r.envelope.from === 'serverA') sent.push(r.envelope.sentAt);
    });
    model.run();
    // Waits 0.5, 1, 2, then 4 s until 32 s have been waited: 11 attempts, the last after
    // 35.5 s of waiting (plus 1 ms per refusal on its way back).
    const waited = [0.5, 1.5, 3.5, 7.5, 11.5, 15.5, 19.5, 23.5, 27.5, 31.5, 35.5];
    expect(sent.map((t) => t - (sent[0] as number))).toEqual(waited.map((s, k) => (s - 0.5) * 1e6 + k * 1_000));
    expect(model.server('B').visitorTable.get(VISITOR_ID)?.status).toBe('migrated');
    expect(checkInvariants(model)).toEqual([`serverB holds ${VISITOR_ID} as migrated here, but its primary does not point to it`]);
  });

  it('is not sent once the user has migrated to that partner again', () => {
    // serverB is down 152-1152 ms: the release at ~655 ms is refused, the next is due at
    // ~1655 ms, and by then u0 is authorized in B again.
    const { model, hops } = simulate(scenario(1_000, '  - { at: 1160ms, migrate: { user: u0, to: B } }\n'));
    const at = lostSuccess(hops).arrive;
    expect(releases(hops).map((h) => h.t - at)).toEqual([500_000]);
    expect(model.server('A').migrationTable.get(PRIMARY_ID)?.status).toBe('migrated');
    expect(model.server('B').visitorTable.get(VISITOR_ID)?.status).toBe('migrated');
  });
});
