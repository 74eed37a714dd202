/**
 * `scale`: wall time and peak memory of one replication as the population and the work grow
 * together: 1k users / 10k calls, 10k / 100k, 100k / 1,000,000, at the same Poisson call rate
 * (so queues and concurrency stay alike and only the length of the run grows). Cost per call
 * must stay flat.
 *
 * Every size does the same work, 1,000,000 calls: 100 replications of 10,000 calls, 10 of
 * 100,000, one of 1,000,000, each size in a child process of its own (its peak RSS its own), after
 * an untimed warm-up replication (no size's figure is mostly the compiler's). A shared machine's
 * speed wanders by 20-40% over minutes with other tenants' load, so sizes run one after the other
 * would meet different machines and the verdict would follow the machine, not the code. A round
 * therefore runs the sizes in turns of a second (interleave.ts), the turn going to the size
 * furthest behind in calls: every stretch of the machine's speed is shared among the sizes, and
 * the ratio is taken within a round; the median over rounds counts.
 *
 * Targets: 100,000 users across three systems and 1,000,000 call setups under Poisson load
 * complete within 2 GiB, and wall time per call at 1,000,000 calls is within 1.3x of that at
 * 10,000. `npm run bench -- scale` runs it alone (some two minutes a round, the three sizes'
 * work together).
 *
 * The child reaches the model through model-entry.ts, so that compare.ts can run this file in a
 * checkout of another commit whose modules lie elsewhere.
 */
import { readSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { interleave, type ChildSpec } from './interleave.ts';
import { loadModel } from './model-entry.ts';
import { median, type Benchmark, type BenchResult, type BenchRow } from './registry.ts';

export const SCALE_SIZES = [
  { users: 1_000, calls: 10_000 },
  { users: 10_000, calls: 100_000 },
  { users: 100_000, calls: 1_000_000 },
] as const;
/** Call attempts per second: about 1,000 calls in progress with 5 s holding times. */
const RATE = 200;
const HOLD = '5s';
const MEMORY_LIMIT_MB = 2048;
const MAX_PER_CALL_RATIO = 1.3;
const CHILD_FLAG = '--scale-child';
/** Rounds at least and at most: a round is some two minutes, the three sizes' work run in turns. */
const ROUNDS_MIN = 2;
const ROUNDS_MAX = 3;
/** Calls each size makes in one round, over as many replications as that takes. */
const WORK = 1_000_000;

/** Where a replication of `scaleScenario(_, calls)` stops: two minutes after its last call starts, in microseconds. */
export const scaleUntil = (calls: number): number => (calls / RATE + 120) * 1e6;

/** Three systems with hiding, a tenth of A's users migrated to B, private calls between random pairs. */
export function scaleScenario(users: number, calls: number): unknown {
  const third = Math.floor(users / 3);
  const duration = calls / RATE;
  return {
    name: `scale-${users}`,
    topology: {
      defaults: { processing: { server: { default: { uniform: ['1ms', '2ms'] }, workers: 16 } } },
      systems: { A: { hiding: true }, B: { hiding: true }, C: { hiding: true } },
      interconnects: [{ between: ['A', 'B'] }, { between: ['A', 'C'] }, { between: ['B', 'C'] }],
    },
    population: {
      generate: [
        { prefix: 'a', count: users - 2 * third, primary: 'A', migrated: { share: 0.1, to: 'B' } },
        { prefix: 'b', count: third, primary: 'B' },
        { prefix: 'c', count: third, primary: 'C' },
      ],
    },
    timeline: [{ at: '0s', privateCallLoad: { rate: `${RATE}/s`, duration: `${duration}s`, hangUpAfter: HOLD } }],
    experiment: { runs: 1, seed: 1, until: `${duration + 120}s` },
  };
}

interface ChildReport {
  users: number;
  replications: number;
  /** Call attempts over all replications. */
  calls: number;
  setups: number;
  events: number;
  /** User + system CPU of the child: on a shared machine, the figure that other load does not inflate. */
  cpuSeconds: number;
  peakRssMb: number;
}

/** A round's figures of one size: the child's report and its wall time (interleave.ts). */
interface SizeRun extends ChildReport {
  wallSeconds: number;
  turns: number;
}

/** Untimed, before every size: so that no size's figure includes compiling the model's code. */
const WARMUP = { users: 1_000, calls: 5_000 } as const;
/** Simulated time between two progress lines (a thousand calls, some 30 ms of work). */
const PROGRESS_EVERY = 5e6;
const SETUP = 'private_call.setup';

/**
 * In the child: warm up, say `ready`, wait for the parent's go, then run replications 0, 1, ...
 * of the scenario (built in code) until they made WORK calls, writing the calls made so far as
 * progress. A replication is what runReplication runs (build the model, run it to `until`,
 * keep the set-up latencies), its run cut into stretches of simulated time so that progress
 * shows within a replication of a million calls; stopping at a time and going on runs the
 * same events in the same order.
 */
async function child(users: number, calls: number): Promise<void> {
  const { runReplication, McModel, buildModelConfig, validate } = await loadModel();
  const warm = buildModelConfig(validate('scale-warm-up', scaleScenario(WARMUP.users, WARMUP.calls)));
  runReplication(warm, 1, 1, { until: scaleUntil(WARMUP.calls) });
  const scenario = validate(`scale-${users}`, scaleScenario(users, calls));
  process.stdout.write('ready\n');
  readSync(0, Buffer.alloc(16));
  const cpu = process.cpuUsage();
  const report: ChildReport = { users, replications: 0, calls: 0, setups: 0, events: 0, cpuSeconds: 0, peakRssMb: 0 };
  let latencies: number[] = [];
  const onSample = (metric: string, latency: number, outcome: string): void => {
    if (metric !== SETUP) return;
    report.calls++;
    if (outcome !== 'success') return;
    report.setups++;
    latencies.push(latency);
  };
  const until = scaleUntil(calls);
  while (report.calls < WORK * 0.99) {
    latencies = [];
    const model = new McModel(buildModelConfig(scenario), {
      seed: 1,
      replication: report.replications,
      until,
      onSample,
    });
    for (let t = PROGRESS_EVERY; ; t += PROGRESS_EVERY) {
      const stop = model.sim.run({ until: Math.min(t, until) });
      process.stdout.write(`progress ${report.calls}\n`);
      if (t >= until || stop === 'empty') break;
    }
    report.replications++;
    report.events += model.sim.eventsRun;
  }
  const used = process.cpuUsage(cpu);
  report.cpuSeconds = (used.user + used.system) / 1e6;
  report.peakRssMb = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(JSON.stringify(report) + '\n');
}

/**
 * The command of the child for `users` (one of SCALE_SIZES), run from the copy of this file at
 * `script` in the tree `cwd` (whose tsconfig.json tsx then follows).
 */
export function scaleChild(script: string, users: number, cwd?: string): ChildSpec {
  const size = SCALE_SIZES.find((s) => s.users === users);
  if (size === undefined) throw new Error(`no scale size of ${users} users`);
  return {
    label: `scale child for ${users} users`,
    cwd,
    args: ['--import', 'tsx', script, CHILD_FLAG, String(users), String(size.calls)],
  };
}

/** One round: every size in a child process of its own, the children run in turns (interleave.ts). */
async function runRound(round: number, log: (line: string) => void): Promise<SizeRun[]> {
  log(
    `scale: round ${round + 1}, ${SCALE_SIZES.map((s) => `${s.users.toLocaleString('en-US')} users / ${s.calls.toLocaleString('en-US')} calls`).join(', ')} ...`,
  );
  const specs = SCALE_SIZES.map((s) => scaleChild(fileURLToPath(import.meta.url), s.users));
  const finished = await interleave<ChildReport>(specs, log);
  return finished.map((f) => ({ ...f.report, wallSeconds: f.wallSeconds, turns: f.turns }));
}

const perCall = (r: SizeRun): number => (r.wallSeconds * 1e6) / r.calls;

export const scale: Benchmark = {
  name: 'scale',
  description: `every size makes ${WORK.toLocaleString('en-US')} calls per round (100 replications of 10k calls, 10 of 100k, one of 1M) in a process of its own after an untimed warm-up, the sizes running in turns of a second; 3 systems, Poisson private calls at 200/s: wall time and peak RSS as users and calls grow`,
  async run({ log, repeats }): Promise<BenchResult> {
    // Each round's sizes ran in turns, through the same stretches of the machine's speed: the
    // ratio is taken within a round, and the median over rounds counts.
    const rounds = Math.min(Math.max(repeats, ROUNDS_MIN), ROUNDS_MAX);
    const byRound: SizeRun[][] = [];
    for (let r = 0; r < rounds; r++) byRound.push(await runRound(r, log));
    const bySize = SCALE_SIZES.map((_, i) => byRound.map((runs) => runs[i] as SizeRun));
    const ratios = byRound.map((runs) => perCall(runs[runs.length - 1] as SizeRun) / perCall(runs[0] as SizeRun));
    const rows: BenchRow[] = bySize.map((runs) => {
      const first = runs[0] as SizeRun;
      return {
        case: `${first.users.toLocaleString('en-US')} users`,
        figures: {
          rounds: runs.length,
          replications: first.replications,
          calls: first.calls,
          setups: first.setups,
          events: first.events,
          turns: Math.round(median(runs.map((x) => x.turns))),
          wall_s: round(median(runs.map((x) => x.wallSeconds)), 2),
          us_per_call: round(median(runs.map(perCall)), 1),
          fastest_us_per_call: round(Math.min(...runs.map(perCall)), 1),
          x_of_1k_users: round(median(runs.map((x, k) => perCall(x) / perCall(bySize[0]?.[k] as SizeRun))), 2),
          cpu_us_per_call: round(median(runs.map((x) => (x.cpuSeconds * 1e6) / x.calls)), 1),
          events_per_call: round(first.events / first.calls, 1),
          peak_rss_mb: Math.round(Math.max(...runs.map((x) => x.peakRssMb))),
        },
      };
    });
    const large = bySize[bySize.length - 1] as SizeRun[];
    const largePeak = Math.max(...large.map((x) => x.peakRssMb));
    const ratio = median(ratios);
    return {
      name: 'scale',
      description: this.description,
      rows,
      checks: [
        {
          requirement: `100,000 users, 1,000,000 calls within ${MEMORY_LIMIT_MB} MiB peak RSS (${Math.round(largePeak)} MiB)`,
          pass: largePeak <= MEMORY_LIMIT_MB && large.every((x) => x.calls >= 990_000),
        },
        {
          requirement: `wall time per call at 1,000,000 calls within ${MAX_PER_CALL_RATIO}x of 10,000 calls (${round(ratio, 2)}x, median of rounds: ${ratios.map((x) => `${round(x, 2)}x`).join(', ')})`,
          pass: ratio <= MAX_PER_CALL_RATIO,
        },
      ],
    };
  },
};

const round = (x: number, digits: number): number => Math.round(x * 10 ** digits) / 10 ** digits;

if (process.argv[2] === CHILD_FLAG && process.argv[1] === fileURLToPath(import.meta.url))
  await child(Number(process.argv[3]), Number(process.argv[4]));
