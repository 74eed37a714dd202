import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Simulator } from '../../src/kernel/index.ts';

describe('Simulator.reserveOrder / scheduleReserved', () => {
  it('runs a reserved event among same-time events in the place it reserved, not where it was scheduled', () => {
    const sim = new Simulator();
    const seen: string[] = [];
    const log = (s: string): void => void seen.push(s);
    sim.schedule(10, log, 'before');
    const order = sim.reserveOrder();
    sim.schedule(10, log, 'after');
    sim.schedule(5, () => sim.scheduleReserved(10, order, log, 'reserved'), undefined);
    sim.run();
    expect(seen).toEqual(['before', 'reserved', 'after']);
  });

  it('refuses a time in the past', () => {
    const sim = new Simulator();
    const order = sim.reserveOrder();
    sim.schedule(
      10,
      () => expect(() => sim.scheduleReserved(9, order, () => undefined, undefined)).toThrow(RangeError),
      undefined,
    );
    sim.run();
  });

  type Op =
    | { kind: 'push'; delay: number }
    | { kind: 'reserve'; delay: number }
    | { kind: 'place'; pick: number }
    | { kind: 'pop' };

  it('pops what a list sorted by (time, order of scheduling or reserving) would', () => {
    const op: fc.Arbitrary<Op> = fc.oneof(
      {
        arbitrary: fc.record({ kind: fc.constant('push' as const), delay: fc.integer({ min: 0, max: 30 }) }),
        weight: 4,
      },
      {
        arbitrary: fc.record({ kind: fc.constant('reserve' as const), delay: fc.integer({ min: 0, max: 30 }) }),
        weight: 2,
      },
      { arbitrary: fc.record({ kind: fc.constant('place' as const), pick: fc.nat() }), weight: 2 },
      { arbitrary: fc.constant({ kind: 'pop' as const }), weight: 3 },
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), (ops) => {
        const sim = new Simulator();
        const ran: number[] = [];
        const visit = (id: number): void => void ran.push(id);
        const ref: { time: number; id: number }[] = [];
        // Reserved places not yet scheduled: the time each was meant for, and its order.
        const held: { time: number; id: number; order: number }[] = [];
        let nextId = 0;
        for (const o of ops) {
          if (o.kind === 'push') {
            const id = nextId++;
            sim.schedule(o.delay, visit, id);
            ref.push({ time: sim.now + o.delay, id });
          } else if (o.kind === 'reserve') {
            held.push({ time: sim.now + o.delay, id: nextId++, order: sim.reserveOrder() });
          } else if (o.kind === 'place') {
            if (held.length === 0) continue;
            const [h] = held.splice(o.pick % held.length, 1) as [{ time: number; id: number; order: number }];
            // A place whose time has passed is given the present instead.
            const time = Math.max(h.time, sim.now);
            sim.scheduleReserved(time, h.order, visit, h.id);
            ref.push({ time, id: h.id });
          } else {
            sim.run({ maxEvents: 1 });
            const expected = ref.shift();
            if (expected !== undefined) {
              expect(ran.at(-1)).toBe(expected.id);
              expect(sim.now).toBe(expected.time);
            }
          }
          ref.sort((a, b) => a.time - b.time || a.id - b.id);
          expect(sim.pending).toBe(ref.length);
        }
        sim.run();
        expect(ran.slice(ran.length - ref.length)).toEqual(ref.map((e) => e.id));
      }),
      { numRuns: 300 },
    );
  });
});
