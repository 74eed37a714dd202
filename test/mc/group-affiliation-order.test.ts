import { describe, expect, it } from 'vitest';
import { checkInvariants } from '../../src/mc/measure/invariants.ts';
import type { McMessage } from '../../src/mc/protocol/messages.ts';
import { McModel } from '../../src/mc/world/model.ts';
import { buildModelConfig } from '../../src/scenario/build.ts';
import { parseText, validate } from '../../src/scenario/load.ts';

// u0 leaves group g at 1 s and joins it again at 2 s, then starts a group call at 3 s. Found by
// random scenarios (seed 797): the de-affiliation, held up by a loss burst, reached the home
// server after the later affiliation and the call request; the server applied it, released the
// call as "initiator left" and told everyone but u0, who stayed in a call nobody else had.
// With u0 migrated to B (seed 870), serverB relays its (de-)affiliations to the home, and had
// taken u0 out of the call it relays as soon as the held-up de-affiliation passed, though the
// home refused it: the call's Floor Idle and release then never reached u0.
const scenario = (serving: 'A' | 'B') => `
topology:
  defaults:
    access: { latency: 1ms }
    core: { latency: 1ms }
    interconnect: { latency: 1ms }
  systems: { A: {}, B: {} }
  interconnects: [{ between: [A, B] }]
population:
  groups: [{ id: g, home: A }]
  users: [{ name: u0, primary: A, serving: ${serving}, groups: [g] }, { name: u2, primary: A, groups: [g] }]
timeline:
  - { at: 1s, deaffiliate: { user: u0, group: g } }
  - { at: 2s, affiliate: { user: u0, group: g } }
  - { at: 3s, groupCall: { from: u0, group: g, holdFor: 1s } }
`;

function run(staleAt: number | undefined, serving: 'A' | 'B' = 'A') {
  const model = new McModel(buildModelConfig(validate('inline.yaml', parseText('inline.yaml', scenario(serving)))), {
    seed: 1,
    replication: 0,
  });
  const server = `server${serving}`;
  const sent: McMessage[] = [];
  model.net.onSend((r) => {
    if (r.envelope.from === 'u0' && r.envelope.msg.type === 'GroupDeaffiliationRequest') sent.push(r.envelope.msg);
  });
  const answers: McMessage[] = [];
  const toU0: McMessage[] = [];
  model.net.onSend((r) => {
    if (r.envelope.to === 'u0' && r.envelope.msg.type === 'GroupDeaffiliationResponse') answers.push(r.envelope.msg);
    if (r.envelope.to === 'u0') toU0.push(r.envelope.msg);
  });
  // The held-up copy of u0's de-affiliation reaches its serving server late.
  if (staleAt !== undefined)
    model.sim.scheduleAt(staleAt, () => model.net.send('u0', server, sent[0] as McMessage), undefined);
  model.run();
  return { model, answers, toU0 };
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
    expect(model.recorder.samples.filter((s) => s.metric === 'group_call.setup').map((s) => s.outcome)).toEqual([
      'success',
    ]);
    expect(checkInvariants(model)).toEqual([]);
  });

  it('relayed by a partner, a refused de-affiliation leaves the member in its call there: the release reaches it', () => {
    const { model, answers, toU0 } = run(3_100_000, 'B');
    expect(answers.map((a) => (a as { result: string }).result)).toEqual(['success', 'failure']);
    const calls = model.recorder.samples.filter((s) => s.metric === 'group_call.setup');
    expect(calls.map((s) => s.outcome)).toEqual(['success']);
    expect(toU0.map((m) => m.type).filter((t) => t === 'FloorIdle' || t === 'GroupCallReleaseRequest')).toEqual([
      'FloorIdle',
      'GroupCallReleaseRequest',
    ]);
    expect(model.client('u0').groups.inCall.size).toBe(0);
    expect(checkInvariants(model)).toEqual([]);
  });
});
