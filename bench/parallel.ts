/**
 * `parallel`: issue 8's must-show "with 2 workers on 2 cores, 1000 replications run at least 1.7x
 * faster than serial, results byte-identical". It runs the real CLI twice, `--workers 1` and
 * `--workers 2`, on 1000 replications of the load scenario cut to an 8 s burst (some 30 ms of work
 * each, so the figure is about replications, not start-up), and compares wall times and stdout.
 * Worker start-up (tsx and the model in each thread) is inside the timing, as a user sees it.
 */
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { Benchmark, BenchResult } from './registry.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RUNS = 1000;
const MIN_SPEEDUP = 1.7;
const ARGS = [
  'bin/mcsim.js', 'run', 'scenarios/load-private-calls.yaml', '--json', '--runs', String(RUNS), '--variant', 'kms-lookup',
  '--set', 'timeline[0].privateCallLoad.duration=8s', '--set', 'experiment.until=20s',
];

function timed(workers: number, log: (line: string) => void): { seconds: number; stdout: string } {
  log(`parallel: ${RUNS} replications, --workers ${workers} ...`);
  const start = performance.now();
  const r = spawnSync(process.execPath, [...ARGS, '--workers', String(workers)], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 24 });
  const seconds = (performance.now() - start) / 1000;
  if (r.status !== 0) throw new Error(`mcsim --workers ${workers} failed (${String(r.status)}): ${r.stderr}`);
  return { seconds, stdout: r.stdout };
}

export const parallel: Benchmark = {
  name: 'parallel',
  description: `${RUNS} replications of an 8 s burst of scenarios/load-private-calls.yaml through the CLI, serial against 2 worker threads`,
  run({ log }): BenchResult {
    const serial = timed(1, log);
    const two = timed(2, log);
    const speedup = serial.seconds / two.seconds;
    const identical = serial.stdout === two.stdout;
    const round = (x: number): number => Math.round(x * 100) / 100;
    return {
      name: 'parallel',
      description: this.description,
      rows: [
        { case: '--workers 1', figures: { wall_s: round(serial.seconds), replications_per_s: round(RUNS / serial.seconds) } },
        { case: '--workers 2', figures: { wall_s: round(two.seconds), replications_per_s: round(RUNS / two.seconds), speedup: round(speedup), cores: availableParallelism() } },
      ],
      checks: [
        { requirement: `2 workers at least ${MIN_SPEEDUP}x faster than serial on ${RUNS} replications (${round(speedup)}x, ${availableParallelism()} cores)`, pass: speedup >= MIN_SPEEDUP },
        { requirement: 'results byte-identical to the serial run', pass: identical },
      ],
    };
  },
};
