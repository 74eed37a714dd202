import { describe, expect, it } from 'vitest';
import type { McMessage } from '../../../src/mc/protocol/messages.ts';
import type { Envelope } from '../../../src/net/index.ts';
import { McModel } from '../../../src/mc/world/model.ts';
import { buildModelConfig } from '../../../src/scenario/build.ts';
import { parseText, validate } from '../../../src/scenario/load.ts';
import { samplesOf } from '../harness.ts';

const SCENARIO = `
topology:
  systems: { A: {} }
population:
  users: [{ name: alice, primary: A }, { name: bob, primary: A }]
calls: { commencement: manual, floorControl: true }
`;

describe("a caller's private call attempt", () => {
  it('is not set back by a Ringing that arrives after the accept (an unordered transport): the grant still establishes it', () => {
    const model = new McModel(buildModelConfig(validate('inline.yaml', parseText('inline.yaml', SCENARIO))), {
      seed: 1,
      replication: 0,
    });
    const alice = model.client('alice');
    const attempt = alice.calls.start({ peer: 'bob', service: 'mcptt', commencement: 'manual', floorControl: true });
    const callId = attempt.callId;
    // What the server would relay to alice, in the order an unordered access link may deliver it.
    const deliver = (msg: McMessage): void =>
      alice.receive({ id: 0, from: 'serverA', to: 'alice', msg, size: 0, sentAt: 0 } as unknown as Envelope<McMessage>);
    const target = alice.currentId;
    deliver({ type: 'PrivateCallResponse', callId, target, result: 'accepted', responder: 'sip:bob@a.mcx' });
    deliver({ type: 'PrivateCallRinging', callId, target });
    deliver({ type: 'FloorGranted', callId, target });
    // Established at once, before the request has even left: the flows the run then brings are stale.
    expect(samplesOf(model, 'private_call.setup').map((s) => [s.outcome, s.end])).toEqual([['success', 0]]);
  });
});
