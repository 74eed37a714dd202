/**
 * PHOLD (Fujimoto 1990): LOGICAL_PROCESSES processes; each event
 * schedules one new event at delay 0.1 + exponential(mean 1.0) time units on a uniformly
 * random process. Run through the kernel's public API and on a bare typed-array heap in the
 * same process, from the same seeded stream, so the two follow the same trajectory.
 */
import { performance } from 'node:perf_hooks';
import { RandomStreams, Simulator, type Rng } from '../src/kernel/index.ts';
import { BareHeap } from './bare-heap.ts';
import { median, type Benchmark, type BenchOptions, type BenchResult, type BenchRow } from './registry.ts';

const LOGICAL_PROCESSES = 1000;
/** One PHOLD time unit in kernel microseconds. */
const UNIT_US = 1_000_000;
const LOOKAHEAD_US = 0.1 * UNIT_US;
const EVENTS = 2_000_000;
const WARMUP_EVENTS = 300_000;
const SEED = 'phold';
/**
 * The kernel's target against the bare heap's events/s: what handles, cancellation and handler
 * dispatch may cost on top of the ordering work both do.
 */
const MIN_RATIO = 0.8;

interface Outcome {
  events: number;
  seconds: number;
  /** Final clock and an order-sensitive digest of the visited processes, to compare trajectories. */
  endTime: number;
  digest: number;
}

function delay(rng: Rng): number {
  return LOOKAHEAD_US + Math.round(-UNIT_US * Math.log(1 - rng.next()));
}

function target(rng: Rng): number {
  return Math.floor(rng.next() * LOGICAL_PROCESSES);
}

export function pholdKernel(perLp: number, events: number): Outcome {
  const rng = new RandomStreams(SEED, 0).stream('phold');
  const sim = new Simulator();
  let digest = 0;
  // One handler for every event; the payload is the receiving process (a small integer), so
  // the steady state allocates nothing.
  const onEvent = (lp: number): void => {
    digest = (digest * 31 + lp) | 0;
    sim.schedule(delay(rng), onEvent, target(rng));
  };
  for (let lp = 0; lp < LOGICAL_PROCESSES; lp++) {
    for (let k = 0; k < perLp; k++) sim.schedule(delay(rng), onEvent, lp);
  }
  const start = performance.now();
  sim.run({ maxEvents: events });
  const seconds = (performance.now() - start) / 1000;
  return { events: sim.eventsRun, seconds, endTime: sim.now, digest };
}

export function pholdBare(perLp: number, events: number): Outcome {
  const rng = new RandomStreams(SEED, 0).stream('phold');
  const heap = new BareHeap(1024);
  let digest = 0;
  for (let lp = 0; lp < LOGICAL_PROCESSES; lp++) {
    for (let k = 0; k < perLp; k++) heap.push(delay(rng), lp);
  }
  const start = performance.now();
  let now = 0;
  let n = 0;
  while (n < events && heap.size > 0) {
    now = heap.topTime();
    const lp = heap.pop();
    n++;
    digest = (digest * 31 + lp) | 0;
    heap.push(now + delay(rng), target(rng));
  }
  const seconds = (performance.now() - start) / 1000;
  return { events: n, seconds, endTime: now, digest };
}

function measure(perLp: number, options: BenchOptions): { row: BenchRow; same: boolean; ratio: number } {
  pholdKernel(perLp, WARMUP_EVENTS);
  pholdBare(perLp, WARMUP_EVENTS);
  const kernelRates: number[] = [];
  const bareRates: number[] = [];
  const ratios: number[] = [];
  let same = true;
  for (let i = 0; i < options.repeats; i++) {
    // Alternate the two so drift in machine load hits both alike.
    const k = pholdKernel(perLp, EVENTS);
    const b = pholdBare(perLp, EVENTS);
    same &&= k.events === b.events && k.endTime === b.endTime && k.digest === b.digest;
    kernelRates.push(k.events / k.seconds);
    bareRates.push(b.events / b.seconds);
    ratios.push(k.events / k.seconds / (b.events / b.seconds));
    options.log(
      `phold ${perLp}/LP run ${i + 1}: kernel ${fmt(kernelRates.at(-1))} ev/s, bare ${fmt(bareRates.at(-1))} ev/s`,
    );
  }
  const kernel = median(kernelRates);
  const bare = median(bareRates);
  const ratio = kernel / bare;
  return {
    row: {
      case: `${perLp} event${perLp === 1 ? '' : 's'}/LP`,
      figures: {
        events: EVENTS,
        kernelEventsPerSec: Math.round(kernel),
        bareEventsPerSec: Math.round(bare),
        ratio: Math.round(ratio * 1000) / 1000,
        ratioMin: Math.round(Math.min(...ratios) * 1000) / 1000,
        ratioMax: Math.round(Math.max(...ratios) * 1000) / 1000,
      },
    },
    same,
    ratio,
  };
}

const fmt = (x: number | undefined): string => ((x ?? 0) / 1e6).toFixed(2) + 'M';

export const phold: Benchmark = {
  name: 'phold',
  description: `PHOLD, ${LOGICAL_PROCESSES} LPs, ${EVENTS / 1e6}M events: kernel vs bare typed-array heap (median of repeats)`,
  run(options: BenchOptions): BenchResult {
    const runs = [1, 10].map((perLp) => measure(perLp, options));
    return {
      name: this.name,
      description: this.description,
      rows: runs.map((r) => r.row),
      checks: [
        {
          requirement: 'kernel and bare heap follow the same trajectory (same events, end time, digest)',
          pass: runs.every((r) => r.same),
        },
        {
          requirement: `kernel reaches at least ${MIN_RATIO} of the bare heap's events/s (${runs.map((r) => `${r.row.case} ${r.ratio.toFixed(2)}`).join(', ')})`,
          pass: runs.every((r) => r.ratio >= MIN_RATIO),
        },
      ],
    };
  },
};
