import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { resultOf, startRun } from '../api/run.ts';
import type { ExperimentRun, RunControl } from '../experiment/parallel.ts';
import { parseShard } from '../experiment/plan.ts';
import { toPartial, type PartialResult } from '../experiment/partial.ts';
import type { CutReason, RunResult } from '../experiment/result.ts';
import { renderBreakdownCsv, renderBreakdownText } from '../report/breakdown/text.ts';
import { renderCsv } from '../report/csv.ts';
import { renderJson } from '../report/json.ts';
import { kpiFailures } from '../report/kpi-text.ts';
import { renderTable } from '../report/table.ts';
import { traceLine } from '../report/trace.ts';
import { loadScenario, type LoadedScenario } from '../scenario/load.ts';
import { parseSetArgs } from '../scenario/overrides.ts';
import { AtomicWriter, UsageError, writeFileAtomic } from './io.ts';
import { onSignals, parseSize, reportStop, signalCode, warnIfTooLarge } from './guards.ts';
import { progressBar } from './progress.ts';

export type Format = 'table' | 'json' | 'csv';

export interface RunArgs {
  files: string[];
  runs?: number | undefined;
  seed?: string | undefined;
  variant?: string[] | undefined;
  set?: string[] | undefined;
  format?: Format | undefined;
  json?: boolean | undefined;
  out?: string | undefined;
  trace?: string | undefined;
  color?: boolean | undefined;
  workers?: number | undefined;
  shard?: string | undefined;
  maxEvents?: number | undefined;
  maxWall?: number | undefined;
  maxMemory?: string | undefined;
  checkInvariants?: boolean | undefined;
  /** Tables and CSV show where the time goes (the JSON always carries it). */
  breakdown?: boolean | undefined;
}

export interface CompareArgs extends RunArgs {
  metric?: string[] | undefined;
}

export interface SweepArgs extends RunArgs {
  csv?: string | undefined;
}

export function parseSeed(seed: string | undefined): number | string | undefined {
  if (seed === undefined) return undefined;
  return /^-?\d+$/.test(seed) ? Number(seed) : seed;
}

/** How a run went, beyond its results: what the CLI says on stderr and turns into an exit code. */
export interface Executed {
  results: RunResult[];
  /** `--shard`: the partial result to write instead of results. */
  partial?: PartialResult;
  stopped: CutReason | undefined;
  /** Replications stopped by the event ceiling. */
  capped: number;
  /** `--check-invariants`: replications whose end-of-run checks found something. */
  unsound: number;
}

export function positiveInt(name: string, x: number | undefined): void {
  if (x !== undefined && !(Number.isInteger(x) && x >= 1))
    throw new UsageError(`--${name} expects a whole number >= 1, found ${String(x)}`);
}

/** The run options of the guards: `--workers`, `--shard`, `--max-events`, `--max-wall`. */
function runControl(args: RunArgs): RunControl & { maxEvents?: number } {
  positiveInt('workers', args.workers);
  positiveInt('max-events', args.maxEvents);
  if (args.maxWall !== undefined && !(args.maxWall > 0))
    throw new UsageError(`--max-wall expects a number of seconds > 0, found ${String(args.maxWall)}`);
  const shard = args.shard === undefined ? undefined : parseShard(args.shard);
  if (args.shard !== undefined && shard === undefined)
    throw new UsageError(`--shard expects i/n with 0 <= i < n (e.g. 0/4), found "${args.shard}"`);
  return {
    workers: args.workers ?? availableParallelism(),
    now: () => performance.now(),
    // The guard is always on: without --max-memory, at its share of each thread's heap limit.
    maxMemory: args.maxMemory === undefined ? Infinity : parseSize(args.maxMemory),
    // A tuning knob (and how tests reach the workers with a small job): see docs/parallel.md.
    ...(process.env.MCSIM_PARALLEL_THRESHOLD_MS === undefined
      ? {}
      : { parallelThresholdMs: Number(process.env.MCSIM_PARALLEL_THRESHOLD_MS) }),
    ...(shard === undefined ? {} : { shard }),
    ...(args.maxEvents === undefined ? {} : { maxEvents: args.maxEvents }),
    ...(args.maxWall === undefined ? {} : { maxWallMs: args.maxWall * 1000 }),
    ...(args.checkInvariants ? { checkInvariants: true } : {}),
  };
}

/** `--check-invariants`: one stderr line per violation (the first 20), and how many replications had any. */
function reportViolations(l: LoadedScenario, run: ExperimentRun): number {
  let unsound = 0;
  let shown = 0;
  for (const t of run.tasks) {
    const violations = run.grid[t.g]?.[t.v]?.[t.r]?.violations ?? [];
    if (violations.length === 0) continue;
    unsound++;
    const where = `${run.plan.variants[t.g]?.[t.v]?.name ?? t.v}, replication ${t.r}${run.plan.spec.sweep ? `, point ${t.g}` : ''}`;
    for (const v of violations)
      if (shown++ < 20) process.stderr.write(`mcsim: ${l.file}: invariant violated (${where}): ${v}\n`);
  }
  if (run.plan.checkInvariants && unsound === 0)
    process.stderr.write(`mcsim: ${l.file}: invariants hold in all ${run.tasks.length} replications\n`);
  return unsound;
}

/** After a signal, 128 + its number. A guard that cut the run short: at least 1. */
export function stopCode(run: Executed, code: number): number {
  const signalled = signalCode(run.stopped);
  if (signalled !== undefined) return signalled;
  return run.stopped !== undefined || run.capped > 0 || run.unsound > 0 ? Math.max(code, 1) : code;
}

/**
 * Loads every file with the `--set` overrides and runs it (workers, shard, budgets,
 * SIGINT); the trace is committed when the run ends, stopped early or not, and dropped on error.
 */
export async function execute(args: RunArgs, check: (l: LoadedScenario) => void = () => {}): Promise<Executed> {
  positiveInt('runs', args.runs);
  const control = runControl(args);
  const overrides = parseSetArgs(args.set ?? []);
  const loaded = args.files.map((f) => loadScenario(f, overrides));
  loaded.forEach(check);
  if (control.shard !== undefined && loaded.length > 1)
    throw new UsageError(`--shard runs one scenario file at a time; got ${loaded.length}`);
  if (control.shard !== undefined && args.trace !== undefined)
    throw new UsageError('--trace and --shard: trace an unsharded run, for example with --runs 1');
  const trace = args.trace === undefined ? undefined : new AtomicWriter(args.trace);
  const executed: Executed = { results: [], stopped: undefined, capped: 0, unsound: 0 };
  const maxMemory = args.maxMemory === undefined ? undefined : control.maxMemory;
  for (const l of loaded) warnIfTooLarge(l, maxMemory);
  const interrupt = onSignals();
  try {
    for (const l of loaded) {
      const bar = progressBar(l.name);
      const run = await startRun(l, {
        ...control,
        signal: interrupt.signal,
        ...(args.runs === undefined ? {} : { runs: args.runs }),
        ...(args.seed === undefined ? {} : { seed: parseSeed(args.seed) as number | string }),
        ...(args.variant === undefined ? {} : { variants: args.variant }),
        ...(trace === undefined
          ? {}
          : { trace: (variant, rec, point) => trace.write(traceLine(variant, 0, rec, point)) }),
        onProgress: bar.update,
      });
      bar.done();
      reportStop(l, run, maxMemory);
      executed.capped += run.capped;
      executed.unsound += reportViolations(l, run);
      if (control.shard !== undefined) executed.partial = toPartial(run);
      else executed.results.push(resultOf(run));
      if ((executed.stopped = run.stopped) !== undefined) break;
    }
    trace?.commit();
  } catch (e) {
    trace?.abort();
    throw e;
  } finally {
    interrupt.dispose();
  }
  return executed;
}

/** The output options every command that prints results shares (run, sweep, compare, merge, check). */
type OutputArgs = Pick<RunArgs, 'json' | 'format' | 'out' | 'color' | 'breakdown'>;

export const formatOf = (args: Pick<OutputArgs, 'json' | 'format'>, fallback: Format): Format =>
  args.json ? 'json' : (args.format ?? fallback);
export const colorOf = (args: Pick<OutputArgs, 'out' | 'color'>): boolean =>
  args.out === undefined && (args.color ?? process.stdout.isTTY === true);
export const json = (results: RunResult[]): string =>
  renderJson(results.length === 1 ? (results[0] as RunResult) : results);

export function emit(args: Pick<OutputArgs, 'out'>, text: string): void {
  if (args.out !== undefined) writeFileAtomic(args.out, text);
  else process.stdout.write(text);
}

/**
 * Exit code 1 when any KPI of any variant (or sweep point) failed, said on stderr: which KPIs,
 * in which variants, and along a sweep where each first fails.
 */
export function exitCode(results: readonly RunResult[]): number {
  const groups = results.flatMap((r) => [r, ...(r.points ?? [])]);
  if (!groups.some((g) => g.variants.some((v) => v.kpis.some((k) => !k.pass)))) return 0;
  for (const r of results)
    for (const line of kpiFailures(r)) process.stderr.write(`mcsim: ${r.scenario.file}: KPI failed: ${line}\n`);
  return 1;
}

/** With `--shard`, the partial result is the output whatever the format: `mcsim merge` reads it. */
export function emitPartial(args: RunArgs, run: Executed): boolean {
  if (run.partial === undefined) return false;
  emit(args, `${JSON.stringify(run.partial)}\n`);
  return true;
}

export async function runCommand(args: RunArgs): Promise<number> {
  const run = await execute(args);
  if (emitPartial(args, run)) return stopCode(run, 0);
  const { results } = run;
  emit(args, renderResults(results, formatOf(args, 'table'), args));
  return stopCode(run, exitCode(results));
}

/** The results' CSV: a row per metric, or with `--breakdown` a row per part of each. */
export function resultsCsv(results: readonly RunResult[], args: Pick<OutputArgs, 'breakdown'>): string {
  return args.breakdown ? renderBreakdownCsv(results) : renderCsv(results);
}

/** The results as `run`, `sweep` and `merge` print them: JSON, CSV, or a table each (with `--breakdown`, where the time goes). */
export function renderResults(results: RunResult[], format: Format, args: OutputArgs, csv?: string): string {
  if (format === 'json') return json(results);
  if (format === 'csv') return csv ?? resultsCsv(results, args);
  const color = colorOf(args);
  return results
    .map((r) => renderTable(r, { color }) + (args.breakdown ? '\n' + renderBreakdownText(r, { color }) : ''))
    .join('\n');
}
