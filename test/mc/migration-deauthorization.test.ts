import { describe, expect, it } from 'vitest';
import { samplesOf, simulate, steps } from './harness.ts';

const scenario = (opts: { towardsPrimary: boolean; hiding?: boolean; second: 'A' | 'C' }) => `
topology:
  defaults:
    access: { latency: 20ms }
    core: { latency: 2ms }
    interconnect: { latency: 15ms }
    processing:
      client: { default: 7ms }
      server: { default: 3ms, workers: 1 }
      gateway: { default: 1ms }
  systems:
    A: { hiding: ${opts.hiding ?? false} }
    B: { hiding: ${opts.hiding ?? false}, deauthorizeTowardsPrimary: ${opts.towardsPrimary} }
    C: { hiding: ${opts.hiding ?? false} }
  interconnects: [{ between: [A, B] }, { between: [A, C] }, { between: [B, C] }]
population:
  users: [{ name: bob, primary: A }]
timeline:
  - { at: 0ms, migrate: { user: bob, to: B } }
  - { at: 10s, migrate: { user: bob, to: ${opts.second} } }
`;

const msd = (hops: ReturnType<typeof simulate>['hops']) =>
  steps(hops.filter((h) => h.type.startsWith('MigrationServiceDeauthorization')));

describe('migration service de-authorization (23.280 10.6.3.3.2)', () => {
  it('with the optional steps 3-10: partner asks the primary, which updates its record', () => {
    const { model, hops } = simulate(scenario({ towardsPrimary: true, second: 'C' }));
    expect(msd(hops)).toEqual([
      'bob -> serverB: MigrationServiceDeauthorizationRequest', // step 1
      'serverB -> serverA: MigrationServiceDeauthorizationRequest', // steps 3-10
      'serverA -> serverB: MigrationServiceDeauthorizationResponse',
      'serverB -> bob: MigrationServiceDeauthorizationResponse', // step 12
    ]);
    expect(samplesOf(model, 'migration.deauthorization')[0]?.outcome).toBe('success');
    // Step 11 at the old partner; the primary keeps the newer authorization (to C), not B's.
    expect(model.server('B').visitorTable.get('sip:bob.visitor@b.mcx')?.status).toBe('left');
    expect(model.server('A').migrationTable.get('sip:bob@a.mcx')).toEqual({
      partnerId: 'sip:bob.visitor@c.mcx',
      partnerSystem: 'C',
      status: 'migrated',
    });
    expect(model.server('C').visitorTable.get('sip:bob.visitor@c.mcx')?.status).toBe('migrated');
  });

  it('through gateways when hiding is on', () => {
    const { hops } = simulate(scenario({ towardsPrimary: true, hiding: true, second: 'C' }));
    expect(msd(hops)).toEqual([
      'bob -> serverB: MigrationServiceDeauthorizationRequest',
      'serverB -> gatewayB: MigrationServiceDeauthorizationRequest',
      'gatewayB -> gatewayA: MigrationServiceDeauthorizationRequest',
      'gatewayA -> serverA: MigrationServiceDeauthorizationRequest',
      'serverA -> gatewayA: MigrationServiceDeauthorizationResponse',
      'gatewayA -> gatewayB: MigrationServiceDeauthorizationResponse',
      'gatewayB -> serverB: MigrationServiceDeauthorizationResponse',
      'serverB -> bob: MigrationServiceDeauthorizationResponse',
    ]);
  });

  it('without the optional steps the partner answers at once; the primary is not asked', () => {
    const { model, hops } = simulate(scenario({ towardsPrimary: false, second: 'A' }));
    // The primary's own de-authorization 32 s later is migration-return-home.test.ts's subject.
    expect(msd(hops).slice(0, 2)).toEqual([
      'bob -> serverB: MigrationServiceDeauthorizationRequest',
      'serverB -> bob: MigrationServiceDeauthorizationResponse',
    ]);
    expect(model.server('B').visitorTable.get('sip:bob.visitor@b.mcx')?.status).toBe('left');
    // The primary ended the migration when bob was authorized at home (10.6.1 step 4; assumption
    // A11 in docs/domain.md).
    expect(model.server('A').migrationTable.get('sip:bob@a.mcx')?.status).toBe('deauthorized');
  });

  it('back home with the optional steps: the primary marks the record de-authorized', () => {
    const { model } = simulate(scenario({ towardsPrimary: true, second: 'A' }));
    expect(model.server('A').migrationTable.get('sip:bob@a.mcx')?.status).toBe('deauthorized');
    expect(model.server('A').registrations.get('sip:bob@a.mcx')?.address).toBe('bob');
    expect(model.client('bob').currentId).toBe('sip:bob@a.mcx');
    expect(samplesOf(model, 'registration').map((s) => s.outcome)).toEqual(['success', 'success']);
  });

  it('exact latency: client request, partner to primary and back, response (hiding off)', () => {
    const { model } = simulate(scenario({ towardsPrimary: true, second: 'C' }));
    const [s] = samplesOf(model, 'migration.deauthorization');
    // bob now sits in C: reaching serverB costs access(C) + interconnect(C-B) each way.
    const expected = 2 * (20 + 15) + 2 * 15 + 3 * 3 + 7;
    expect(s ? s.end - s.start : NaN).toBe(expected * 1000);
  });

  it('a user not migrated at that partner is refused, nothing changes', () => {
    const { model } = simulate(scenario({ towardsPrimary: true, second: 'C' }));
    model.net.send('bob', 'serverB', {
      type: 'MigrationServiceDeauthorizationRequest',
      procId: 'stray',
      target: 'sip:bob.visitor@b.mcx',
      partnerId: 'sip:bob.visitor@b.mcx',
      primaryId: 'sip:bob@a.mcx',
    });
    const answers: unknown[] = [];
    model.net.onSend((r) => answers.push(r.envelope.msg));
    model.run();
    expect(answers).toEqual([
      expect.objectContaining({
        type: 'MigrationServiceDeauthorizationResponse',
        result: 'failure',
        reason: 'not migrated here',
      }),
    ]);
    expect(model.server('A').migrationTable.get('sip:bob@a.mcx')?.partnerSystem).toBe('C');
  });

  describe('to a partner with no interconnection towards the old one (assumption A10)', () => {
    // B and C are not interconnected: from C, bob cannot reach serverB to de-authorize there.
    const unlinked = (hiding: boolean): string =>
      scenario({ towardsPrimary: true, hiding, second: 'C' }).replace(
        '[{ between: [A, B] }, { between: [A, C] }, { between: [B, C] }]',
        '[{ between: [A, B] }, { between: [A, C] }]',
      );

    it('the primary, learning of the new partner, tells the old one, which lets the user go', () => {
      const { model, hops } = simulate(unlinked(false));
      expect(msd(hops)).toEqual([
        'serverA -> serverB: MigrationServiceDeauthorizationRequest',
        'serverB -> serverA: MigrationServiceDeauthorizationResponse',
      ]);
      expect(model.server('B').visitorTable.get('sip:bob.visitor@b.mcx')?.status).toBe('left');
      expect(model.server('B').registrations.has('sip:bob.visitor@b.mcx')).toBe(false);
      expect(model.server('A').migrationTable.get('sip:bob@a.mcx')).toEqual({
        partnerId: 'sip:bob.visitor@c.mcx',
        partnerSystem: 'C',
        status: 'migrated',
      });
      // No de-authorization of the UE's own: there is no path for it.
      expect(samplesOf(model, 'migration.deauthorization')).toEqual([]);
    });

    it('through the gateways when hiding is on', () => {
      const { hops } = simulate(unlinked(true));
      expect(msd(hops)).toEqual([
        'serverA -> gatewayA: MigrationServiceDeauthorizationRequest',
        'gatewayA -> gatewayB: MigrationServiceDeauthorizationRequest',
        'gatewayB -> serverB: MigrationServiceDeauthorizationRequest',
        'serverB -> gatewayB: MigrationServiceDeauthorizationResponse',
        'gatewayB -> gatewayA: MigrationServiceDeauthorizationResponse',
        'gatewayA -> serverA: MigrationServiceDeauthorizationResponse',
      ]);
    });
  });
});
