import { runInNewContext } from 'node:vm';
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { defaultGuardLimit, GUARD_SHARE, watchHeap } from '../../src/experiment/heap.ts';

setFlagsFromString('--expose-gc');
/** A full collection on demand (V8 makes `gc` for contexts made after the flag is set). */
const fullGc = runInNewContext('gc') as () => void;
const immediate = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
/** GC entries reach observers in the turn after the collection. */
const turn = async (): Promise<void> => {
  await immediate();
  await immediate();
};

describe('the heap guard', () => {
  it('reads live data after each full collection, not garbage', async () => {
    const guard = watchHeap(1);
    try {
      expect(guard.live).toBe(0);
      // Garbage: 40 MB of arrays no one keeps.
      for (let i = 0; i < 40; i++) void new Array(125_000).fill(i);
      fullGc();
      await turn();
      const live = guard.live;
      expect(live).toBeGreaterThan(0);
      expect(live).toBeLessThan(getHeapStatistics().used_heap_size + 8e6);
      expect(guard.exceeded()).toBe(true);
      // 40 MB kept: the next reading grows by as much.
      const kept = Array.from({ length: 40 }, (_, i) => new Array(125_000).fill(i + 0.5));
      fullGc();
      await turn();
      expect(guard.live - live).toBeGreaterThan(35e6);
      expect(kept.length).toBe(40);
    } finally {
      guard.dispose();
    }
  });

  it('allows live data up to its share of the old generation by default, --max-memory below that', () => {
    const heapLimit = getHeapStatistics().heap_size_limit;
    const guard = watchHeap();
    const capped = watchHeap(100e6);
    try {
      expect(guard.limit).toBe(defaultGuardLimit(heapLimit));
      expect(capped.limit).toBe(100e6);
      expect(guard.exceeded()).toBe(false);
    } finally {
      guard.dispose();
      capped.dispose();
    }
    // node --max-old-space-size=256: V8's limit is 304 MiB, 48 of them the young generation.
    expect(defaultGuardLimit(304 * 2 ** 20)).toBe(Math.floor(GUARD_SHARE * 256 * 2 ** 20));
  });
});
