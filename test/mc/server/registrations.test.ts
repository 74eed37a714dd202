import { describe, expect, it } from 'vitest';
import { McModel } from '../../../src/mc/world/model.ts';
import { Registrations } from '../../../src/mc/server/registrations.ts';
import type { McMessage } from '../../../src/mc/protocol/messages.ts';
import type { SendRecord } from '../../../src/net/index.ts';
import { buildModelConfig } from '../../../src/scenario/build.ts';
import { parseText, validate } from '../../../src/scenario/load.ts';
import { constantDefaults } from '../harness.ts';

describe('Registrations', () => {
  it('changes its epoch when an ID stops pointing at its node, not when one is added', () => {
    const model = new McModel(buildModelConfig(validate('inline.yaml', parseText('inline.yaml', scenario))), {
      seed: 1,
      replication: 0,
    });
    const [alice, bob] = [model.client('alice'), model.client('bob')];
    const r = new Registrations();
    r.set('sip:alice@a.mcx', alice).set('sip:bob@a.mcx', bob);
    expect(r.epoch).toBe(0);
    r.set('sip:bob@a.mcx', bob);
    expect(r.epoch).toBe(0);
    expect(r.delete('sip:carol@a.mcx')).toBe(false);
    expect(r.epoch).toBe(0);
    r.set('sip:bob@a.mcx', alice);
    expect(r.epoch).toBe(1);
    expect(r.delete('sip:alice@a.mcx')).toBe(true);
    expect([r.epoch, r.size, r.has('sip:alice@a.mcx'), r.get('sip:bob@a.mcx')]).toEqual([2, 1, false, alice]);
  });

  it('says whether an ID is registered to a node as the table does, whatever the node last kept', () => {
    const model = new McModel(buildModelConfig(validate('inline.yaml', parseText('inline.yaml', scenario))), {
      seed: 1,
      replication: 0,
    });
    const [alice, bob, carol] = [model.client('alice'), model.client('bob'), model.client('carol')];
    const r = new Registrations();
    const other = new Registrations();
    r.set('sip:alice@a.mcx', alice).set('sip:bob@a.mcx', bob);
    other.set('sip:alice.visitor@b.mcx', alice);
    // alice keeps the fact `other` confirmed last; `r` still answers from its table.
    expect([
      r.holds('sip:alice@a.mcx', alice),
      r.holds('sip:bob@a.mcx', alice),
      r.holds('sip:carol@a.mcx', carol),
    ]).toEqual([true, false, false]);
    expect(other.holds('sip:alice.visitor@b.mcx', alice)).toBe(true);
    // A change elsewhere in the table: the kept fact is stale, the answer still right.
    r.delete('sip:bob@a.mcx');
    expect([r.holds('sip:alice@a.mcx', alice), r.holds('sip:bob@a.mcx', bob)]).toEqual([true, false]);
    // bob's kept fact (from its set) names an ID that now points elsewhere.
    r.set('sip:bob@a.mcx', carol);
    expect([r.holds('sip:bob@a.mcx', bob), r.holds('sip:bob@a.mcx', carol)]).toEqual([false, true]);
    r.delete('sip:alice@a.mcx');
    expect(r.holds('sip:alice@a.mcx', alice)).toBe(false);
  });
});

const scenario = `
topology:
${constantDefaults({ access: 5, inter: 20, client: 1, server: 1 })}
  systems: { A: {} }
population:
  users:
    - { name: alice, primary: A, serving: A }
    - { name: bob, primary: A, serving: A }
    - { name: carol, primary: A, serving: A }
security: { e2ee: false, kmsUriInRedirection: false }
timeline:
  - { at: 0s, privateCall: { from: alice, to: bob, service: mcptt, commencement: automatic, hangUpAfter: 1s } }
`;

/** The model run with `before` applied, and the messages that passed, as `from -> to: Type`. */
function run(before: (model: McModel) => void): { model: McModel; hops: { step: string; msg: McMessage }[] } {
  const config = buildModelConfig(validate('inline.yaml', parseText('inline.yaml', scenario)));
  const hops: { step: string; msg: McMessage }[] = [];
  const trace = (r: SendRecord<McMessage>): void =>
    void hops.push({ step: `${r.envelope.from} -> ${r.envelope.to}: ${r.envelope.msg.type}`, msg: r.envelope.msg });
  const model = new McModel(config, { seed: 1, replication: 0, trace });
  before(model);
  model.run();
  return { model, hops };
}

describe("a call set-up at the caller's server", () => {
  it("is refused when the caller is no longer registered there, though the caller's node kept its registration", () => {
    const { hops } = run((model) =>
      model.sim.scheduleAt(1_000, () => model.server('A').registrations.delete('sip:alice@a.mcx'), undefined),
    );
    expect(hops.map((h) => h.step)).toEqual([
      'alice -> serverA: PrivateCallRequest',
      'serverA -> alice: PrivateCallResponse',
    ]);
    expect(hops[1]?.msg).toMatchObject({ result: 'rejected', reason: 'caller not registered' });
  });

  it("is refused when the caller's ID now names another node", () => {
    const { hops } = run((model) =>
      model.sim.scheduleAt(
        1_000,
        () => model.server('A').registrations.set('sip:alice@a.mcx', model.client('carol')),
        undefined,
      ),
    );
    expect(hops[1]?.msg).toMatchObject({ result: 'rejected', reason: 'caller not registered' });
  });
});

/** The hops of the call's release, with bob's registration at serverA moved to carol's node mid-call or not. */
function release(moveBob: boolean): string[] {
  const { hops } = run((model) => {
    if (moveBob)
      model.sim.scheduleAt(
        500_000,
        () => model.server('A').registrations.set('sip:bob@a.mcx', model.client('carol')),
        undefined,
      );
  });
  return hops.filter((h) => h.msg.type === 'CallEndRequest').map((h) => h.step.replace(': CallEndRequest', ''));
}

describe('a call record at a server', () => {
  it('sends the call release to the callee node it resolved at set-up', () => {
    expect(release(false)).toEqual(['alice -> serverA', 'serverA -> bob']);
  });

  it('sends it to the node registered now once a registration changed since', () => {
    expect(release(true)).toEqual(['alice -> serverA', 'serverA -> carol']);
  });
});
