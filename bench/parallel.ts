/**
 * `parallel`: with 2 workers on 2 cores, 1000 replications must run at least 1.7x faster than
 * serial, with byte-identical results. It runs the real CLI twice, `--workers 1` and
 * `--workers 2`, on 1000 replications of the load scenario cut to an 8 s burst (some 30 ms of work
 * each, so the figure is about replications, not start-up), and compares wall times and stdout.
 * Worker start-up (each thread loads the model) is inside the timing, as a user sees it.
 *
 * Rounds alternate serial and parallel runs and the fastest of each counts (as timeit takes the
 * minimum): other tenants' load on a shared machine only ever slows a run down, and it hurts
 * the 2-worker run, which needs both cores, more than the serial one. Every run's stdout must be
 * the same.
 */
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { median, type Benchmark, type BenchResult } from './registry.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RUNS = 1000;
const MIN_SPEEDUP = 1.7;
/** Rounds at least and at most: a round is some 30 s. */
const ROUNDS_MIN = 2;
const ROUNDS_MAX = 3;
const ARGS = [
  'bin/mcsim.js',
  'run',
  'scenarios/load-private-calls.yaml',
  '--json',
  '--runs',
  String(RUNS),
  '--variant',
  'kms-lookup',
  '--set',
  'timeline[0].privateCallLoad.duration=8s',
  '--set',
  'experiment.until=20s',
];

function timed(workers: number, log: (line: string) => void): { seconds: number; stdout: string } {
  log(`parallel: ${RUNS} replications, --workers ${workers} ...`);
  const start = performance.now();
  const r = spawnSync(process.execPath, [...ARGS, '--workers', String(workers)], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  const seconds = (performance.now() - start) / 1000;
  if (r.status !== 0) throw new Error(`mcsim --workers ${workers} failed (${String(r.status)}): ${r.stderr}`);
  return { seconds, stdout: r.stdout };
}

export const parallel: Benchmark = {
  name: 'parallel',
  description: `${RUNS} replications of an 8 s burst of scenarios/load-private-calls.yaml through the CLI, serial against 2 worker threads, alternating, fastest of each`,
  run({ log, repeats }): BenchResult {
    const rounds = Math.min(Math.max(repeats, ROUNDS_MIN), ROUNDS_MAX);
    const serials: number[] = [];
    const twos: number[] = [];
    const outputs = new Set<string>();
    for (let r = 0; r < rounds; r++) {
      for (const [workers, times] of [
        [1, serials],
        [2, twos],
      ] as const) {
        const run = timed(workers, log);
        times.push(run.seconds);
        outputs.add(run.stdout);
      }
    }
    const serial = Math.min(...serials);
    const two = Math.min(...twos);
    const speedup = serial / two;
    const identical = outputs.size === 1;
    const round = (x: number): number => Math.round(x * 100) / 100;
    return {
      name: 'parallel',
      description: this.description,
      rows: [
        {
          case: '--workers 1',
          figures: {
            rounds,
            wall_s: round(serial),
            median_wall_s: round(median(serials)),
            replications_per_s: round(RUNS / serial),
          },
        },
        {
          case: '--workers 2',
          figures: {
            rounds,
            wall_s: round(two),
            median_wall_s: round(median(twos)),
            replications_per_s: round(RUNS / two),
            speedup: round(speedup),
            median_speedup: round(median(serials) / median(twos)),
            cores: availableParallelism(),
          },
        },
      ],
      checks: [
        {
          requirement: `2 workers at least ${MIN_SPEEDUP}x faster than serial on ${RUNS} replications (${round(speedup)}x, ${availableParallelism()} cores)`,
          pass: speedup >= MIN_SPEEDUP,
        },
        { requirement: `results byte-identical to the serial run (${2 * rounds} runs)`, pass: identical },
      ],
    };
  },
};
