import { dirname, relative, resolve } from 'node:path';
import type { RunResult } from '../experiment/result.ts';
import {
  checkScenario,
  DEFAULT_TOLERANCE,
  mergeReports,
  updatedBaseline,
  type Baseline,
  type BaselineScenario,
  type CheckReport,
} from '../report/baseline.ts';
import { loadScenario, type LoadedScenario } from '../scenario/load.ts';
import { atPoint, pickPoint } from '../scenario/points.ts';
import { runScenario, type RunOptions } from './run.ts';

/** Runs one scenario of a baseline: its file (relative to the baseline's), seed, runs, overrides, variants. */
async function runEntry(
  baselineFile: string,
  entry: BaselineScenario,
  set: Record<string, unknown>,
  opts: Pick<RunOptions, 'workers' | 'onProgress' | 'signal'>,
): Promise<RunResult> {
  const file = resolve(dirname(baselineFile), entry.file);
  const overrides = { ...entry.set, ...set };
  const loaded = pinned(loadScenario(file, overrides), overrides, `${baselineFile} (${entry.file})`);
  return runScenario(loaded, {
    ...opts,
    runs: entry.runs,
    seed: entry.seed,
    ...(entry.variants === undefined ? {} : { variants: Object.keys(entry.variants) }),
  });
}

/** A scenario with a sweep reduced to the point its overrides name: a baseline checks one configuration. */
function pinned(loaded: LoadedScenario, overrides: Record<string, unknown>, where: string): LoadedScenario {
  const point = pickPoint(
    loaded,
    undefined,
    overrides,
    `a baseline checks one of them: name its swept values with --set, e.g. {set}, or in the entry's "set" in ${where}`,
  );
  return atPoint(loaded, point);
}

export interface CheckOptions extends Pick<RunOptions, 'workers' | 'onProgress' | 'signal'> {
  /** Overrides applied to every scenario of the baseline (after each entry's own `set`). */
  set?: Record<string, unknown>;
}

export interface CheckOutcome {
  report: CheckReport;
  results: RunResult[];
  /** The baseline with this run's numbers, for `--update`. */
  updated: Baseline;
}

/**
 * Runs every scenario a baseline names and compares its numbers with the expected ones: the
 * report's `failures` counts what moved beyond tolerance, vanished, or flipped a KPI verdict.
 * `baselineFile` is where the baseline lies: its scenario files are relative to it.
 */
export async function checkBaseline(
  baseline: Baseline,
  baselineFile: string,
  opts: CheckOptions = {},
): Promise<CheckOutcome> {
  const results: RunResult[] = [];
  for (const entry of baseline.scenarios) results.push(await runEntry(baselineFile, entry, opts.set ?? {}, opts));
  const report = mergeReports(
    baseline.scenarios.map((s, i) => checkScenario(s, baseline.tolerance, results[i] as RunResult)),
  );
  return { report, results, updated: updatedBaseline(baseline, results) };
}

export interface BaselineOptions extends CheckOptions {
  runs?: number;
  seed?: number | string;
  variants?: readonly string[];
}

/**
 * A first baseline for scenarios: each run with the options given (its `experiment.runs` and
 * `seed` otherwise), its numbers as the expectations, a tolerance of 2% or 0.5 ms. Scenario files
 * are written relative to `baselineFile`'s directory, where the baseline will be read from.
 */
export async function makeBaseline(
  files: readonly string[],
  baselineFile: string,
  opts: BaselineOptions = {},
): Promise<MadeBaseline> {
  const scenarios = files.map((file): BaselineScenario => {
    const l = loadScenario(file, opts.set ?? {});
    return {
      file: relative(dirname(resolve(baselineFile)), resolve(file)),
      seed: opts.seed ?? l.scenario.experiment?.seed ?? 1,
      runs: opts.runs ?? l.scenario.experiment?.runs ?? 1,
      ...(opts.set === undefined || Object.keys(opts.set).length === 0 ? {} : { set: opts.set }),
      ...(opts.variants === undefined
        ? {}
        : { variants: Object.fromEntries(opts.variants.map((v) => [v, { metrics: {} }])) }),
    };
  });
  const first: Baseline = { mcsim_baseline: 1, tolerance: { ...DEFAULT_TOLERANCE }, scenarios };
  const { updated, results } = await checkBaseline(first, baselineFile, { ...opts, set: {} });
  const warnings = results.flatMap((r, i) =>
    r.variants
      .filter((v) => Object.keys(updated.scenarios[i]?.variants?.[v.name]?.metrics ?? {}).length === 0)
      .map(
        (v) =>
          `${files[i] ?? r.scenario.file}, variant ${v.name}: no successful samples (${outcomesText(v.outcomes)}); the baseline checks nothing there`,
      ),
  );
  return { baseline: updated, results, warnings };
}

export interface MadeBaseline {
  baseline: Baseline;
  results: RunResult[];
  /** Variants with no successful sample, whose numbers the baseline therefore cannot hold. */
  warnings: string[];
}

const outcomesText = (outcomes: Record<string, Record<string, number>>): string =>
  Object.entries(outcomes)
    .map(
      ([metric, counts]) =>
        `${metric}: ${Object.entries(counts)
          .map(([o, n]) => `${o} ${n}`)
          .join(', ')}`,
    )
    .join('; ');
