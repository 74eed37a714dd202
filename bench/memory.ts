/**
 * `memory`: the machine's memory hierarchy as a simulation of a large population meets it. A
 * call reaches the state of two random users; once that state outgrows the caches, each reach
 * costs a load from memory, and a page walk when it also outgrows the TLB. This benchmark
 * measures that cost on the machine at hand: the time of one dependent load (each address read
 * from the one before, so no two overlap) at a random cache line of a working set of each size.
 * It puts `scale`'s figures in context: how far cost per call can stay flat from 1k to 100k
 * users depends on where this curve rises, and it differs from one machine to the next.
 */
import { performance } from 'node:perf_hooks';
import { RandomStreams } from '../src/kernel/index.ts';
import { type Benchmark, type BenchResult, type BenchRow } from './registry.ts';

const SIZES_MIB = [0.25, 1, 2, 4, 8, 32, 128, 512] as const;
const LINE_BYTES = 64;
const SLOTS_PER_LINE = LINE_BYTES / Int32Array.BYTES_PER_ELEMENT;
const LOADS = 2_000_000;

/**
 * One cycle through every cache line of `mib` MiB in a random order (Sattolo's shuffle gives a
 * single cycle), stored as the slot index of the next line, at the first slot of each line.
 */
export function chaseCycle(mib: number, seed: string): Int32Array {
  const lines = Math.floor((mib * 1024 * 1024) / LINE_BYTES);
  const order = new Int32Array(lines);
  for (let i = 0; i < lines; i++) order[i] = i;
  const rng = new RandomStreams(seed, 0).stream('memory');
  for (let i = lines - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * i);
    const t = order[i] as number;
    order[i] = order[j] as number;
    order[j] = t;
  }
  const slots = new Int32Array(lines * SLOTS_PER_LINE);
  for (let i = 0; i < lines; i++)
    slots[(order[i] as number) * SLOTS_PER_LINE] = (order[(i + 1) % lines] as number) * SLOTS_PER_LINE;
  return slots;
}

/** Follows the cycle for `loads` steps from slot 0; returns where it ended (so the loop is not dead code). */
export function chase(slots: Int32Array, loads: number): number {
  let at = 0;
  for (let i = 0; i < loads; i++) at = slots[at] as number;
  return at;
}

export const memory: Benchmark = {
  name: 'memory',
  description: `one dependent load at a random cache line of a working set of ${SIZES_MIB[0]} to ${SIZES_MIB[SIZES_MIB.length - 1]} MiB (${(LOADS / 1e6).toFixed(0)}M loads, fastest of repeats): the cost of reaching a random user's state once it is out of the caches`,
  run({ log, repeats }): BenchResult {
    const rows: BenchRow[] = SIZES_MIB.map((mib) => {
      log(`memory: ${mib} MiB ...`);
      const slots = chaseCycle(mib, 'memory');
      // A pass over the whole cycle first: every page is touched and the code is compiled.
      chase(slots, slots.length / SLOTS_PER_LINE);
      let best = Infinity;
      for (let r = 0; r < repeats; r++) {
        const start = performance.now();
        chase(slots, LOADS);
        best = Math.min(best, ((performance.now() - start) * 1e6) / LOADS);
      }
      return { case: `${mib} MiB`, figures: { ns_per_load: Math.round(best * 10) / 10 } };
    });
    return { name: 'memory', description: this.description, rows, checks: [] };
  },
};
