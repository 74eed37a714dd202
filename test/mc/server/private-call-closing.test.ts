import { describe, expect, it } from 'vitest';
import type { McModel } from '../../../src/mc/world/model.ts';
import { constantDefaults, THREE_SYSTEMS, simulate, steps } from '../harness.ts';

const scenario = (timeline: string[]) => `
topology:
${constantDefaults({ access: 20, inter: 15, client: 7, server: 3 })}
${THREE_SYSTEMS}
population:
  users:
    - { name: alice, primary: A }
    - { name: bob, primary: B }
    - { name: carol, primary: A }
timeline:
${timeline.map((t) => `  - ${t}`).join('\n')}
`;

/** Counts each server's lookups in its registrations table. */
function countLookups(model: McModel, counts: Record<string, number>): void {
  for (const system of ['A', 'B']) {
    const table = model.server(system).registrations;
    const get = table.get.bind(table);
    counts[system] = 0;
    table.get = (id) => {
      counts[system] = (counts[system] as number) + 1;
      return get(id);
    };
  }
}

describe("a server keeps a released call's record until the release's answer passes back", () => {
  it('the answer reaches the releaser without a lookup of its registration; nothing is left behind', () => {
    const counts: Record<string, number> = {};
    const { model, hops } = simulate(
      scenario(['{ at: 0ms, privateCall: { from: alice, to: bob, hangUpAfter: 1s } }']),
      {},
      1,
      0,
      (m) => countLookups(m, counts),
    );
    expect(steps(hops.filter((h) => h.type.startsWith('CallEnd')))).toEqual([
      'alice -> serverA: CallEndRequest',
      'serverA -> serverB: CallEndRequest',
      'serverB -> bob: CallEndRequest',
      'bob -> serverB: CallEndResponse',
      'serverB -> serverA: CallEndResponse',
      'serverA -> alice: CallEndResponse',
    ]);
    // serverB looks bob up once, when the call reaches it; every later flow goes to the node
    // a record resolved, the release's answer at serverA included.
    expect(counts).toEqual({ A: 0, B: 1 });
    expect([model.server('A').calls.closingCalls, model.server('B').calls.closingCalls]).toEqual([0, 0]);
    expect(model.client('alice').calls.legs.size).toBe(0);
  });

  it('a release whose answer never comes is forgotten once SIP would have given it up (64*T1)', () => {
    // bob's access fails before alice hangs up: her release passes serverA and serverB and is
    // lost on the way to bob. A release passing serverA 64*T1 later drops the record it left.
    const timeline = [
      '{ at: 0ms, privateCall: { from: alice, to: bob, hangUpAfter: 2s } }',
      '{ at: 1s, fault: { for: 600s, linkDown: { between: [serverB, bob] } } }',
      '{ at: 10s, privateCall: { from: alice, to: carol, hangUpAfter: 1s } }',
      '{ at: 40s, privateCall: { from: carol, to: alice, hangUpAfter: 1s } }',
    ];
    const closing: number[] = [];
    const { model } = simulate(scenario(timeline), {}, 1, 0, (m) => {
      // After the second call's release (the first one's still kept), after the third's.
      for (const at of [15, 45])
        m.sim.scheduleAt(at * 1e6, () => closing.push(m.server('A').calls.closingCalls), undefined);
    });
    expect(closing).toEqual([1, 0]);
    expect(model.server('B').calls.closingCalls).toBe(1);
    expect([...model.client('alice').calls.unconfirmedReleases]).toEqual(['call-1']);
  });
});
