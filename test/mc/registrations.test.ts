import { describe, expect, it } from 'vitest';
import { McModel } from '../../src/mc/model.ts';
import { Registrations } from '../../src/mc/registrations.ts';
import type { McMessage } from '../../src/mc/messages.ts';
import { Node, type SendRecord } from '../../src/net/index.ts';
import { buildModelConfig } from '../../src/scenario/build.ts';
import { parseText, validate } from '../../src/scenario/load.ts';
import { constantDefaults } from './harness.ts';

describe('Registrations', () => {
  it('changes its epoch when an ID stops pointing at its node, not when one is added', () => {
    const model = new McModel(buildModelConfig(validate('inline.yaml', parseText('inline.yaml', scenario))), { seed: 1, replication: 0 });
    const [alice, bob] = [model.client('alice').node, model.client('bob').node] as [Node, Node];
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

/** The hops of the call's release, with bob's registration at serverA moved to carol's node mid-call or not. */
function release(moveBob: boolean): string[] {
  const config = buildModelConfig(validate('inline.yaml', parseText('inline.yaml', scenario)));
  const hops: string[] = [];
  const trace = (r: SendRecord<McMessage>): void => {
    if (r.envelope.msg.type === 'CallEndRequest') hops.push(`${r.envelope.from} -> ${r.envelope.to}`);
  };
  const model = new McModel(config, { seed: 1, replication: 0, trace });
  if (moveBob) model.sim.scheduleAt(500_000, () => model.server('A').registrations.set('sip:bob@a.mcx', model.client('carol').node), undefined);
  model.run();
  return hops;
}

describe('a call record at a server', () => {
  it('sends the call release to the callee node it resolved at set-up', () => {
    expect(release(false)).toEqual(['alice -> serverA', 'serverA -> bob']);
  });

  it('sends it to the node registered now once a registration changed since', () => {
    expect(release(true)).toEqual(['alice -> serverA', 'serverA -> carol']);
  });
});
