import { describe, expect, it } from 'vitest';
import type { PrivateCalls } from '../../../src/mc/client/private-calls.ts';
import type { McModel } from '../../../src/mc/world/model.ts';
import { constantDefaults, THREE_SYSTEMS, samplesOf, simulate } from '../harness.ts';

const scenario = (timeline: string[]) => `
topology:
${constantDefaults({ access: 20, inter: 15, client: 7, server: 3 })}
${THREE_SYSTEMS}
population:
  users:
    - { name: alice, primary: A }
    - { name: bob, primary: B }
timeline:
${timeline.map((t) => `  - ${t}`).join('\n')}
`;

const TWO_CALLS = [
  '{ at: 0ms, privateCall: { from: alice, to: bob, hangUpAfter: 2s } }',
  '{ at: 10s, privateCall: { from: alice, to: bob, hangUpAfter: 2s } }',
];

/** Each user's call book as seen at `at` (seconds), with the dialogs it held then. */
function booksAt(model: McModel, at: number, seen: { user: string; book: PrivateCalls; legs: string[] }[]): void {
  model.sim.scheduleAt(
    at * 1e6,
    () => {
      for (const user of ['alice', 'bob']) {
        const book = model.client(user).calls;
        seen.push({ user, book, legs: [...book.legs.keys()] });
      }
    },
    undefined,
  );
}

describe('a client lets go of its call book between calls', () => {
  it('each call runs in a new book on both sides: the last call left nothing to keep', () => {
    const seen: { user: string; book: PrivateCalls; legs: string[] }[] = [];
    const { model } = simulate(scenario(TWO_CALLS), {}, 1, 0, (m) => {
      booksAt(m, 1, seen);
      booksAt(m, 11, seen);
    });
    expect(samplesOf(model, 'private_call.setup').map((s) => s.outcome)).toEqual(['success', 'success']);
    const [alice1, bob1, alice2, bob2] = seen;
    expect(alice1?.legs).toEqual(['call-1']);
    expect(bob1?.legs).toEqual(['call-1']);
    expect(alice2?.legs).toEqual(['call-2']);
    expect(bob2?.legs).toEqual(['call-2']);
    expect(alice2?.book).not.toBe(alice1?.book);
    expect(bob2?.book).not.toBe(bob1?.book);
  });

  it('the release reasons a user was given are counted across books', () => {
    const { model } = simulate(scenario(TWO_CALLS));
    expect(Object.fromEntries(model.client('bob').releaseReasons)).toEqual({ unspecified: 2 });
    expect(model.client('alice').releaseReasons.size).toBe(0);
  });

  it('a book holding a release never answered is kept: the peer may still hold that dialog', () => {
    const seen: { user: string; book: PrivateCalls; legs: string[] }[] = [];
    // Bob's access is down from 1 s on: alice's release at 2 s reaches no one, and its
    // transaction timer ends it unconfirmed. The invariants (checked by simulate) excuse bob's
    // dialog by that record, which a book let go of would have lost.
    const { model } = simulate(
      scenario([TWO_CALLS[0] as string, '{ at: 1s, fault: { for: 600s, linkDown: { between: [serverB, bob] } } }']),
      {},
      1,
      0,
      (m) => {
        booksAt(m, 1.5, seen);
      },
    );
    const alice = model.client('alice').calls;
    expect(alice).toBe(seen[0]?.book);
    expect([...alice.unconfirmedReleases]).toEqual(['call-1']);
    expect(alice.legs.size).toBe(0);
    expect(model.client('bob').calls.legs.get('call-1')?.state).toBe('part of ongoing call');
  });
});
