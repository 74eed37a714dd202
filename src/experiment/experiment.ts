import type { ModelConfig } from '../mc/config.ts';
import type { McMessage } from '../mc/protocol/messages.ts';
import type { SendRecord } from '../net/index.ts';
import type { LoadedScenario } from '../scenario/load.ts';
import { assemble, emptyGrid, type Grid } from './assemble.ts';
import { makePlan, tasksOf, type Plan, type PlanOptions, type Task } from './plan.ts';
import {
  runReplication,
  runReplicationAsync,
  type CutReason,
  type ReplicationData,
  type ReplicationOptions,
} from './replication.ts';
import type { RunResult } from './result.ts';

export { DEFAULT_MAX_EVENTS, selectVariants, UnknownVariantError } from './plan.ts';

export interface ExperimentOptions extends PlanOptions {
  /** Trace of replication `traceRun` (default 0) of every variant. */
  trace?: (variant: string, rec: SendRecord<McMessage>, point: number | undefined) => void;
  traceRun?: number;
  onProgress?: (done: number, total: number) => void;
}

export const isTraced = (opts: ExperimentOptions, t: Task): boolean =>
  opts.trace !== undefined && t.r === (opts.traceRun ?? 0);

/** The replication options of task `t`: the plan's limits, its trace if traced, the stop check. */
function replicationOptions(
  plan: Plan,
  t: Task,
  opts: ExperimentOptions & { shouldCut?: () => CutReason | undefined },
): { config: ModelConfig; options: ReplicationOptions } {
  const v = plan.variants[t.g]?.[t.v];
  if (v === undefined) throw new Error(`no variant ${t.v} at point ${t.g}`);
  const trace = isTraced(opts, t) ? opts.trace : undefined;
  const point = plan.spec.sweep ? t.g : undefined;
  return {
    config: v.model,
    options: {
      maxEvents: plan.maxEvents,
      checkInvariants: plan.checkInvariants,
      ...(plan.until === undefined ? {} : { until: plan.until }),
      ...(trace === undefined ? {} : { trace: (rec: SendRecord<McMessage>) => trace(v.name, rec, point) }),
      ...(opts.shouldCut === undefined ? {} : { shouldCut: opts.shouldCut }),
    },
  };
}

/** Runs one task of a plan in this thread: a pure function of the plan and (point, variant, replication). */
export function runTask(plan: Plan, t: Task, opts: ExperimentOptions = {}): ReplicationData {
  const { config, options } = replicationOptions(plan, t, opts);
  return runReplication(config, plan.spec.seed, t.r, options);
}

/** As runTask, awaiting `pause` between the replication's steps (replication.ts). */
export function runTaskAsync(
  plan: Plan,
  t: Task,
  opts: ExperimentOptions & { shouldCut?: () => CutReason | undefined },
  pause: () => Promise<void>,
): Promise<ReplicationData> {
  const { config, options } = replicationOptions(plan, t, opts);
  return runReplicationAsync(config, plan.spec.seed, t.r, options, pause);
}

export function store(grid: Grid, t: Task, data: ReplicationData): void {
  const row = grid[t.g]?.[t.v];
  if (row === undefined) throw new Error(`no variant ${t.v} at point ${t.g}`);
  row[t.r] = data;
}

/**
 * Runs every selected variant for the same replications (common random numbers), serially in this
 * thread, and summarizes. With a sweep, every point is run that way and reported in `points`; the
 * top-level variant and comparison lists then stay empty, since no single point is "the" scenario.
 * `runExperimentAsync` (parallel.ts) gives the same result with workers, shards and guards.
 */
export function runExperiment(loaded: LoadedScenario, opts: ExperimentOptions = {}): RunResult {
  const plan = makePlan(loaded, opts);
  const grid = emptyGrid(plan.spec);
  const tasks = tasksOf(plan);
  tasks.forEach((t, i) => {
    store(grid, t, runTask(plan, t, opts));
    opts.onProgress?.(i + 1, tasks.length);
  });
  return assemble(plan.spec, grid);
}
