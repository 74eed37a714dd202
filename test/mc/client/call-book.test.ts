import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CallBook, type Attempt, type Leg } from '../../../src/mc/client/call-book.ts';

/** The protected bookkeeping opened up to the test. */
class OpenBook extends CallBook {
  add(leg: Leg): void {
    this.addLeg(leg);
  }
  remove(callId: string): boolean {
    return this.removeLeg(callId);
  }
  list(): Leg[] {
    return this.legList();
  }
  addA(a: Attempt): void {
    this.addAttempt(a);
  }
  removeA(a: Attempt): void {
    this.removeAttempt(a);
  }
  attemptList(): Attempt[] {
    return this.attemptsNow();
  }
}

const IDS = ['call-1', 'call-2', 'call-3'];
const legOf = (callId: string, n: number): Leg => ({
  callId,
  role: 'caller',
  peer: `sip:p${n}@a.mcx`,
  service: 'mcptt',
  server: 'serverA',
  state: 'waiting for call response',
});
const attempts = IDS.map((key) => ({ key }) as unknown as Attempt);

type Op = { add: boolean; id: number };
const ops = fc.array(fc.record({ add: fc.boolean(), id: fc.integer({ min: 0, max: IDS.length - 1 }) }), {
  maxLength: 40,
});

describe('a client call book', () => {
  it('keeps its dialogs as a Map would: lookups, removals and the order they began in', () => {
    fc.assert(
      fc.property(ops, (steps: Op[]) => {
        const book = new OpenBook();
        const model = new Map<string, Leg>();
        steps.forEach(({ add, id }, n) => {
          const callId = IDS[id] as string;
          if (add) {
            const leg = legOf(callId, n);
            book.add(leg);
            model.set(callId, leg);
          } else expect(book.remove(callId)).toBe(model.delete(callId));
          expect(book.list()).toEqual([...model.values()]);
          expect([...book.legs]).toEqual([...model]);
          for (const other of IDS) expect(book.leg(other)).toBe(model.get(other));
        });
      }),
      { seed: 11, numRuns: 500 },
    );
  });

  it('keeps its attempts as a Set would, in the order they began', () => {
    fc.assert(
      fc.property(ops, (steps: Op[]) => {
        const book = new OpenBook();
        const model = new Set<Attempt>();
        for (const { add, id } of steps) {
          const a = attempts[id] as Attempt;
          if (add) {
            book.addA(a);
            model.add(a);
          } else {
            book.removeA(a);
            model.delete(a);
          }
          expect(book.attemptList()).toEqual([...model]);
        }
      }),
      { seed: 12, numRuns: 500 },
    );
  });

  it('replaces a dialog of the same call id where it stands, sole or among others', () => {
    const book = new OpenBook();
    book.add(legOf('call-1', 0));
    const again = legOf('call-1', 1);
    book.add(again);
    expect(book.list()).toEqual([again]);
    book.add(legOf('call-2', 2));
    const third = legOf('call-1', 3);
    book.add(third);
    expect(book.list().map((l) => l.peer)).toEqual([third.peer, 'sip:p2@a.mcx']);
  });
});
