import { describe, expect, it } from 'vitest';
import { chase, chaseCycle } from '../../bench/memory.ts';

describe('memory benchmark cycle', () => {
  it('visits every cache line of the working set once before it returns to the start', () => {
    const slots = chaseCycle(0.25, 'test');
    const lines = slots.length / 16;
    expect(lines).toBe(4096);
    const seen = new Set<number>();
    let at = 0;
    for (let i = 0; i < lines; i++) {
      expect(at % 16).toBe(0);
      seen.add(at);
      at = slots[at] as number;
    }
    expect(seen.size).toBe(lines);
    expect(at).toBe(0);
    expect(chase(slots, lines)).toBe(0);
  });

  it('orders the lines at random, not in address order', () => {
    const slots = chaseCycle(0.25, 'test');
    let sequential = 0;
    for (let at = 0, i = 0; i < 4096; i++, at = slots[at] as number) if (slots[at] === at + 16) sequential++;
    expect(sequential).toBeLessThan(10);
  });
});
