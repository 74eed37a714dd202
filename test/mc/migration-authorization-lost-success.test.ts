import { describe, expect, it } from 'vitest';
import { samplesOf, simulate } from './harness.ts';

// Found by random scenarios (seed 778): the partner crashes while the primary's success is on
// its way, so the partner never stores the visitor and its UE is told "timeout", while the
// primary (step 7 done) holds the user as migrated there.
const scenario = (crashAtMs: number, serving = 'A') => `
topology:
  defaults:
    access: { latency: 1ms }
    core: { latency: 1ms }
    interconnect: { latency: 1ms }
    processing: { server: { default: 1ms, workers: 2 }, client: { default: 5ms } }
  systems: { A: { hiding: false }, B: { hiding: false } }
  interconnects: [{ between: [A, B] }]
population:
  users: [{ name: u0, primary: A, serving: ${serving} }]
timeline:
  - { at: 0ms, migrate: { user: u0, to: B } }
  - { at: ${crashAtMs}ms, fault: { for: 100ms, crash: { node: serverB } } }
`;

describe('a migration service authorization success that the crashed partner never gets', () => {
  it('is taken back at the primary when its transport reports the failure (assumption A34)', () => {
    // simulate() checks the invariants: primary and partner records agree.
    const { model, hops } = simulate(scenario(284));
    const success = hops.find((h) => h.type === 'MigrationServiceAuthorizationResponse' && h.from === 'serverA');
    // The case itself: the success reaches serverB while it is down (284-384 ms).
    expect(success !== undefined && success.arrive > 284_000 && success.arrive < 384_000).toBe(true);
    expect(model.server('A').migrationTable.get('sip:u0@a.mcx')?.status).toBe('deauthorized');
    expect(model.server('B').visitorTable.get('sip:u0.visitor@b.mcx')).toBeUndefined();
    expect(samplesOf(model, 'migration.authorization').map((s) => s.outcome)).toEqual(['timeout']);
  });

  it('is taken back when the partner crashes with the success arrived but not yet handled (seeds 798, 821; assumption A34)', () => {
    // The success reaches serverB at 285.862 ms and is in service (1 ms) when serverB crashes
    // at 286.2 ms: the crash drops it as it would a message arriving a moment later.
    const { model, hops } = simulate(scenario(286.2));
    const success = hops.find((h) => h.type === 'MigrationServiceAuthorizationResponse' && h.from === 'serverA');
    expect(success?.arrive).toBe(285_862);
    expect(model.server('A').migrationTable.get('sip:u0@a.mcx')?.status).toBe('deauthorized');
    expect(model.server('B').visitorTable.get('sip:u0.visitor@b.mcx')).toBeUndefined();
    expect(samplesOf(model, 'migration.authorization').map((s) => s.outcome)).toEqual(['timeout']);
  });

  it('a success the partner does get stands', () => {
    const { model } = simulate(scenario(2_000));
    expect(model.server('A').migrationTable.get('sip:u0@a.mcx')?.status).toBe('migrated');
    expect(model.server('B').visitorTable.get('sip:u0.visitor@b.mcx')?.status).toBe('migrated');
  });

  it('is not taken back when the user was already migrated to that partner (seed 798): the partner still holds it', () => {
    // u0 starts migrated in B and authorizes there again; the success reaches serverB at
    // 285.9 ms, while it is down (284-384 ms).
    const { model, hops } = simulate(scenario(284, 'B'));
    const success = hops.find((h) => h.type === 'MigrationServiceAuthorizationResponse' && h.from === 'serverA');
    expect(success !== undefined && success.arrive > 284_000 && success.arrive < 384_000).toBe(true);
    expect(model.server('A').migrationTable.get('sip:u0@a.mcx')?.status).toBe('migrated');
    expect(model.server('B').visitorTable.get('sip:u0.visitor@b.mcx')?.status).toBe('migrated');
  });
});
