import type { LoadedScenario } from '../scenario/load.ts';
import { emptyGrid, type Grid } from './assemble.ts';
import { isTraced, runTask, store, type ExperimentOptions } from './experiment.ts';
import { makePlan, tasksOf, type Plan, type Shard, type Task } from './plan.ts';
import { runPool } from './pool.ts';
import type { ReplicationData } from './replication.ts';

/**
 * Below this estimated serial time (ms) of the work left, a run stays in this thread: starting
 * worker threads (bundling their code, starting them, their first replication compiling it)
 * costs some 0.3 s, which a run shorter than about three times that would not win back.
 */
export const PARALLEL_THRESHOLD_MS = 1000;

export interface RunControl {
  /** Worker threads; 1 runs everything in this thread. */
  workers?: number;
  /** Run only this shard's slice of (point, replication) units. */
  shard?: Shard;
  /** A wall clock in ms (the library reads none itself); needed by maxWallMs and the threshold. */
  now?: () => number;
  /** Budget for the whole run; when spent, the run stops with what it has. */
  maxWallMs?: number;
  /** Abort (e.g. on SIGINT) to stop with what the run has. */
  signal?: AbortSignal;
  /** Estimated serial ms of work left above which workers start; PARALLEL_THRESHOLD_MS by default. */
  parallelThresholdMs?: number;
}

export type Stopped = 'interrupted' | 'maxWall';

export interface ExperimentRun {
  plan: Plan;
  shard: Shard | undefined;
  tasks: Task[];
  grid: Grid;
  /** Why the run stopped before its last task, if it did. */
  stopped: Stopped | undefined;
  /** Replications that hit the event ceiling (kept, flagged incomplete). */
  capped: number;
  /** Worker threads used (0: all in this thread). */
  workers: number;
}

const yieldTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Runs the tasks of a plan (or of one shard) and collects per-replication data in a grid;
 * `assemble` turns it into the result, so it is byte-identical however the work was spread.
 * Traced replications run in this thread first (the trace is written here, in serial order);
 * then replications run here until the time they take shows the rest is worth workers.
 * Between replications this thread yields, so a SIGINT handler gets to abort the signal.
 */
export async function runExperimentAsync(
  loaded: LoadedScenario,
  opts: ExperimentOptions & RunControl = {},
): Promise<ExperimentRun> {
  const plan = makePlan(loaded, opts);
  const tasks = tasksOf(plan, opts.shard);
  const grid = emptyGrid(plan.spec);
  const now = opts.now;
  const deadline = opts.maxWallMs !== undefined && now !== undefined ? now() + opts.maxWallMs : undefined;
  const expired = deadline === undefined || now === undefined ? () => false : () => now() >= deadline;
  const halted = (): Stopped | undefined => (opts.signal?.aborted ? 'interrupted' : expired() ? 'maxWall' : undefined);
  const run: ExperimentRun = { plan, shard: opts.shard, tasks, grid, stopped: undefined, capped: 0, workers: 0 };
  let done = 0;
  const record = (t: Task, data: ReplicationData): void => {
    if (data.stop === 'stopped') return; // cut by the wall-clock budget: not a replication
    store(grid, t, data);
    if (!data.complete) run.capped++;
    opts.onProgress?.(++done, tasks.length);
  };
  const local = (t: Task): void =>
    record(t, runTask(plan, t, { ...opts, ...(deadline === undefined ? {} : { shouldStop: expired }) }));

  const rest: Task[] = [];
  for (const t of tasks) {
    if (!isTraced(opts, t)) {
      rest.push(t);
      continue;
    }
    if ((run.stopped = halted()) !== undefined) return run;
    local(t);
    await yieldTurn();
  }
  const workers = Math.max(1, Math.floor(opts.workers ?? 1));
  const threshold = opts.parallelThresholdMs ?? PARALLEL_THRESHOLD_MS;
  const started = now?.() ?? 0;
  let i = 0;
  while (i < rest.length) {
    if (workers > 1 && rest.length - i >= 2) {
      const spent = (now?.() ?? 0) - started;
      const estimate = i === 0 ? (threshold <= 0 || now === undefined ? Infinity : 0) : (spent / i) * (rest.length - i);
      if (estimate > threshold) break;
    }
    if ((run.stopped = halted()) !== undefined) return run;
    local(rest[i++] as Task);
    await yieldTurn();
  }
  if (i >= rest.length) return run;
  if ((run.stopped = halted()) !== undefined) return run;
  const left = rest.slice(i);
  run.workers = Math.min(workers, left.length);
  const end = await runPool(plan, left, {
    workers,
    onResult: record,
    signal: opts.signal,
    wallMs: deadline === undefined || now === undefined ? undefined : deadline - now(),
  });
  run.stopped = end === 'done' ? undefined : end;
  return run;
}
