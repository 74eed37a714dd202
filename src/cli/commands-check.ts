import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { runExperiment } from '../experiment/experiment.ts';
import type { RunResult } from '../experiment/result.ts';
import {
  BaselineError,
  checkExitCode,
  checkScenario,
  mergeReports,
  parseBaseline,
  renderBaseline,
  updatedBaseline,
  type Baseline,
} from '../report/baseline.ts';
import { renderCheckTable, renderJUnit } from '../report/check.ts';
import { loadScenario } from '../scenario/load.ts';
import { UsageError, writeFileAtomic } from './io.ts';
import { progressBar } from './progress.ts';

export interface CheckArgs {
  baseline: string;
  update?: boolean | undefined;
  junit?: string | undefined;
  color?: boolean | undefined;
}

function readBaseline(file: string): Baseline {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(
      `${file}: ${code === 'ENOENT' ? 'no such baseline file' : `cannot read (${code ?? String(e)})`}`,
    );
  }
  try {
    return parseBaseline(file, text);
  } catch (e) {
    if (e instanceof BaselineError) throw new UsageError(e.message);
    throw e;
  }
}

/** Runs every scenario of the baseline with its seed, runs and variants. */
function runAll(baselineFile: string, baseline: Baseline): RunResult[] {
  const dir = dirname(baselineFile);
  return baseline.scenarios.map((s) => {
    const loaded = loadScenario(resolve(dir, s.file));
    if (loaded.points.length > 0)
      throw new UsageError(`${baselineFile}: ${s.file} has a sweep; a baseline checks scenarios without one`);
    const bar = progressBar(`check ${loaded.name}`);
    const r = runExperiment(loaded, {
      runs: s.runs,
      seed: s.seed,
      variants: Object.keys(s.variants),
      onProgress: bar.update,
    });
    bar.done();
    return r;
  });
}

/**
 * `mcsim check`: exit 1 when a baselined number moved beyond its tolerance or a KPI verdict
 * flipped; `--update` rewrites the baseline from this run instead of judging it.
 */
export function checkCommand(args: CheckArgs): number {
  const started = performance.now();
  const baseline = readBaseline(args.baseline);
  const results = runAll(args.baseline, baseline);
  if (args.update) {
    writeFileAtomic(args.baseline, renderBaseline(updatedBaseline(baseline, results)));
    process.stderr.write(`mcsim: ${args.baseline} updated from ${results.length} scenario(s)\n`);
    return 0;
  }
  const report = mergeReports(
    baseline.scenarios.map((s, i) => checkScenario(s, baseline.tolerance, results[i] as RunResult)),
  );
  process.stdout.write(renderCheckTable(report, { color: args.color ?? process.stdout.isTTY === true }));
  if (args.junit !== undefined)
    writeFileAtomic(args.junit, renderJUnit(report, { seconds: (performance.now() - started) / 1000 }));
  return checkExitCode(report);
}
