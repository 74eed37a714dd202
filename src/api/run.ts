import { assemble } from '../experiment/assemble.ts';
import type { ExperimentOptions } from '../experiment/experiment.ts';
import { runExperimentAsync, type ExperimentRun, type RunControl } from '../experiment/parallel.ts';
import type { Shard } from '../experiment/plan.ts';
import type { RunResult } from '../experiment/result.ts';
import { loadScenario, type LoadedScenario } from '../scenario/load.ts';

/** How to run a scenario: what `mcsim run` takes as options. */
export interface RunOptions {
  /** Replications per variant (and sweep point); the scenario's `experiment.runs` by default. */
  runs?: number;
  /** The run seed; the scenario's `experiment.seed` by default. */
  seed?: number | string;
  /** Only these variants, in this order; all by default. */
  variants?: readonly string[];
  /** Worker threads; the result is the same for any number. 1 (the default here) runs in this thread. */
  workers?: number;
  /** Run only this slice of the replications, for `mergePartials` (the CLI's `--shard i/n`). */
  shard?: Shard;
  /** Stop each replication after this many kernel events (its data then says `complete: false`). */
  maxEvents?: number;
  /** Check the model's invariants at the end of every replication. */
  checkInvariants?: boolean;
  /** Aborting it stops the run with the replications done so far (`complete: false`). */
  signal?: AbortSignal;
  /** Told after every replication. */
  onProgress?: (done: number, total: number) => void;
}

/** A scenario given as a file (loaded with `set` overrides), or already loaded. */
export type ScenarioInput = string | LoadedScenario;

const loaded = (s: ScenarioInput, set?: Record<string, unknown>): LoadedScenario =>
  typeof s === 'string' ? loadScenario(s, set ?? {}) : s;

/** The run behind the result, for callers that need more than the result (which tasks ran, why it stopped). */
export function startRun(
  scenario: LoadedScenario,
  opts: RunOptions & RunControl & Pick<ExperimentOptions, 'trace'> = {},
): Promise<ExperimentRun> {
  return runExperimentAsync(scenario, { workers: 1, ...opts });
}

/**
 * Runs every variant of a scenario (every sweep point too) for the same replications, and
 * returns the document `mcsim run --json` prints (docs/results.md). Deterministic: the same
 * scenario, seed and options give the same result, whatever `workers`.
 */
export async function runScenario(
  scenario: ScenarioInput,
  opts: RunOptions & { set?: Record<string, unknown> } = {},
): Promise<RunResult> {
  return resultOf(await startRun(loaded(scenario, opts.set), opts));
}

/** The result document of a finished (or stopped) run: what `mcsim run --json` prints. */
export const resultOf = (run: ExperimentRun): RunResult => assemble(run.plan.spec, run.grid, run.stopped);

/**
 * As runScenario, keeping only the paired comparisons of `metrics` (all when absent): what
 * `mcsim compare --json` prints. A scenario needs two variants or more.
 */
export async function compareVariants(
  scenario: ScenarioInput,
  opts: RunOptions & { set?: Record<string, unknown>; metrics?: readonly string[] } = {},
): Promise<RunResult> {
  const l = loaded(scenario, opts.set);
  if ((opts.variants?.length ?? l.variants.length) < 2)
    throw new RangeError(`${l.file}: compare needs two or more variants`);
  return onlyMetrics(await runScenario(l, opts), opts.metrics);
}

/** As runScenario, for a scenario with a sweep: its points, their KPI verdicts and crossings. */
export async function runSweep(
  scenario: ScenarioInput,
  opts: RunOptions & { set?: Record<string, unknown> } = {},
): Promise<RunResult> {
  const l = loaded(scenario, opts.set);
  if (l.points.length === 0) throw new RangeError(`${l.file}: has no experiment.sweep or experiment.sweeps`);
  return runScenario(l, opts);
}

/** The result with its comparisons (top level and per point) limited to `metrics`. */
export function onlyMetrics(result: RunResult, metrics: readonly string[] | undefined): RunResult {
  if (metrics === undefined || metrics.length === 0) return result;
  const only = <T extends { metric: string }>(xs: T[]): T[] => xs.filter((c) => metrics.includes(c.metric));
  return {
    ...result,
    comparisons: only(result.comparisons),
    ...(result.points === undefined
      ? {}
      : { points: result.points.map((p) => ({ ...p, comparisons: only(p.comparisons) })) }),
  };
}
