import { describe, expect, it } from 'vitest';
import { chunkSize } from '../../src/experiment/pool.ts';

/** The chunks handed out, in order, when workers take them one at a time until none is left. */
function chunks(tasks: number, workers: number): number[] {
  const out: number[] = [];
  for (let left = tasks; left > 0; left -= out[out.length - 1] as number)
    out.push(Math.min(left, chunkSize(left, workers)));
  return out;
}

describe('chunkSize (guided self-scheduling)', () => {
  it('hands out every task once, in chunks that never grow', () => {
    for (const [tasks, workers] of [
      [1000, 2],
      [12, 2],
      [7, 8],
      [1, 1],
      [4096, 3],
    ] as const) {
      const sizes = chunks(tasks, workers);
      expect(sizes.reduce((a, b) => a + b, 0)).toBe(tasks);
      sizes.forEach((s, i) => expect(s).toBeLessThanOrEqual(sizes[i - 1] ?? Infinity));
    }
  });

  it('caps a chunk at 32 tasks and ends with single tasks, so workers finish within one replication of each other', () => {
    const sizes = chunks(1000, 2);
    expect(sizes[0]).toBe(32);
    expect(sizes.slice(-4)).toEqual([1, 1, 1, 1]);
  });

  it('gives each worker a quarter of its share of what is left', () => {
    expect(chunkSize(100, 2)).toBe(13);
    expect(chunkSize(8, 2)).toBe(1);
    expect(chunkSize(9, 2)).toBe(2);
  });
});
