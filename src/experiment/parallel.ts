import type { LoadedScenario } from '../scenario/load.ts';
import { emptyGrid, type Grid } from './assemble.ts';
import { isTraced, runTaskAsync, store, type ExperimentOptions } from './experiment.ts';
import { watchHeap } from './heap.ts';
import { makePlan, tasksOf, type Plan, type Shard, type Task } from './plan.ts';
import { abortReason, runPool } from './pool.ts';
import type { Census, CutReason, ReplicationData } from './replication.ts';

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
  /** Abort (e.g. on SIGINT) to stop with what the run has; the abort's reason is the CutReason to report. */
  signal?: AbortSignal;
  /** Estimated serial ms of work left above which workers start; PARALLEL_THRESHOLD_MS by default. */
  parallelThresholdMs?: number;
  /**
   * Watch every thread's heap and stop the run, keeping what it has, when live data passes this
   * many bytes (or the guard's share of the thread's heap limit, if lower; see heap.ts). Off when absent.
   */
  maxMemory?: number;
}

/** What the memory guard saw when it stopped the run. */
export interface MemoryStop {
  task: Task;
  census: Census;
}

export interface ExperimentRun {
  plan: Plan;
  shard: Shard | undefined;
  tasks: Task[];
  grid: Grid;
  /** Why the run stopped before its end, if it did (a replication's event ceiling does not stop the run). */
  stopped: CutReason | undefined;
  /** Replications that hit the event ceiling (kept, flagged incomplete). */
  capped: number;
  /** Replications cut by the stop, kept with the data they had. */
  cut: number;
  /** Of a run the memory guard stopped, where and what the replication held. */
  memory: MemoryStop | undefined;
  /** Worker threads used (0: all in this thread). */
  workers: number;
}

const yieldTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Runs the tasks of a plan (or of one shard) and collects per-replication data in a grid;
 * `assemble` turns it into the result, so it is byte-identical however the work was spread.
 * Traced replications run in this thread first (the trace is written here, in serial order);
 * then replications run here until the time they take shows the rest is worth workers.
 * Replications in this thread run in steps with a turn of the event loop between them, so a
 * signal handler can abort the signal at any time, and a stop cuts the replication running.
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
  const heap = opts.maxMemory === undefined ? undefined : watchHeap(opts.maxMemory);
  const halted = (): CutReason | undefined =>
    opts.signal?.aborted ? abortReason(opts.signal) : expired() ? 'max-wall' : heap?.exceeded() ? 'memory' : undefined;
  const run: ExperimentRun = {
    plan,
    shard: opts.shard,
    tasks,
    grid,
    stopped: undefined,
    capped: 0,
    cut: 0,
    memory: undefined,
    workers: 0,
  };
  let done = 0;
  const record = (t: Task, data: ReplicationData): void => {
    // Cut before its first event (while its model was being built): nothing measured, no replication.
    if (data.cut !== undefined && data.counters.events === 0 && data.cut !== 'max-events') return;
    store(grid, t, data);
    if (data.cut === 'max-events') run.capped++;
    else if (data.cut !== undefined) run.cut++;
    if (data.census !== undefined) run.memory ??= { task: t, census: data.census };
    opts.onProgress?.(++done, tasks.length);
  };
  /** Runs `t` here; the reason it was cut for, when a stop cut it. */
  const local = async (t: Task): Promise<CutReason | undefined> => {
    const data = await runTaskAsync(plan, t, { ...opts, shouldCut: halted }, yieldTurn);
    record(t, data);
    return data.cut === 'max-events' ? undefined : data.cut;
  };
  try {
    const rest: Task[] = [];
    for (const t of tasks) {
      if (!isTraced(opts, t)) {
        rest.push(t);
        continue;
      }
      if ((run.stopped = halted() ?? (await local(t))) !== undefined) return run;
      await yieldTurn();
    }
    const workers = Math.max(1, Math.floor(opts.workers ?? 1));
    const threshold = opts.parallelThresholdMs ?? PARALLEL_THRESHOLD_MS;
    const started = now?.() ?? 0;
    let i = 0;
    while (i < rest.length) {
      if (workers > 1 && rest.length - i >= 2) {
        const spent = (now?.() ?? 0) - started;
        const estimate =
          i === 0 ? (threshold <= 0 || now === undefined ? Infinity : 0) : (spent / i) * (rest.length - i);
        if (estimate > threshold) break;
      }
      if ((run.stopped = halted() ?? (await local(rest[i++] as Task))) !== undefined) return run;
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
      maxMemory: opts.maxMemory,
    });
    run.stopped = end === 'done' ? undefined : end;
    return run;
  } finally {
    heap?.dispose();
  }
}
