import { runExperiment } from '../experiment/experiment.ts';
import type { RunResult } from '../experiment/result.ts';
import { METRICS } from '../mc/metrics.ts';
import { renderComparisonsCsv, renderCsv } from '../report/csv.ts';
import { renderJson } from '../report/json.ts';
import { renderComparisonTable, renderTable } from '../report/table.ts';
import { traceLine } from '../report/trace.ts';
import { loadScenario, type LoadedScenario } from '../scenario/load.ts';
import { parseSetArgs } from '../scenario/overrides.ts';
import { AtomicWriter, UsageError, writeFileAtomic } from './io.ts';
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

/** Loads every file with the `--set` overrides and runs it; the trace is committed only on success. */
function execute(args: RunArgs, check: (l: LoadedScenario) => void = () => {}): RunResult[] {
  if (args.runs !== undefined && !(Number.isInteger(args.runs) && args.runs >= 1)) {
    throw new UsageError(`--runs expects a whole number >= 1, found ${String(args.runs)}`);
  }
  const overrides = parseSetArgs(args.set ?? []);
  const loaded = args.files.map((f) => loadScenario(f, overrides));
  loaded.forEach(check);
  const trace = args.trace === undefined ? undefined : new AtomicWriter(args.trace);
  const results: RunResult[] = [];
  try {
    for (const l of loaded) {
      const bar = progressBar(l.name);
      results.push(
        runExperiment(l, {
          ...(args.runs === undefined ? {} : { runs: args.runs }),
          ...(args.seed === undefined ? {} : { seed: parseSeed(args.seed) as number | string }),
          ...(args.variant === undefined ? {} : { variants: args.variant }),
          ...(trace === undefined ? {} : { trace: (variant, rec, point) => trace.write(traceLine(variant, 0, rec, point)) }),
          onProgress: bar.update,
        }),
      );
      bar.done();
    }
    trace?.commit();
  } catch (e) {
    trace?.abort();
    throw e;
  }
  return results;
}

const formatOf = (args: RunArgs, fallback: Format): Format => (args.json ? 'json' : (args.format ?? fallback));
const colorOf = (args: RunArgs): boolean => args.out === undefined && (args.color ?? process.stdout.isTTY === true);
const json = (results: RunResult[]): string => renderJson(results.length === 1 ? (results[0] as RunResult) : results);

function emit(args: RunArgs, text: string): void {
  if (args.out !== undefined) writeFileAtomic(args.out, text);
  else process.stdout.write(text);
}

/** Exit code 1 when any KPI of any variant (or sweep point) failed. */
export function exitCode(results: readonly RunResult[]): number {
  const groups = results.flatMap((r) => [r, ...(r.points ?? [])]);
  return groups.some((g) => g.variants.some((v) => v.kpis.some((k) => !k.pass))) ? 1 : 0;
}

export function runCommand(args: RunArgs): number {
  const results = execute(args);
  const format = formatOf(args, 'table');
  const color = colorOf(args);
  emit(args, format === 'json' ? json(results) : format === 'csv' ? renderCsv(results) : results.map((r) => renderTable(r, { color })).join('\n'));
  return exitCode(results);
}

export function compareCommand(args: CompareArgs): number {
  const known = METRICS.map((m) => m.name);
  for (const m of args.metric ?? []) if (!known.includes(m)) throw new UsageError(`--metric ${m}: unknown metric; expected one of ${known.join(', ')}`);
  const results = execute(args, (l) => {
    const count = args.variant?.length ?? l.variants.length;
    if (count < 2) throw new UsageError(`${l.file}: compare needs at least two variants; it has ${l.variants.map((v) => `"${v.name}"`).join(', ')}`);
  });
  const keep = args.metric;
  const filtered =
    keep === undefined || keep.length === 0
      ? results
      : results.map((r) => {
          const only = <T extends { metric: string }>(xs: T[]): T[] => xs.filter((c) => keep.includes(c.metric));
          return { ...r, comparisons: only(r.comparisons), ...(r.points === undefined ? {} : { points: r.points.map((p) => ({ ...p, comparisons: only(p.comparisons) })) }) };
        });
  const format = formatOf(args, 'table');
  const color = colorOf(args);
  emit(args, format === 'json' ? json(filtered) : format === 'csv' ? renderComparisonsCsv(filtered) : filtered.map((r) => renderComparisonTable(r, { color })).join('\n'));
  return exitCode(results);
}

/** `mcsim sweep`: the tidy CSV by default; `--csv FILE` also writes it when the main output is JSON. */
export function sweepCommand(args: SweepArgs): number {
  const results = execute(args, (l) => {
    if (l.points.length === 0) throw new UsageError(`${l.file}: no experiment.sweep to run; add one, or pass it with --set 'experiment.sweep={"<path>": [values]}'`);
  });
  const format = formatOf(args, 'csv');
  const csv = renderCsv(results);
  if (args.csv !== undefined) writeFileAtomic(args.csv, csv);
  emit(args, format === 'json' ? json(results) : format === 'csv' ? csv : results.map((r) => renderTable(r, { color: colorOf(args) })).join('\n'));
  return exitCode(results);
}
