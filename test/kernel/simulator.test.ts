import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RandomStreams } from '../../src/kernel/random.ts';
import { Simulator } from '../../src/kernel/simulator.ts';

describe('Simulator ordering', () => {
  it('runs same-time events in the order they were scheduled', () => {
    const sim = new Simulator();
    const seen: number[] = [];
    for (let i = 0; i < 50; i++) sim.schedule(i % 2 === 0 ? 10 : 5, (n: number) => seen.push(n), i);
    sim.run();
    const odd = Array.from({ length: 25 }, (_, i) => 2 * i + 1);
    const even = Array.from({ length: 25 }, (_, i) => 2 * i);
    expect(seen).toEqual([...odd, ...even]);
  });

  it('never moves the clock backwards, whatever order events are scheduled in', () => {
    const rng = new RandomStreams(7, 0).stream('order');
    const sim = new Simulator();
    const times: number[] = [];
    const record = (): void => {
      times.push(sim.now);
      if (times.length < 5_000) sim.schedule(Math.floor(rng.next() * 1_000), record, undefined);
    };
    for (let i = 0; i < 500; i++) sim.schedule(Math.floor(rng.next() * 100_000), record, undefined);
    sim.run();
    expect(times.length).toBeGreaterThanOrEqual(5_000);
    for (let i = 1; i < times.length; i++) expect(times[i]).toBeGreaterThanOrEqual(times[i - 1] as number);
  });

  it('runs events that handlers schedule, at now + delay', () => {
    const sim = new Simulator();
    const log: [string, number][] = [];
    sim.schedule(
      100,
      () => {
        log.push(['a', sim.now]);
        sim.schedule(0, () => log.push(['a0', sim.now]), undefined);
        sim.schedule(50, () => log.push(['a50', sim.now]), undefined);
      },
      undefined,
    );
    sim.schedule(120, () => log.push(['b', sim.now]), undefined);
    expect(sim.run()).toBe('empty');
    expect(log).toEqual([
      ['a', 100],
      ['a0', 100],
      ['b', 120],
      ['a50', 150],
    ]);
    expect(sim.eventsRun).toBe(4);
  });

  it('refuses negative, fractional and non-finite delays, and times in the past', () => {
    const sim = new Simulator();
    const noop = (): void => {};
    expect(() => sim.schedule(-1, noop, undefined)).toThrow(RangeError);
    expect(() => sim.schedule(1.5, noop, undefined)).toThrow(RangeError);
    expect(() => sim.schedule(Number.NaN, noop, undefined)).toThrow(RangeError);
    expect(() => sim.schedule(Infinity, noop, undefined)).toThrow(RangeError);
    sim.schedule(10, noop, undefined);
    sim.run();
    expect(() => sim.scheduleAt(9, noop, undefined)).toThrow(RangeError);
    expect(sim.pending).toBe(0);
  });
});

describe('Simulator cancel', () => {
  it('a cancelled event never runs; cancelling twice or after it ran returns false', () => {
    const sim = new Simulator();
    const seen: string[] = [];
    const a = sim.schedule(10, (s: string) => seen.push(s), 'a');
    const b = sim.schedule(20, (s: string) => seen.push(s), 'b');
    expect(sim.isPending(a)).toBe(true);
    expect(sim.cancel(a)).toBe(true);
    expect(sim.isPending(a)).toBe(false);
    expect(sim.cancel(a)).toBe(false);
    expect(sim.pending).toBe(1);
    sim.run();
    expect(seen).toEqual(['b']);
    expect(sim.cancel(b)).toBe(false);
    expect(sim.isPending(b)).toBe(false);
  });

  it('cancel and isPending refuse handles the kernel never gave out', () => {
    const sim = new Simulator();
    sim.schedule(1, () => {}, undefined);
    for (const h of [-1, 0.5, 2 ** 60, Number.NaN, 12345]) {
      expect(sim.isPending(h)).toBe(false);
      expect(sim.cancel(h)).toBe(false);
    }
    expect(sim.pending).toBe(1);
  });

  it('a stale handle does not cancel the event that reuses its slot', () => {
    const sim = new Simulator();
    const seen: string[] = [];
    const old = sim.schedule(1, (s: string) => seen.push(s), 'old');
    sim.run();
    const fresh = sim.schedule(1, (s: string) => seen.push(s), 'fresh');
    expect(fresh).not.toBe(old);
    expect(sim.cancel(old)).toBe(false);
    expect(sim.isPending(fresh)).toBe(true);
    sim.run();
    expect(seen).toEqual(['old', 'fresh']);
  });

  it('a cancelled slot is reused only after the loop discards it, and the old handle stays dead', () => {
    const sim = new Simulator();
    const seen: number[] = [];
    const handles = Array.from({ length: 10 }, (_, i) => sim.schedule(i + 1, (n: number) => seen.push(n), i));
    for (const h of handles.slice(0, 5)) sim.cancel(h);
    sim.run();
    const again = Array.from({ length: 10 }, (_, i) => sim.schedule(i + 1, (n: number) => seen.push(n), 100 + i));
    for (const h of handles) expect(sim.cancel(h)).toBe(false);
    expect(again.every((h) => sim.isPending(h))).toBe(true);
    sim.run();
    expect(seen).toEqual([5, 6, 7, 8, 9, ...Array.from({ length: 10 }, (_, i) => 100 + i)]);
  });
});

describe('Simulator run limits', () => {
  it('until stops before later events, runs events at exactly until, and leaves the clock there', () => {
    const sim = new Simulator();
    const seen: number[] = [];
    for (const t of [10, 20, 30, 40]) sim.schedule(t, (n: number) => seen.push(n), t);
    expect(sim.run({ until: 30 })).toBe('until');
    expect(seen).toEqual([10, 20, 30]);
    expect(sim.now).toBe(30);
    expect(sim.run({ until: 35 })).toBe('until');
    expect(sim.now).toBe(35);
    expect(sim.pending).toBe(1);
    expect(sim.run({ until: 100 })).toBe('empty');
    expect(seen).toEqual([10, 20, 30, 40]);
    expect(sim.now).toBe(100);
  });

  it('until ignores cancelled events beyond it', () => {
    const sim = new Simulator();
    const h = sim.schedule(50, () => {}, undefined);
    sim.cancel(h);
    expect(sim.run({ until: 20 })).toBe('empty');
    expect(sim.now).toBe(20);
  });

  it('maxEvents runs exactly that many events per call', () => {
    const sim = new Simulator();
    let count = 0;
    const tick = (): void => {
      count++;
      sim.schedule(1, tick, undefined);
    };
    sim.schedule(0, tick, undefined);
    expect(sim.run({ maxEvents: 7 })).toBe('maxEvents');
    expect(count).toBe(7);
    expect(sim.eventsRun).toBe(7);
    expect(sim.run({ maxEvents: 3 })).toBe('maxEvents');
    expect(count).toBe(10);
    expect(sim.now).toBe(9);
  });

  it('stop() returns after the current event', () => {
    const sim = new Simulator();
    const seen: number[] = [];
    sim.schedule(
      1,
      () => {
        seen.push(1);
        sim.stop();
      },
      undefined,
    );
    sim.schedule(2, () => seen.push(2), undefined);
    expect(sim.run()).toBe('stopped');
    expect(seen).toEqual([1]);
    expect(sim.run()).toBe('empty');
    expect(seen).toEqual([1, 2]);
  });
});

type Op = { kind: 'push'; delay: number } | { kind: 'cancel'; pick: number } | { kind: 'pop' };

describe('Simulator against a sorted-array reference', () => {
  it('pops exactly what a sorted list of (time, seq) would, under interleaved push/cancel/pop', () => {
    const op: fc.Arbitrary<Op> = fc.oneof(
      {
        arbitrary: fc.record({ kind: fc.constant('push' as const), delay: fc.integer({ min: 0, max: 50 }) }),
        weight: 5,
      },
      { arbitrary: fc.record({ kind: fc.constant('cancel' as const), pick: fc.nat() }), weight: 2 },
      { arbitrary: fc.constant({ kind: 'pop' as const }), weight: 3 },
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 400 }), (ops) => {
        const sim = new Simulator();
        const ran: number[] = [];
        const visit = (id: number): void => void ran.push(id);
        // Reference: entries kept sorted by (time, id); ids rise with scheduling order like seq.
        let ref: { time: number; id: number }[] = [];
        const handles: { handle: number; id: number }[] = [];
        let nextId = 0;
        for (const o of ops) {
          if (o.kind === 'push') {
            const id = nextId++;
            handles.push({ handle: sim.schedule(o.delay, visit, id), id });
            ref.push({ time: sim.now + o.delay, id });
            ref.sort((a, b) => a.time - b.time || a.id - b.id);
          } else if (o.kind === 'cancel') {
            if (handles.length === 0) continue;
            const h = handles[o.pick % handles.length] as { handle: number; id: number };
            const inRef = ref.some((e) => e.id === h.id);
            expect(sim.isPending(h.handle)).toBe(inRef);
            expect(sim.cancel(h.handle)).toBe(inRef);
            ref = ref.filter((e) => e.id !== h.id);
          } else {
            const before = ran.length;
            sim.run({ maxEvents: 1 });
            const expected = ref.shift();
            if (expected === undefined) expect(ran.length).toBe(before);
            else {
              expect(ran.at(-1)).toBe(expected.id);
              expect(sim.now).toBe(expected.time);
            }
          }
          expect(sim.pending).toBe(ref.length);
        }
        sim.run();
        expect(ran.slice(ran.length - ref.length)).toEqual(ref.map((e) => e.id));
      }),
      { numRuns: 300 },
    );
  });
});
