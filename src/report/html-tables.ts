import type { Comparison, RunResult, VariantResult } from '../experiment/result.ts';
import { pointLabel } from './figures.ts';
import { esc } from './sequence-svg.ts';

/** The tables of the HTML report. */

const fmt = (x: number | null | undefined): string =>
  x === null || x === undefined ? '–' : Number.isInteger(x) ? String(x) : x.toFixed(3);
const ci = (c: [number, number] | null): string => (c === null ? '–' : `[${fmt(c[0])}, ${fmt(c[1])}]`);

export function metricTable(variants: readonly VariantResult[]): string {
  const rows = variants.flatMap((v) =>
    Object.entries(v.metrics).map(
      ([name, m]) =>
        `<tr><td>${esc(v.name)}</td><td>${esc(name)}</td><td>${m.n}</td><td>${fmt(m.mean)}</td><td>${fmt(m.p50)}</td><td>${fmt(m.p95)}</td><td>${fmt(m.p99)}</td><td>${fmt(m.max)}</td><td>${ci(m.ci95)}</td></tr>`,
    ),
  );
  return `<table class="metrics"><tr><th>variant</th><th>metric (ms)</th><th>n</th><th>mean</th><th>p50</th><th>p95</th><th>p99</th><th>max</th><th>ci95 of the mean</th></tr>\n${rows.join('\n')}\n</table>`;
}

export function kpiTable(variants: readonly VariantResult[]): string {
  const rows = variants.flatMap((v) =>
    v.kpis.map(
      (k) =>
        `<tr class="${k.pass ? 'pass' : 'fail'}"><td>${esc(v.name)}</td><td>${esc(k.id)}</td><td>${esc(k.metric)}</td><td>p${k.percentile}</td><td>${fmt(k.value_ms)}</td><td>${fmt(k.limit_ms)}</td><td>${k.pass ? 'PASS' : 'FAIL'}</td></tr>`,
    ),
  );
  if (rows.length === 0) return '<p class="note">No KPI applies to the metrics measured.</p>';
  return `<table class="kpis"><tr><th>variant</th><th>KPI</th><th>metric</th><th>percentile</th><th>value (ms)</th><th>limit (ms)</th><th>verdict</th></tr>\n${rows.join('\n')}\n</table>`;
}

const comparisonCells = (c: Comparison): string =>
  `<td>${esc(c.metric)}</td><td>${esc(c.b)} − ${esc(c.a)}</td><td>${c.n}</td><td>${fmt(c.mean_diff)}</td><td>${ci(c.ci95)}</td><td>${ci(c.unpaired_ci95)}</td><td>${c.significant ? 'yes' : 'no'}</td>`;
const COMPARISON_HEAD =
  '<th>metric (ms)</th><th>b − a</th><th>pairs</th><th>mean difference</th><th>ci95 (paired)</th><th>ci95 (unpaired)</th><th>significant</th>';

export function comparisonTable(list: readonly Comparison[]): string {
  if (list.length === 0) return '';
  const rows = list.map((c) => `<tr class="${c.significant ? 'significant' : ''}">${comparisonCells(c)}</tr>`);
  return `<table class="comparisons"><tr>${COMPARISON_HEAD}</tr>\n${rows.join('\n')}\n</table>`;
}

/** Every point's comparisons in one table: a row per point, pair and metric. */
export function pointComparisonTable(r: RunResult, sweep: string): string {
  const rows = (r.points ?? [])
    .filter((p) => p.sweep === sweep)
    .flatMap((p) =>
      p.comparisons.map(
        (c) =>
          `<tr class="${c.significant ? 'significant' : ''}"><td>${esc(pointLabel(p.params, ', '))}</td>${comparisonCells(c)}</tr>`,
      ),
    );
  if (rows.length === 0) return '<p class="note">No comparisons (one variant).</p>';
  return `<table class="comparisons"><tr><th>point</th>${COMPARISON_HEAD}</tr>\n${rows.join('\n')}\n</table>`;
}

/** Every point's KPI verdicts in one table: a row per point, variant and KPI. */
export function pointKpiTable(r: RunResult, sweep: string): string {
  const rows = (r.points ?? [])
    .filter((p) => p.sweep === sweep)
    .flatMap((p) =>
      p.variants.flatMap((v) =>
        v.kpis.map(
          (k) =>
            `<tr class="${k.pass ? 'pass' : 'fail'}"><td>${esc(pointLabel(p.params, ', '))}</td><td>${esc(v.name)}</td><td>${esc(k.id)}</td><td>${esc(k.metric)} p${k.percentile}</td><td>${fmt(k.value_ms)}</td><td>${fmt(k.limit_ms)}</td><td>${k.pass ? 'PASS' : 'FAIL'}</td></tr>`,
        ),
      ),
    );
  if (rows.length === 0) return '<p class="note">No KPI applies to the metrics measured.</p>';
  return `<table class="kpis"><tr><th>point</th><th>variant</th><th>KPI</th><th>metric</th><th>value (ms)</th><th>limit (ms)</th><th>verdict</th></tr>\n${rows.join('\n')}\n</table>`;
}
