import { describe, expect, it } from 'vitest';
import { checkInvariants } from '../../src/mc/invariants.ts';
import type { McMessage } from '../../src/mc/messages.ts';
import { McModel } from '../../src/mc/model.ts';
import { buildModelConfig } from '../../src/scenario/build.ts';
import { parseText, validate } from '../../src/scenario/load.ts';

// u0 leaves group g at 1 s and joins it again at 2 s, then starts a group call at 3 s. Found by
// random scenarios (seed 797): the de-affiliation, held up by a loss burst, reached the home
// server after the later affiliation and the call request; the server applied it, released the
// call as "initiator left" and told everyone but u0, who stayed in a call nobody else had.
const SCENARIO = `
topology:
  defaults:
    access: { latency: 1ms }
    core: { latency: 1ms }
    interconnect: { latency: 1ms }
  systems: { A: {} }
population:
  groups: [{ id: g, home: A }]
  users: [{ name: u0, primary: A, groups: [g] }, { name: u2, primary: A, groups: [g] }]
timeline:
  - { at: 1s, deaffiliate: { user: u0, group: g } }
  - { at: 2s, affiliate: { user: u0, group: g } }
  - { at: 3s, groupCall: { from: u0, group: g, holdFor: 1s } }
`;

function run(staleAt: number | undefined) {
  const model = new McModel(buildModelConfig(validate('inline.yaml', parseText('inline.yaml', SCENARIO))), { seed: 1, replication: 0 });
  const sent: McMessage[] = [];
  model.net.onSend((r) => {
    if (r.envelope.from === 'u0' && r.envelope.msg.type === 'GroupDeaffiliationRequest') sent.push(r.envelope.msg);
  });
  const answers: McMessage[] = [];
  model.net.onSend((r) => {
    if (r.envelope.to === 'u0' && r.envelope.msg.type === 'GroupDeaffiliationResponse') answers.push(r.envelope.msg);
  });
  // The held-up copy of u0's de-affiliation reaches serverA late.
  if (staleAt !== undefined) model.sim.scheduleAt(staleAt, () => model.net.send('u0', 'serverA', sent[0] as McMessage), undefined);
  model.run();
  return { model, answers };
}

describe('group (de-)affiliations ordered by sequence number (RFC 3261 12.2.2 CSeq)', () => {
  it('in order, each is applied', () => {
    const { model, answers } = run(undefined);
    expect(answers.map((a) => (a as { result: string }).result)).toEqual(['success']);
    expect(model.server('A').groups?.affiliations.get('sip:g@a.mcx')?.has('sip:u0@a.mcx')).toBe(true);
  });

  it('a de-affiliation arriving after a later affiliation is refused and changes nothing', () => {
    const { model, answers } = run(3_100_000);
    expect(answers.map((a) => (a as { result: string }).result)).toEqual(['success', 'failure']);
    expect(model.server('A').groups?.affiliations.get('sip:g@a.mcx')?.has('sip:u0@a.mcx')).toBe(true);
    // The call u0 started goes on to its hang-time release; no call is left half-open.
    expect(model.recorder.samples.filter((s) => s.metric === 'group_call.setup').map((s) => s.outcome)).toEqual(['success']);
    expect(checkInvariants(model)).toEqual([]);
  });
});
