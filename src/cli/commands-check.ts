import { existsSync, readFileSync } from 'node:fs';
import { checkBaseline, makeBaseline } from '../api/baseline.ts';
import { checkExitCode, parseBaseline, renderBaseline, type Baseline } from '../report/baseline.ts';
import { renderCheckTable, renderJUnit } from '../report/check.ts';
import { parseSetArgs } from '../scenario/overrides.ts';
import { colorOf, emit, formatOf, parseSeed, positiveInt } from './commands-run.ts';
import { UsageError, writeFileAtomic } from './io.ts';
import { progressBar } from './progress.ts';

export interface CheckArgs {
  baseline?: string | undefined;
  update?: boolean | undefined;
  junit?: string | undefined;
  color?: boolean | undefined;
  set?: string[] | undefined;
  format?: 'table' | 'json' | undefined;
  json?: boolean | undefined;
  out?: string | undefined;
}

export interface BaselineArgs {
  files: string[];
  out: string;
  runs?: number | undefined;
  seed?: string | undefined;
  variant?: string[] | undefined;
  set?: string[] | undefined;
}

/** Where `check` looks without `--baseline`: this repository's, and a CI checkout's by convention. */
export const DEFAULT_BASELINE = 'baselines/ci.json';

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
  return parseBaseline(file, text);
}

/** The baseline file: `--baseline`, else DEFAULT_BASELINE where it exists, else advice on making one. */
function baselineFile(args: CheckArgs): string {
  if (args.baseline !== undefined) return args.baseline;
  if (existsSync(DEFAULT_BASELINE)) return DEFAULT_BASELINE;
  throw new UsageError(
    `no baseline: pass --baseline FILE, or make a first one with "mcsim baseline <scenario.yaml> -o ${DEFAULT_BASELINE}"`,
  );
}

/**
 * `mcsim check`: exit 1 when a baselined number moved beyond its tolerance or a KPI verdict
 * flipped; `--update` rewrites the baseline from this run instead of judging it.
 */
export async function checkCommand(args: CheckArgs): Promise<number> {
  const started = performance.now();
  const file = baselineFile(args);
  const baseline = readBaseline(file);
  const bar = progressBar(`check ${file}`);
  const outcome = await checkBaseline(baseline, file, { set: parseSetArgs(args.set ?? []), onProgress: bar.update });
  bar.done();
  if (args.update) {
    writeFileAtomic(file, renderBaseline(outcome.updated));
    process.stderr.write(`mcsim: ${file} updated from ${outcome.results.length} scenario(s)\n`);
    return 0;
  }
  const report = outcome.report;
  const text =
    formatOf(args, 'table') === 'json'
      ? `${JSON.stringify(report, null, 2)}\n`
      : renderCheckTable(report, { color: colorOf(args) });
  emit(args, text);
  if (args.junit !== undefined)
    writeFileAtomic(args.junit, renderJUnit(report, { seconds: (performance.now() - started) / 1000 }));
  return checkExitCode(report);
}

/** `mcsim baseline`: runs the scenarios and writes a first baseline for `mcsim check`. */
export async function baselineCommand(args: BaselineArgs): Promise<number> {
  if (!/\.json$/i.test(args.out))
    throw new UsageError(`-o ${args.out}: a baseline is JSON; name a file ending in .json`);
  positiveInt('runs', args.runs);
  const seed = parseSeed(args.seed);
  const bar = progressBar('baseline');
  const { baseline, warnings } = await makeBaseline(args.files, args.out, {
    set: parseSetArgs(args.set ?? []),
    onProgress: bar.update,
    ...(args.runs === undefined ? {} : { runs: args.runs }),
    ...(seed === undefined ? {} : { seed }),
    ...(args.variant === undefined ? {} : { variants: args.variant }),
  });
  bar.done();
  writeFileAtomic(args.out, renderBaseline(baseline));
  for (const w of warnings) process.stderr.write(`mcsim: warning: ${w}\n`);
  const values = baseline.scenarios.reduce(
    (n, s) => n + Object.values(s.variants ?? {}).reduce((m, v) => m + 2 * Object.keys(v.metrics).length, 0),
    0,
  );
  process.stderr.write(
    `mcsim: ${args.out}: ${values} values of ${baseline.scenarios.length} scenario(s); check them with "mcsim check --baseline ${args.out}"\n`,
  );
  return warnings.length > 0 ? 1 : 0;
}
