/**
 * `soak`: does a long replication's memory stay flat? 100,000 users in two systems make Poisson
 * private calls for an hour of simulated time with exponential holding times of mean 90 s, so
 * calls held settle at rate x 90 s (Little's law) within a few minutes and then stay there. From
 * then on, nothing should grow but the latency samples the metrics keep (8 bytes per call): a
 * finished call or message that stays reachable is a leak. The child, started with
 * --expose-gc, runs the replication in stretches of simulated time and, after a full collection,
 * reads the heap at 10, 20, ... 60 minutes.
 *
 * Target: the heap at 60 simulated minutes within 10% of that at 30. `npm run bench -- soak`
 * runs it alone (some 1-2 minutes on the shared 2-core VM); `.ci/run` runs it too.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { loadModel } from './model-entry.ts';
import type { Benchmark, BenchResult } from './registry.ts';

const USERS = 100_000;
/** Call attempts per second: 9,000 calls held on average. */
const RATE = 100;
const HOLD = '90s';
const MINUTES = 60;
const READ_EVERY_MIN = 10;
const MAX_GROWTH = 0.1;
const CHILD_FLAG = '--soak-child';

function soakScenario(): unknown {
  return {
    name: 'soak',
    topology: {
      defaults: { processing: { server: { default: { uniform: ['1ms', '2ms'] }, workers: 16 } } },
      systems: { A: { hiding: true }, B: { hiding: true } },
      interconnects: [{ between: ['A', 'B'] }],
    },
    population: {
      generate: [
        { prefix: 'a', count: USERS / 2, primary: 'A', migrated: { share: 0.1, to: 'B' } },
        { prefix: 'b', count: USERS / 2, primary: 'B' },
      ],
    },
    timeline: [
      {
        at: '0s',
        privateCallLoad: { rate: `${RATE}/s`, duration: `${MINUTES}min`, hangUpAfter: { exponential: HOLD } },
      },
    ],
    experiment: { runs: 1, seed: 1, until: `${MINUTES}min` },
  };
}

interface Reading {
  minute: number;
  heapMb: number;
  heldCalls: number;
  pendingEvents: number;
  samples: number;
}

/** In the child: build, run in stretches of READ_EVERY_MIN, and after a full collection read the heap. */
async function child(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('the soak child needs --expose-gc');
  const { McModel, buildModelConfig, validate } = await loadModel();
  const config = buildModelConfig(validate('soak', soakScenario()));
  const samples: number[] = [];
  const model = new McModel(config, {
    seed: 1,
    replication: 0,
    onSample: (_metric, latency, outcome) => {
      if (outcome === 'success') samples.push(latency);
    },
  });
  for (let minute = READ_EVERY_MIN; minute <= MINUTES; minute += READ_EVERY_MIN) {
    model.sim.run({ until: minute * 60e6 });
    gc();
    gc();
    const reading: Reading = {
      minute,
      heapMb: process.memoryUsage().heapUsed / 2 ** 20,
      heldCalls: model.heldCalls(),
      pendingEvents: model.sim.pending,
      samples: samples.length,
    };
    process.stdout.write(`${JSON.stringify(reading)}\n`);
  }
}

function runChild(log: (line: string) => void): Promise<{ readings: Reading[]; wallSeconds: number }> {
  const started = performance.now();
  const proc = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', fileURLToPath(import.meta.url), CHILD_FLAG], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const readings: Reading[] = [];
  let buffer = '';
  proc.stdout.on('data', (d: Buffer) => {
    buffer += d.toString();
    for (let i = buffer.indexOf('\n'); i >= 0; i = buffer.indexOf('\n')) {
      const r = JSON.parse(buffer.slice(0, i)) as Reading;
      buffer = buffer.slice(i + 1);
      readings.push(r);
      log(
        `soak: ${r.minute} min simulated: heap ${r.heapMb.toFixed(1)} MiB, ${r.heldCalls} calls held, ${r.samples} samples`,
      );
    }
  });
  return new Promise((resolve, reject) =>
    proc.on('exit', (code) =>
      code === 0
        ? resolve({ readings, wallSeconds: (performance.now() - started) / 1000 })
        : reject(new Error(`soak child exited with ${code}`)),
    ),
  );
}

export const soak: Benchmark = {
  name: 'soak',
  description: `${USERS.toLocaleString('en-US')} users, Poisson private calls at ${RATE}/s held exponential(${HOLD}) for ${MINUTES} simulated minutes: the heap after a full collection every ${READ_EVERY_MIN} minutes`,
  async run({ log }): Promise<BenchResult> {
    const { readings, wallSeconds } = await runChild(log);
    const at = (minute: number): Reading => {
      const r = readings.find((x) => x.minute === minute);
      if (r === undefined) throw new Error(`soak: no reading at ${minute} min`);
      return r;
    };
    const half = at(MINUTES / 2);
    const end = at(MINUTES);
    const growth = end.heapMb / half.heapMb - 1;
    return {
      name: 'soak',
      description: this.description,
      rows: readings.map((r) => ({
        case: `${r.minute} min`,
        figures: {
          heap_mb: round(r.heapMb),
          held_calls: r.heldCalls,
          pending_events: r.pendingEvents,
          samples: r.samples,
        },
      })),
      checks: [
        {
          requirement: `heap at ${MINUTES} min within ${MAX_GROWTH * 100}% of ${MINUTES / 2} min (${round(half.heapMb)} -> ${round(end.heapMb)} MiB, ${growth >= 0 ? '+' : ''}${round(growth * 100)}%; ${round(wallSeconds)} s wall)`,
          pass: Math.abs(growth) <= MAX_GROWTH,
        },
      ],
    };
  },
};

const round = (x: number): number => Math.round(x * 10) / 10;

if (process.argv[2] === CHILD_FLAG && process.argv[1] === fileURLToPath(import.meta.url)) await child();
