import { describe, expect, it } from 'vitest';
import { runExperiment } from '../../src/experiment/experiment.ts';
import { loadScenario } from '../../src/scenario/load.ts';
import { constantDefaults, THREE_SYSTEMS, samplesOf, simulate, steps } from './harness.ts';

const L = { access: 20, inter: 15 };
const P = { client: 7, server: 3 };

/** alice (C) calls bob (primary A, migrated to B) twice; `between` may move bob in the meantime. */
const scenario = (memory: string, between = '', second = '10s') => `
topology:
${constantDefaults({ access: L.access, inter: L.inter, client: P.client, server: P.server })}
${THREE_SYSTEMS}
population:
  users:
    - { name: alice, primary: C }
    - { name: bob, primary: A, serving: B }
calls: { redirectionMemory: ${memory} }
timeline:
  - { at: 0ms, privateCall: { from: alice, to: bob, hangUpAfter: 1s } }
${between}
  - { at: ${second}, privateCall: { from: alice, to: bob, hangUpAfter: 1s } }
`;

const setups = (model: ReturnType<typeof simulate>['model']) =>
  samplesOf(model, 'private_call.setup').map((s) => {
    expect(s.outcome).toBe('success');
    return s.end - s.start;
  });

/** Caller to its server, to the primary's server and back with the redirection, handled by the caller. */
const REDIRECTION = (2 * L.access + 2 * L.inter + 3 * P.server + P.client) * 1000;

describe('redirection memory: a caller keeps the partner ID of a migrated callee (A51)', () => {
  it('within the memory the next call goes straight to the partner ID: the redirection round trip saved, exactly', () => {
    const none = simulate(scenario('none'));
    const kept = simulate(scenario('60s'));
    const [first, second] = setups(kept.model);
    expect(setups(none.model)).toEqual([first, first]);
    expect((first as number) - (second as number)).toBe(REDIRECTION);
    const secondCall = steps(kept.hops.filter((h) => h.t >= 10_000_000));
    expect(secondCall[0]).toBe('alice -> serverC: PrivateCallRequest');
    expect(secondCall[1]).toBe('serverC -> serverB: PrivateCallRequest');
    expect(secondCall).not.toContain('serverA -> serverC: PrivateCallRedirection');
    expect(samplesOf(kept.model, 'private_call.redirection')).toHaveLength(1);
    const [k] = samplesOf(kept.model, 'private_call.kept_id');
    expect(k?.outcome).toBe('success');
    // It ends at the partner's acceptance, one client step before the floor grant ends the set-up.
    expect(k ? k.end - k.start : NaN).toBe((second as number) - P.client * 1000);
  });

  it('a kept ID expires: after the memory the primary is asked again', () => {
    const { model, hops } = simulate(scenario('5s'));
    expect(samplesOf(model, 'private_call.redirection')).toHaveLength(2);
    expect(samplesOf(model, 'private_call.kept_id')).toEqual([]);
    expect(steps(hops.filter((h) => h.t >= 10_000_000))[1]).toBe('serverC -> serverA: PrivateCallRequest');
  });

  it('stale: the callee moved on to C; the old partner answers unreachable, the caller falls back to the primary and a fresh redirection', () => {
    const { model, hops } = simulate(scenario('60s', '  - { at: 5s, migrate: { user: bob, to: C } }'));
    const second = steps(hops.filter((h) => h.t >= 10_000_000));
    expect(second.slice(0, 11)).toEqual([
      'alice -> serverC: PrivateCallRequest', // to the kept sip:bob.visitor@b.mcx
      'serverC -> serverB: PrivateCallRequest',
      'serverB -> serverC: PrivateCallResponse', // B no longer serves bob: unreachable
      'serverC -> alice: PrivateCallResponse',
      'alice -> serverC: PrivateCallRequest', // the way back: bob's primary ID
      'serverC -> serverA: PrivateCallRequest',
      'serverA -> serverC: PrivateCallRedirection', // afresh: bob is in C now
      'serverC -> alice: PrivateCallRedirection',
      'alice -> serverC: PrivateCallRequest',
      'serverC -> bob: PrivateCallRequest',
      'bob -> serverC: PrivateCallResponse',
    ]);
    const requests = hops.filter((h) => h.type === 'PrivateCallRequest' && h.from === 'alice' && h.t >= 10_000_000);
    expect(requests.map((h) => (h.msg as { target: string }).target)).toEqual([
      'sip:bob.visitor@b.mcx',
      'sip:bob@a.mcx',
      'sip:bob.visitor@c.mcx',
    ]);
    expect(
      hops.find((h) => h.from === 'serverB' && h.type === 'PrivateCallResponse' && h.t >= 10_000_000)?.msg,
    ).toMatchObject({
      result: 'rejected',
      reason: 'unreachable',
    });
    expect(samplesOf(model, 'private_call.kept_id').map((s) => s.outcome)).toEqual(['stale-id']);
    expect(samplesOf(model, 'private_call.setup').map((s) => s.outcome)).toEqual(['success', 'success']);
    expect(samplesOf(model, 'private_call.redirection')).toHaveLength(2);
  });

  it('stale: the callee went home; the fallback call to the primary ID is served there, with no redirection', () => {
    const { model, hops } = simulate(scenario('60s', '  - { at: 5s, migrate: { user: bob, to: A } }'));
    const requests = hops.filter((h) => h.type === 'PrivateCallRequest' && h.from === 'alice' && h.t >= 10_000_000);
    expect(requests.map((h) => (h.msg as { target: string }).target)).toEqual([
      'sip:bob.visitor@b.mcx',
      'sip:bob@a.mcx',
    ]);
    expect(samplesOf(model, 'private_call.kept_id').map((s) => s.outcome)).toEqual(['stale-id']);
    expect(samplesOf(model, 'private_call.setup').map((s) => s.outcome)).toEqual(['success', 'success']);
    expect(samplesOf(model, 'private_call.redirection')).toHaveLength(1);
    // A fresh redirection would have refilled the memory; a call served at home leaves it empty.
    expect(model.client('alice').keptIds.get('sip:bob@a.mcx', model.sim.now)).toBeUndefined();
  });
});

describe('under a load of repeated calls to the same migrated users (scenarios/redirection-memory.yaml)', () => {
  const result = runExperiment(loadScenario('scenarios/redirection-memory.yaml'), { runs: 3 });
  const points = (result.points ?? []).map((p) => ({
    memory: p.params['calls.redirectionMemory'],
    variant: p.variants[0],
  }));

  it('the mean set-up per call falls as the memory lengthens', () => {
    expect(points.map((p) => p.memory)).toEqual(['none', '5s', '20s', '60s', '300s']);
    const means = points.map((p) => p.variant?.metrics['private_call.setup']?.mean as number);
    for (let i = 1; i < means.length; i++) expect(means[i]).toBeLessThan(means[i - 1] as number);
    const redirections = points.map((p) => p.variant?.metrics['private_call.redirection']?.n as number);
    for (let i = 1; i < redirections.length; i++) expect(redirections[i]).toBeLessThan(redirections[i - 1] as number);
  });

  it('kept IDs of users who moved on go stale, and those calls still succeed by the fallback', () => {
    const longest = points.at(-1)?.variant;
    expect(longest?.outcomes['private_call.kept_id']?.['stale-id']).toBeGreaterThan(0);
    expect(points[0]?.variant?.outcomes['private_call.kept_id']).toBeUndefined();
    const setup = longest?.outcomes['private_call.setup'] ?? {};
    expect(setup['success']).toBeGreaterThanOrEqual(
      points[0]?.variant?.outcomes['private_call.setup']?.['success'] ?? 0,
    );
  });
});
