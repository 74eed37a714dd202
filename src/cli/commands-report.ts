import { readFileSync } from 'node:fs';
import type { RunResult } from '../experiment/result.ts';
import { breakdownBars, differenceBars, renderBars } from '../report/breakdown/bars.ts';
import { renderFigure } from '../report/figure-svg.ts';
import { ecdfFigure, sweepFigure, type Stat } from '../report/figures.ts';
import { renderHtmlReport } from '../report/html.ts';
import { UsageError, writeFileAtomic } from './io.ts';

export interface ReportArgs {
  files: string[];
  out: string;
  title?: string | undefined;
  /** One figure instead of the page: `metric[:stat]`, stat p<N>, mean or diff. */
  figure?: string | undefined;
  sweep?: string | undefined;
  logX?: boolean | undefined;
}

const isResult = (x: unknown): x is RunResult =>
  typeof x === 'object' &&
  x !== null &&
  typeof (x as RunResult).mcsim === 'string' &&
  Array.isArray((x as RunResult).variants) &&
  typeof (x as RunResult).scenario === 'object';

/** Reads `mcsim run|compare|sweep --json` output: one result document, or an array of them (several scenario files). */
export function readResults(file: string): RunResult[] {
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== undefined)
      throw new UsageError(`${file}: ${code === 'ENOENT' ? 'no such file' : `cannot read (${code})`}`);
    throw new UsageError(`${file}: not JSON: ${(e as Error).message}`);
  }
  const list = Array.isArray(doc) ? doc : [doc];
  list.forEach((r, i) => {
    const where = `${file}${Array.isArray(doc) ? `[${i}]` : ''}`;
    if (!isResult(r))
      throw new UsageError(
        `${where}: not an mcsim result; expected the output of "mcsim run --json" (keys mcsim, scenario, variants, ...)`,
      );
    const metrics = [...r.variants, ...(r.points ?? []).flatMap((p) => p.variants)].flatMap((v) =>
      Object.values(v.metrics),
    );
    if (metrics.some((m) => !Array.isArray(m.quantiles)))
      throw new UsageError(
        `${where}: written by mcsim ${r.mcsim}, which kept no distributions; run the scenario again`,
      );
  });
  return list as RunResult[];
}

/** `mcsim report`: a self-contained HTML page from one or more result files, or one figure as SVG. */
export function reportCommand(args: ReportArgs): number {
  const results = args.files.flatMap(readResults);
  if (args.figure !== undefined) {
    if (!/\.svg$/i.test(args.out))
      throw new UsageError(`-o ${args.out}: a figure is written as SVG; name a file ending in .svg`);
    if (results.length !== 1) throw new UsageError(`--figure draws one result; got ${results.length}`);
    writeFileAtomic(args.out, figureOf(results[0] as RunResult, args));
    process.stderr.write(`mcsim: ${args.out}: ${args.figure}\n`);
    return 0;
  }
  if (!/\.html?$/i.test(args.out)) throw new UsageError(`-o ${args.out}: expected a file ending in .html`);
  const opts = { ...(args.title === undefined ? {} : { title: args.title }), ...(args.logX ? { xLog: true } : {}) };
  writeFileAtomic(args.out, renderHtmlReport(results, opts));
  process.stderr.write(`mcsim: ${args.out}: ${results.length} result(s)\n`);
  return 0;
}

/**
 * The figure `--figure metric[:stat]` names, as SVG: along a sweep, or the metric's CDF without
 * one; `breakdown` and `breakdown-diff`, the stacked bars of where the time goes.
 */
function figureOf(r: RunResult, args: ReportArgs): string {
  const [metric = '', stat] = (args.figure ?? '').split(':');
  const measured = [
    ...new Set([...r.variants, ...(r.points ?? []).flatMap((p) => p.variants)].flatMap((v) => Object.keys(v.metrics))),
  ];
  if (!measured.includes(metric))
    throw new UsageError(
      `--figure ${args.figure}: no metric "${metric}" in this result; it has ${measured.join(', ')}`,
    );
  if (stat !== undefined && !/^(p\d{1,2}|p100|mean|diff|breakdown|breakdown-diff)$/.test(stat))
    throw new UsageError(
      `--figure ${args.figure}: expected a statistic p0..p100, mean, diff, breakdown or breakdown-diff after the colon, found "${stat}"`,
    );
  if (r.points === undefined) {
    if (stat === 'breakdown') return renderBars(breakdownBars(r, metric));
    if (stat === 'breakdown-diff') return renderBars(differenceBars(r, metric));
    return renderFigure(ecdfFigure(r, r.variants, metric, args.logX === true));
  }
  const sweeps = r.sweeps ?? [];
  const sweep = args.sweep === undefined ? sweeps[0] : sweeps.find((s) => s.name === args.sweep);
  if (sweep === undefined)
    throw new UsageError(
      `--sweep ${args.sweep ?? ''}: no such sweep; the result has ${sweeps.map((s) => s.name).join(', ')}`,
    );
  if (stat === 'breakdown') return renderBars(breakdownBars(r, metric, sweep));
  if (stat === 'breakdown-diff') return renderBars(differenceBars(r, metric, sweep));
  return renderFigure(sweepFigure(r, { sweep, metric, stat: (stat ?? 'p95') as Stat, xLog: args.logX === true }));
}
