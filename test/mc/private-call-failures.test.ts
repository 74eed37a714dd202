import { describe, expect, it } from 'vitest';
import { constantDefaults, samplesOf, simulate, steps } from './harness.ts';

const base = (opts: { users?: string; timeline?: string; extraC?: string; kms?: string } = {}) => `
topology:
${constantDefaults({ access: 20, inter: 15, client: 7, server: 3, gateway: 1 })}
  systems:
    A: {}
    B: {}
    C: { ${opts.extraC ?? ''} }
  interconnects: [{ between: [A, B] }, { between: [A, C] }, { between: [B, C] }]
population:
  users:
    - { name: alice, primary: C }
${opts.users ?? '    - { name: bob, primary: A, serving: B }'}
security: { e2ee: true, kmsUriInRedirection: false }
timeline:
${opts.timeline ?? '  - { at: 0ms, privateCall: { from: alice, to: bob } }'}
`;

const outcome = (model: ReturnType<typeof simulate>['model']) =>
  samplesOf(model, 'private_call.setup').map((s) => s.outcome);

describe('private call failures end with an outcome and a clean call state', () => {
  it('redirection only after a successful migration authorization (23.280 10.16.5.3 step 2: the callee is migrated)', () => {
    const { model, hops } = simulate(
      base({
        users: '    - { name: bob, primary: A }',
        timeline: [
          '  - { at: 0ms, migrate: { user: bob, to: B, profile: not-permitted } }',
          '  - { at: 5s, privateCall: { from: alice, to: bob } }',
        ].join('\n'),
      }),
    );
    expect(samplesOf(model, 'migration.authorization')[0]?.outcome).toBe('rejected');
    const call = steps(hops.filter((h) => h.t >= 5_000_000));
    // A normal call attempt that reaches bob's primary server, which has no redirection to give.
    expect(call).toContain('serverC -> serverA: PrivateCallRequest');
    expect(call.some((s) => s.includes('PrivateCallRedirection'))).toBe(false);
    expect(hops.find((h) => h.type === 'PrivateCallResponse')?.msg).toMatchObject({
      result: 'rejected',
      reason: 'unreachable',
    });
    expect(outcome(model)).toEqual(['unreachable']);
    expect(model.client('alice').calls.legs.size).toBe(0);
    expect(model.server('C').calls.records.size).toBe(0);
  });

  it('the lookup names no permitted KMS: outcome no-permitted-kms, no second request', () => {
    const { model, hops } = simulate(base({ extraC: 'permittedKms: [A]' }));
    expect(outcome(model)).toEqual(['no-permitted-kms']);
    expect(samplesOf(model, 'kms.lookup')[0]?.outcome).toBe('no-permitted-kms');
    expect(hops.filter((h) => h.type === 'PrivateCallRequest' && h.from === 'alice')).toHaveLength(1);
    expect(model.client('alice').calls.legs.size).toBe(0);
  });

  it('an unreachable KMS: the lookup times out and so does the call attempt', () => {
    const { model } = simulate(base({ extraC: 'processing: { kms: { default: 60s } }' }));
    expect(samplesOf(model, 'kms.lookup')[0]?.outcome).toBe('timeout');
    expect(outcome(model)).toEqual(['timeout']);
    expect(model.client('alice').calls.legs.size).toBe(0);
  });

  it('a stale KMS URI in the profile is corrected by a KMS redirect (488 + KRR), then the call succeeds', () => {
    const { model, hops } = simulate(base(), { 'security.staleProfileKmsUri': true });
    const seq = steps(hops).filter(
      (s) =>
        /PrivateCallRequest|KmsRedirectResponse/.test(s) &&
        (s.startsWith('alice') || s.endsWith('KmsRedirectResponse')),
    );
    expect(seq[0]).toBe('alice -> serverC: PrivateCallRequest');
    expect(seq).toContain('serverB -> serverC: KmsRedirectResponse');
    const requests = hops
      .filter((h) => h.type === 'PrivateCallRequest' && h.from === 'alice')
      .map((h) => (h.msg as { kmsUri?: string }).kmsUri);
    // primary ID with A's KMS, partner ID with the stale (A) KMS, then with the KMS the KRR named.
    expect(requests).toEqual(['kms.a.mcx', 'kms.a.mcx', 'kms.b.mcx']);
    expect(outcome(model)).toEqual(['success']);
  });

  it('the KRR loop is bounded: with no retry allowed the attempt ends krr-exhausted', () => {
    const { model } = simulate(base(), { 'security.staleProfileKmsUri': true, 'security.maxKrrRounds': 0 });
    expect(outcome(model)).toEqual(['krr-exhausted']);
    expect(model.client('alice').calls.legs.size).toBe(0);
  });

  it('the callee left its system: outcome unreachable from the terminating server', () => {
    const { model, hops } = simulate(
      base({
        users: '    - { name: bob, primary: B }\n    - { name: carol, primary: B }',
        timeline:
          '  - { at: 0ms, migrate: { user: bob, to: A, profile: not-permitted } }\n  - { at: 5s, privateCall: { from: alice, to: bob } }',
      }),
    );
    expect(hops.find((h) => h.type === 'PrivateCallResponse')?.msg).toMatchObject({ reason: 'unreachable' });
    expect(outcome(model)).toEqual(['unreachable']);
  });
});
