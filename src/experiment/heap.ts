import { constants, PerformanceObserver } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';

/**
 * Share of the old generation's limit the memory guard lets a thread's live data reach by
 * default: what is left lets the run assemble its result (a sorted copy of every sample) and V8
 * collect without thrashing until the guard's reading arrives.
 */
export const GUARD_SHARE = 0.8;

/**
 * The young generation's part of V8's heap limit (three 16 MiB semi-spaces on 64-bit Node 20):
 * long-lived data lives in the old generation, whose limit is the rest.
 */
const YOUNG_GENERATION = 48 * 2 ** 20;

/** The guard's default limit: GUARD_SHARE of the old generation's limit, from V8's heap limit. */
export const defaultGuardLimit = (heapLimit: number): number =>
  Math.floor(GUARD_SHARE * Math.max(heapLimit / 2, heapLimit - YOUNG_GENERATION));

export interface HeapGuard {
  /** Bytes of live data allowed. */
  readonly limit: number;
  /** The heap limit of this thread (V8's). */
  readonly heapLimit: number;
  /** Live data after the last full collection, in bytes (0 before the first). */
  readonly live: number;
  /** Live data passed the limit at the last full collection. */
  exceeded(): boolean;
  dispose(): void;
}

/**
 * Watches this thread's heap: after every full (mark-compact) collection, the bytes still in use
 * are the live data, which V8 measures for free as the heap nears its limit (it collects fully
 * ever more often then). Garbage between collections is not counted, so a run churning through
 * short-lived objects is not stopped for them. The reading arrives within two turns of the event
 * loop: a thread must yield now and then for it (the replications do, between steps).
 * `maxBytes` caps the limit (`--max-memory`); the default is defaultGuardLimit.
 */
export function watchHeap(maxBytes?: number): HeapGuard {
  const heapLimit = getHeapStatistics().heap_size_limit;
  const limit = Math.min(maxBytes ?? Infinity, defaultGuardLimit(heapLimit));
  let live = 0;
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      const kind = (e as { detail?: { kind?: number } }).detail?.kind;
      if (kind === constants.NODE_PERFORMANCE_GC_MAJOR) live = getHeapStatistics().used_heap_size;
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  return {
    limit,
    heapLimit,
    get live() {
      return live;
    },
    exceeded: () => live > limit,
    dispose: () => observer.disconnect(),
  };
}
