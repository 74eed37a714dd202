import type { RunResult, SweepAxes } from '../experiment/result.ts';
import { breakdownBars, differenceBars, renderBars } from './breakdown/bars.ts';
import { renderFigure } from './figure-svg.ts';
import { ecdfFigure, sweepFigure, type Stat } from './figures.ts';
import { comparisonTable, kpiTable, metricTable, pointKpiTable, pointComparisonTable } from './html-tables.ts';
import { crossingText } from './kpi-text.ts';
import { esc } from './sequence-svg.ts';

/**
 * `mcsim report`: one self-contained HTML page of figures (inline SVG, drawn here, no script and
 * no network) and tables, per result: along each sweep, every metric's KPI percentile against the
 * limit, its mean with the 95% band, and the paired differences; without a sweep, each metric's
 * empirical CDF; and where the time goes, as stacked bars per variant (and sweep point).
 */
export interface ReportOptions {
  title?: string;
  /** A logarithmic x axis on the sweep figures. */
  xLog?: boolean;
}

const metricsOf = (r: RunResult, sweep: string): string[] =>
  [
    ...new Set(
      (r.points ?? [])
        .filter((p) => p.sweep === sweep)
        .flatMap((p) => p.variants.flatMap((v) => Object.keys(v.metrics))),
    ),
  ].sort();

/** The percentile a metric's KPIs are judged at on this sweep, else p95. */
function kpiStat(r: RunResult, sweep: string, metric: string): Stat {
  for (const p of r.points ?? [])
    if (p.sweep === sweep)
      for (const v of p.variants) for (const k of v.kpis) if (k.metric === metric) return `p${k.percentile}`;
  return 'p95';
}

function sweepSection(r: RunResult, sweep: SweepAxes, opts: ReportOptions): string {
  const crossings = (r.kpi_crossings ?? []).filter((c) => c.sweep === sweep.name);
  const verdict =
    crossings.length === 0
      ? '<p class="pass">Every KPI passes at every point of this sweep.</p>'
      : `<ul class="crossings">${crossings.map((c) => `<li>${esc(crossingText(c))}</li>`).join('')}</ul>`;
  // The metrics a KPI judges first: they answer the question the sweep asks.
  const judged = (m: string): boolean =>
    (r.points ?? []).some((p) => p.variants.some((v) => v.kpis.some((k) => k.metric === m)));
  const metrics = metricsOf(r, sweep.name).sort((a, b) => Number(judged(b)) - Number(judged(a)));
  const figures = metrics.map((metric) => {
    const stats: Stat[] = [kpiStat(r, sweep.name, metric), 'mean'];
    const hasDiff = (r.points ?? []).some(
      (p) => p.sweep === sweep.name && p.comparisons.some((c) => c.metric === metric),
    );
    if (hasDiff) stats.push('diff');
    const svgs = stats.map((stat) => renderFigure(sweepFigure(r, { sweep, metric, stat, xLog: opts.xLog === true })));
    svgs.push(renderBars(breakdownBars(r, metric, sweep)));
    if (hasDiff) svgs.push(renderBars(differenceBars(r, metric, sweep)));
    return `<h4>${esc(metric)}</h4><div class="figures">${svgs.join('\n')}</div>`;
  });
  const axes = sweep.axes.map((a) => `${esc(a.label)} (${a.values.length} values)`).join(' × ');
  return `<h3>Sweep${sweep.name === 'sweep' ? '' : ` ${esc(sweep.name)}`} over ${axes}</h3>
<h4>KPIs</h4>${verdict}
${figures.join('\n')}
<h4>KPI verdicts per point</h4>${pointKpiTable(r, sweep.name)}
<h4>Paired comparisons per point</h4>${pointComparisonTable(r, sweep.name)}`;
}

function plainSection(r: RunResult): string {
  const metrics = [...new Set(r.variants.flatMap((v) => Object.keys(v.metrics)))].sort();
  const figures = metrics.map((m) => renderFigure(ecdfFigure(r, r.variants, m)));
  const breakdowns = metrics.flatMap((m) => [
    renderBars(breakdownBars(r, m)),
    ...(r.comparisons.some((c) => c.metric === m) ? [renderBars(differenceBars(r, m))] : []),
  ]);
  return `<h3>Latency distributions</h3>
<p class="note">Each curve is a variant's empirical CDF through its 101 stored quantiles (every whole percentile);
dashed red lines mark the KPIs judged on the metric, at their limit and percentile.</p>
<div class="figures">${figures.join('\n')}</div>
<h3>Where the time goes</h3>
<p class="note">Each bar is a variant's mean, split by what its samples' critical paths spent the time on: link latency by
class, time on the wire, retransmission, queueing and processing by role, SAKKE/ECCSI work, timers, people and the radio;
the second figure of a metric splits each paired difference the same way.</p>
<div class="figures">${breakdowns.join('\n')}</div>
<h3>KPIs</h3>${kpiTable(r.variants)}
<h3>Paired comparisons (common random numbers)</h3>${comparisonTable(r.comparisons) || '<p class="note">No comparisons (one variant).</p>'}
<h3>Metrics</h3>${metricTable(r.variants)}`;
}

function resultSection(r: RunResult, i: number, opts: ReportOptions): string {
  const head = `<h2 id="s${i}">${esc(r.scenario.name)}</h2><p class="meta">${esc(r.scenario.file)} · seed ${esc(String(r.seed))} · ${r.runs} replications per variant${r.complete ? '' : ' · <b>incomplete: a resource guard stopped a run</b>'}</p>`;
  if (r.points === undefined) return head + plainSection(r);
  return head + (r.sweeps ?? []).map((s) => sweepSection(r, s, opts)).join('\n');
}

export function renderHtmlReport(results: readonly RunResult[], opts: ReportOptions = {}): string {
  const title =
    opts.title ??
    (results.length === 1
      ? `mcsim report: ${results[0]?.scenario.name ?? ''}`
      : `mcsim report: ${results.length} results`);
  const toc =
    results.length > 1
      ? `<ul class="toc">${results.map((r, i) => `<li><a href="#s${i}">${esc(r.scenario.name)}</a></li>`).join('')}</ul>`
      : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>
body { font-family: Helvetica, Arial, sans-serif; margin: 20px; color: #222; max-width: 1700px; }
h2 { border-bottom: 1px solid #ccc; padding-bottom: 4px; margin-top: 36px; }
.meta, .note { color: #555; font-size: 13px; }
.figures { display: flex; flex-wrap: wrap; gap: 12px; }
.figure { border: 1px solid #e3e3e3; }
.crossings li { color: #c62828; }
.pass { color: #2e7d32; }
table { border-collapse: collapse; margin: 10px 0 18px; font-size: 13px; }
td, th { border: 1px solid #ccc; padding: 3px 8px; text-align: right; }
td:first-child, th:first-child, td:nth-child(2), th:nth-child(2) { text-align: left; }
tr.fail td { color: #c62828; font-weight: bold; }
tr.significant td { background: #fff7e0; }
</style></head><body>
<h1>${esc(title)}</h1>
<p class="meta">mcsim ${esc(results[0]?.mcsim ?? '')} · all times in ms</p>
${toc}
${results.map((r, i) => resultSection(r, i, opts)).join('\n')}
</body></html>
`;
}
