import { Chalk, type ChalkInstance } from 'chalk';
import type {
  Comparison,
  KpiCrossing,
  MetricSummary,
  PointResult,
  RunResult,
  ServiceKpis,
} from '../experiment/result.ts';
import { SERVICE_KPIS } from '../mc/measure/kpis.ts';
import { pointLabel } from './figures.ts';
import { crossingText, kpiName } from './kpi-text.ts';

export interface TableOptions {
  color: boolean;
}

const fmt = (x: number | null | undefined): string =>
  x === null || x === undefined ? '-' : Number.isInteger(x) ? String(x) : x.toFixed(3);
const fmtCi = (ci: [number, number] | null): string => (ci === null ? '-' : `[${fmt(ci[0])}, ${fmt(ci[1])}]`);

/** Pads cells to column widths; ANSI codes do not count towards the width. */
function grid(rows: string[][], c: ChalkInstance): string {
  // eslint-disable-next-line no-control-regex -- ANSI colour codes are control sequences by definition
  const strip = (s: string): string => s.replace(/\x1b\[[0-9;]*m/g, '');
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, strip(cell).length)));
  return rows
    .map((row, r) => {
      const line = row
        .map((cell, i) =>
          i === 0
            ? cell + ' '.repeat((widths[i] as number) - strip(cell).length)
            : ' '.repeat((widths[i] as number) - strip(cell).length) + cell,
        )
        .join('  ');
      return r === 0 ? c.bold(line) : line;
    })
    .join('\n');
}

function metricRow(name: string, m: MetricSummary): string[] {
  return [name, String(m.n), fmt(m.mean), fmt(m.sd), fmt(m.p50), fmt(m.p95), fmt(m.p99), fmt(m.max), fmtCi(m.ci95)];
}

function outcomeText(counts: Record<string, number>, c: ChalkInstance): string {
  return Object.entries(counts)
    .map(([o, n]) => (o === 'success' ? `${o} ${n}` : c.red(`${o} ${n}`)))
    .join(', ');
}

function comparisonRows(list: Comparison[], c: ChalkInstance): string[][] {
  return list.map((x) => [
    x.metric,
    `${x.b} - ${x.a}`,
    fmt(x.mean_diff),
    fmtCi(x.ci95),
    fmtCi(x.unpaired_ci95),
    x.significant ? c.yellow('yes') : 'no',
  ]);
}

/** The human view of a result: one block per variant, then the paired comparisons. */
export function renderTable(result: RunResult, opts: TableOptions): string {
  const c = new Chalk({ level: opts.color ? 1 : 0 });
  const out = heading(result, c);
  if (result.points !== undefined)
    return (
      [...out, ...sweepBlock(result.points, c), ...kpiBlock(result.points, result.kpi_crossings ?? [], c)].join('\n') +
      '\n'
    );
  for (const v of result.variants) {
    out.push('');
    const params = Object.entries(v.params)
      .map(([k, val]) => `${k}=${JSON.stringify(val)}`)
      .join(' ');
    out.push(c.cyan(`variant ${v.name}`) + (params ? c.dim(`  ${params}`) : ''));
    const rows = [['metric (ms)', 'n', 'mean', 'sd', 'p50', 'p95', 'p99', 'max', 'ci95']];
    for (const [name, m] of Object.entries(v.metrics)) rows.push(metricRow(name, m));
    out.push(rows.length > 1 ? grid(rows, c) : c.dim('no successful samples'));
    const failures = Object.entries(v.outcomes).filter(([, counts]) =>
      Object.keys(counts).some((o) => o !== 'success'),
    );
    for (const [proc, counts] of failures) out.push(`  outcomes ${proc}: ${outcomeText(counts, c)}`);
    for (const k of v.kpis)
      out.push(`  ${kpiName(k)}: ${fmt(k.value_ms)} ms ${k.pass ? c.green('PASS') : c.red('FAIL')}`);
    if (v.standard_kpis.length > 0)
      out.push(c.dim(`  standard KPIs: ${v.standard_kpis.map(serviceKpiText).join('; ')}`));
    const ct = v.counters;
    out.push(
      c.dim(
        `  ${ct.events} events, ${ct.messages} messages, ${ct.bytes} bytes, ${ct.lost} lost, ${ct.retransmissions} retransmissions`,
      ),
    );
  }
  if (result.comparisons.length > 0) {
    out.push('');
    out.push(c.cyan('paired comparisons (common random numbers)'));
    out.push(grid([COMPARISON_HEAD, ...comparisonRows(result.comparisons, c)], c));
  }
  return out.join('\n') + '\n';
}

/** One measured service: its KPI specification and what was judged, or that it defines none. */
const serviceKpiText = (s: ServiceKpis): string =>
  `${s.service} (${s.spec}): ${s.judged.length > 0 ? s.judged.join(', ') : SERVICE_KPIS.some((k) => k.service === s.service && k.defines.length > 0) ? 'none judged' : 'none defined'}`;

const COMPARISON_HEAD = ['metric (ms)', 'b - a', 'mean diff', 'ci95 (paired)', 'ci95 (unpaired)', 'significant'];

function heading(result: RunResult, c: ChalkInstance): string[] {
  const out = [
    c.bold(`${result.scenario.name}`) +
      c.dim(`  (${result.scenario.file}, seed ${result.seed}, ${result.runs} run${result.runs === 1 ? '' : 's'})`),
  ];
  if (!result.complete) out.push(c.red('incomplete: a resource limit stopped the run; figures cover what ran'));
  return out;
}

/** A sweep reads best as one long table: a row per point, variant and metric. */
function sweepBlock(points: PointResult[], c: ChalkInstance): string[] {
  const out = [''];
  const rows = [['point', 'variant', 'metric (ms)', 'n', 'mean', 'p50', 'p95', 'ci95']];
  for (const p of points) {
    for (const v of p.variants)
      for (const [name, m] of Object.entries(v.metrics))
        rows.push([
          pointLabel(p.params),
          v.name,
          name,
          String(m.n),
          fmt(m.mean),
          fmt(m.p50),
          fmt(m.p95),
          fmtCi(m.ci95),
        ]);
  }
  out.push(grid(rows, c));
  const cmp = points.flatMap((p) => comparisonRows(p.comparisons, c).map((row) => [pointLabel(p.params), ...row]));
  if (cmp.length > 0)
    out.push(
      '',
      c.cyan('paired comparisons (common random numbers)'),
      grid([['point', ...COMPARISON_HEAD], ...cmp], c),
    );
  return out;
}

/** The KPI verdicts of every point and variant, then where each failing KPI first fails. */
function kpiBlock(points: PointResult[], crossings: KpiCrossing[], c: ChalkInstance): string[] {
  const rows = [['point', 'variant', 'KPI', 'metric', 'value (ms)', 'limit (ms)', 'verdict']];
  for (const p of points)
    for (const v of p.variants)
      for (const k of v.kpis)
        rows.push([
          pointLabel(p.params),
          v.name,
          k.id,
          `${k.metric} p${k.percentile}`,
          fmt(k.value_ms),
          fmt(k.limit_ms),
          k.pass ? c.green('PASS') : c.red('FAIL'),
        ]);
  if (rows.length === 1) return [];
  const out = ['', c.cyan('KPI verdicts'), grid(rows, c)];
  if (crossings.length > 0) out.push('', ...crossings.map((x) => c.red(crossingText(x))));
  else out.push('', c.green('every KPI passes at every point'));
  return out;
}

/** `mcsim compare`: only the comparisons, each with a one-line verdict. */
export function renderComparisonTable(result: RunResult, opts: TableOptions): string {
  const c = new Chalk({ level: opts.color ? 1 : 0 });
  const out = heading(result, c);
  const groups =
    result.points === undefined
      ? [{ label: '', comparisons: result.comparisons }]
      : result.points.map((p) => ({ label: pointLabel(p.params), comparisons: p.comparisons }));
  for (const g of groups) {
    out.push('');
    if (g.label) out.push(c.cyan(`at ${g.label}`));
    if (g.comparisons.length === 0) {
      out.push(
        c.dim(
          'nothing to compare: no metric has samples in both variants of a compared pair (stderr says which are measured where)',
        ),
      );
      continue;
    }
    out.push(grid([COMPARISON_HEAD, ...comparisonRows(g.comparisons, c)], c));
    for (const x of g.comparisons) out.push(`  ${verdict(x)}`);
  }
  return out.join('\n') + '\n';
}

function verdict(x: Comparison): string {
  const sign = x.mean_diff > 0 ? '+' : '';
  const what = `${x.metric}: ${x.b} - ${x.a} = ${sign}${fmt(x.mean_diff)} ms, 95% CI ${fmtCi(x.ci95)} (paired t, n=${x.n})`;
  if (x.ci95 === null) return `${what}: too few paired replications to judge`;
  const width = (ci: [number, number]): number => ci[1] - ci[0];
  const gain =
    x.unpaired_ci95 !== null && width(x.ci95) > 0
      ? `; ${(width(x.unpaired_ci95) / width(x.ci95)).toFixed(1)}x narrower than unpaired`
      : '';
  return `${what}: ${x.significant ? 'significant' : 'not significant'}${gain}`;
}
