import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Comparison, RunResult, VariantResult } from '../experiment/result.ts';
import { sections, type ScenarioSection } from './html-data.ts';
import { PLOT_SCRIPT } from './html-plots.ts';
import { esc } from './sequence-svg.ts';

/**
 * `mcsim report`: one self-contained HTML page. uPlot (a small, maintained canvas plotting
 * library) is inlined with its stylesheet, and the data rides along as JSON, so the page opens
 * from a mail attachment or a CI artifact without any network.
 */

const require = createRequire(import.meta.url);
const asset = (path: string): string => readFileSync(require.resolve(path), 'utf8');

const fmt = (x: number | null | undefined): string =>
  x === null || x === undefined ? '–' : Number.isInteger(x) ? String(x) : x.toFixed(3);
const ci = (c: [number, number] | null): string => (c === null ? '–' : `[${fmt(c[0])}, ${fmt(c[1])}]`);

function metricTable(variants: readonly VariantResult[]): string {
  const rows = variants.flatMap((v) =>
    Object.entries(v.metrics).map(
      ([name, m]) =>
        `<tr><td>${esc(v.name)}</td><td>${esc(name)}</td><td>${m.n}</td><td>${fmt(m.mean)}</td><td>${fmt(m.p50)}</td><td>${fmt(m.p95)}</td><td>${fmt(m.p99)}</td><td>${fmt(m.max)}</td><td>${ci(m.ci95)}</td></tr>`,
    ),
  );
  return `<table class="metrics"><tr><th>variant</th><th>metric (ms)</th><th>n</th><th>mean</th><th>p50</th><th>p95</th><th>p99</th><th>max</th><th>ci95 of the mean</th></tr>\n${rows.join('\n')}\n</table>`;
}

function kpiTable(variants: readonly VariantResult[]): string {
  const rows = variants.flatMap((v) =>
    v.kpis.map(
      (k) =>
        `<tr class="${k.pass ? 'pass' : 'fail'}"><td>${esc(v.name)}</td><td>${esc(k.id)}</td><td>${esc(k.metric)}</td><td>p${k.percentile}</td><td>${fmt(k.value_ms)}</td><td>${fmt(k.limit_ms)}</td><td>${k.pass ? 'PASS' : 'FAIL'}</td></tr>`,
    ),
  );
  if (rows.length === 0) return '';
  return `<table class="kpis"><tr><th>variant</th><th>KPI</th><th>metric</th><th>percentile</th><th>value (ms)</th><th>limit (ms)</th><th>verdict</th></tr>\n${rows.join('\n')}\n</table>`;
}

function comparisonTable(list: readonly Comparison[], caption = ''): string {
  if (list.length === 0) return '';
  const rows = list.map(
    (c) =>
      `<tr class="${c.significant ? 'significant' : ''}"><td>${esc(c.metric)}</td><td>${esc(c.b)} − ${esc(c.a)}</td><td>${c.n}</td><td>${fmt(c.mean_diff)}</td><td>${ci(c.ci95)}</td><td>${ci(c.unpaired_ci95)}</td><td>${c.significant ? 'yes' : 'no'}</td></tr>`,
  );
  return `<table class="comparisons">${caption === '' ? '' : `<caption>${esc(caption)}</caption>`}<tr><th>metric (ms)</th><th>b − a</th><th>pairs</th><th>mean difference</th><th>ci95 (paired)</th><th>ci95 (unpaired)</th><th>significant</th></tr>\n${rows.join('\n')}\n</table>`;
}

function sectionHtml(s: ScenarioSection, i: number): string {
  const r = s.result;
  const head = `<h2 id="s${i}">${esc(s.title)}</h2><p class="meta">${esc(s.file)} · seed ${esc(String(s.seed))} · ${s.runs} replications per variant${s.complete ? '' : ' · <b>incomplete: a resource guard stopped a run</b>'}</p>`;
  if (r.points !== undefined) {
    const params = r.points.map((p) =>
      Object.entries(p.params)
        .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
        .join(', '),
    );
    const tables = r.points.map((p, j) => comparisonTable(p.comparisons, `point ${j}: ${params[j] ?? ''}`)).join('\n');
    return `${head}
<h3>Sweep: mean per point with its 95% confidence band</h3>
<div class="plots">${s.sweeps.map((_, j) => `<div class="plot sweep" id="sweep-${i}-${j}"></div>`).join('')}</div>
<h3>Paired comparisons per point</h3>
${tables}`;
  }
  return `${head}
<h3>Latency CDF per metric</h3>
<p class="note">Drawn through each variant's min, p50, p90, p95, p99 and max (the result file's order statistics).
Dashed lines: the KPIs on that metric, at their limit and percentile.</p>
<div class="plots">${s.cdfs.map((_, j) => `<div class="plot cdf" id="cdf-${i}-${j}"></div>`).join('')}</div>
${kpiTable(r.variants)}
<h3>Paired comparisons (common random numbers)</h3>
${comparisonTable(r.comparisons) || '<p class="note">No comparisons (one variant).</p>'}
<h3>Metrics</h3>
${metricTable(r.variants)}`;
}

/** JSON inside a script element: `<` escaped so no value can close the element. */
const embed = (x: unknown): string => JSON.stringify(x).replace(/</g, '\\u003c');

export function renderHtmlReport(results: readonly RunResult[], opts: { title?: string } = {}): string {
  const secs = sections(results);
  const title =
    opts.title ??
    (secs.length === 1 ? `mcsim report: ${secs[0]?.title ?? ''}` : `mcsim report: ${secs.length} results`);
  const variantsOf = (r: RunResult): string[] => [
    ...new Set([...r.variants, ...(r.points ?? []).flatMap((p) => p.variants)].map((v) => v.name)),
  ];
  const data = secs.map((s, i) => ({ index: i, variants: variantsOf(s.result), cdfs: s.cdfs, sweeps: s.sweeps }));
  const toc =
    secs.length > 1
      ? `<ul class="toc">${secs.map((s, i) => `<li><a href="#s${i}">${esc(s.title)}</a></li>`).join('')}</ul>`
      : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>${asset('uplot/dist/uPlot.min.css')}</style>
<style>
body { font-family: Helvetica, Arial, sans-serif; margin: 20px; color: #222; max-width: 1500px; }
h2 { border-bottom: 1px solid #ccc; padding-bottom: 4px; margin-top: 36px; }
.meta, .note { color: #555; font-size: 13px; }
.plots { display: flex; flex-wrap: wrap; gap: 16px; }
.plot { border: 1px solid #e3e3e3; padding: 6px; }
table { border-collapse: collapse; margin: 10px 0 18px; font-size: 13px; }
caption { text-align: left; font-weight: bold; padding: 4px 0; }
td, th { border: 1px solid #ccc; padding: 3px 8px; text-align: right; }
td:first-child, th:first-child, td:nth-child(2), th:nth-child(2) { text-align: left; }
tr.fail td { color: #c62828; font-weight: bold; }
tr.significant td { background: #fff7e0; }
</style></head><body>
<h1>${esc(title)}</h1>
<p class="meta">mcsim ${esc(results[0]?.mcsim ?? '')} · all times in ms</p>
${toc}
${secs.map(sectionHtml).join('\n')}
<script>${asset('uplot/dist/uPlot.iife.min.js')}</script>
<script id="mcsim-data" type="application/json">${embed(data)}</script>
<script>${PLOT_SCRIPT}</script>
</body></html>
`;
}
