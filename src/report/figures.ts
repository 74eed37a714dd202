import type { MetricSummary, PointResult, RunResult, SweepAxes, VariantResult } from '../experiment/result.ts';
import { numericValue } from '../scenario/format/quantities.ts';
import type { FigureSpec, LegendEntry, RefLine, Series } from './figure-svg.ts';

/**
 * The figures of a result: along each sweep, a metric's percentile against the swept value with
 * the KPI limit, its mean with the 95% confidence band, and the paired difference between
 * variants with its band; without a sweep, each metric's empirical CDF. One colour per variant
 * throughout a result, one line style per value of a sweep's second axis.
 */

export type Stat = 'mean' | 'diff' | `p${number}`;

const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf'];
const DASHES = [undefined, '7 4', '2 3', '9 3 2 3', '4 4'];

/** A swept value as a label: a string as written, an object in compact flow style. */
export const valueLabel = (v: unknown): string =>
  typeof v === 'string'
    ? v
    : JSON.stringify(v)
        .replace(/"([^"]*)"/g, '$1')
        .replace(/,/g, ', ')
        .replace(/:/g, ': ');

/** A sweep point as a label, `name=value` for each swept parameter; '' for no point. */
export const pointLabel = (params: Record<string, unknown>, separator = ' '): string =>
  Object.entries(params)
    .map(([k, v]) => `${k}=${valueLabel(v)}`)
    .join(separator);

function variantColors(result: RunResult): (name: string) => string {
  const names = [
    ...new Set([...result.variants, ...(result.points ?? []).flatMap((p) => p.variants)].map((v) => v.name)),
  ];
  return (name) => COLORS[Math.max(0, names.indexOf(name)) % COLORS.length] as string;
}

/** The value of `stat` of a metric: a percentile from its distribution, or its mean. */
function statOf(m: MetricSummary | undefined, stat: Stat): number | null {
  if (m === undefined) return null;
  if (stat === 'mean') return m.mean;
  const p = Number(stat.slice(1));
  return m.quantiles[Math.round(p)] ?? null;
}

interface Line {
  label: string;
  /** Index of the value of the sweep's second axis (0 with one axis). */
  style: number;
  points: PointResult[];
}

/** A sweep's points in lines along its first axis, one per value of the other axes. */
function linesOf(sweep: SweepAxes, points: readonly PointResult[]): Line[] {
  const lines = new Map<string, Line>();
  for (const p of points) {
    if (p.sweep !== sweep.name) continue;
    const key = JSON.stringify(p.at.slice(1));
    let line = lines.get(key);
    if (line === undefined) {
      const label = sweep.axes
        .slice(1)
        .map((a, k) => `${a.label}=${valueLabel(a.values[p.at[k + 1] as number]?.[0])}`)
        .join(', ');
      lines.set(key, (line = { label, style: lines.size, points: [] }));
    }
    line.points.push(p);
  }
  return [...lines.values()];
}

/** The x axis of a sweep: numeric when every value of its first axis is, else its values in order. */
function xAxisOf(sweep: SweepAxes): { x: (p: PointResult) => number; label: string; categories?: string[] } {
  const axis = sweep.axes[0];
  const values = axis?.values.map((row) => row[0]) ?? [];
  const numeric = values.map(numericValue);
  const unit = axis?.unit === '/s' ? ' (per second)' : axis?.unit ? ` (${axis.unit})` : '';
  if (numeric.every((n) => n !== undefined))
    return { x: (p) => numeric[p.at[0] as number]?.x as number, label: `${axis?.label ?? ''}${unit}` };
  return { x: (p) => p.at[0] as number, label: axis?.label ?? '', categories: values.map(valueLabel) };
}

export interface SweepFigureRequest {
  sweep: SweepAxes;
  metric: string;
  stat: Stat;
  xLog?: boolean;
}

/** One figure along a sweep: a statistic of a metric per variant, or (`diff`) the paired differences. */
export function sweepFigure(result: RunResult, req: SweepFigureRequest): FigureSpec {
  const color = variantColors(result);
  const axis = xAxisOf(req.sweep);
  const lines = linesOf(req.sweep, result.points ?? []);
  const series: Series[] = [];
  const legend: LegendEntry[] = [];
  const names = new Set<string>();
  const drawn: { name: string; key: string }[] = [];
  for (const line of lines) {
    for (const [name, pick] of groupsOf(line.points, req)) {
      const points = line.points.map((p) => ({ x: axis.x(p), ...pick(p) }));
      if (points.every((pt) => pt.y === null)) continue;
      // A difference b - a takes the colour of b, the variant it measures against a.
      const base = req.stat === 'diff' ? (name.split(' − ')[0] as string) : name;
      const dash = DASHES[line.style % DASHES.length];
      // A curve equal to one drawn already would hide it: say so in its label, and dot it.
      const key = JSON.stringify(points.map(({ x, y }) => ({ x, y })));
      const same = drawn.find((d) => d.key === key && d.name !== name);
      drawn.push({ name, key });
      const entry = same === undefined ? name : `${name} (same as ${same.name})`;
      series.push({
        label: [entry, line.label].filter(Boolean).join(', '),
        color: color(base),
        ...(same !== undefined ? { dash: '2 3' } : dash === undefined ? {} : { dash }),
        points: points.map(({ x, y }) => ({ x, y })),
        ...(points.some((pt) => pt.lo !== undefined)
          ? { band: points.map(({ lo, hi }) => ({ lo: lo ?? null, hi: hi ?? null })) }
          : {}),
      });
      if (!names.has(entry))
        legend.push({ label: entry, color: color(base), ...(same === undefined ? {} : { dash: '2 3' }) });
      names.add(entry);
    }
  }
  for (const l of lines.length > 1 ? lines : []) {
    const dash = DASHES[l.style % DASHES.length];
    legend.push({ label: l.label, color: '#555', ...(dash === undefined ? {} : { dash }) });
  }
  const refs = req.stat === 'diff' ? [zeroLine()] : kpiRefs(result, req);
  for (const r of refs) legend.push({ label: r.label, color: r.color, dash: '6 4' });
  const what =
    req.stat === 'diff' ? 'paired difference (b − a) with 95% CI' : req.stat === 'mean' ? 'mean with 95% CI' : req.stat;
  return {
    title: `${req.metric}: ${what}${req.sweep.name === 'sweep' ? '' : ` (sweep ${req.sweep.name})`}`,
    xLabel: axis.label,
    yLabel: `${req.metric} ${req.stat === 'diff' ? 'difference' : req.stat} (ms)`,
    ...(req.xLog === true ? { xLog: true } : {}),
    ...(axis.categories === undefined ? {} : { xCategories: axis.categories }),
    series,
    refs,
    legend,
    data: {
      kind: req.stat === 'diff' ? 'difference' : req.stat === 'mean' ? 'mean' : 'percentile',
      metric: req.metric,
      sweep: req.sweep.name,
      stat: req.stat,
    },
  };
}

type Pick = (p: PointResult) => { y: number | null; lo?: number | null; hi?: number | null };

/** The curves of a line: per variant (a statistic), or per compared pair (`diff`). */
function groupsOf(points: readonly PointResult[], req: SweepFigureRequest): [string, Pick][] {
  if (req.stat === 'diff') {
    const pairs = [
      ...new Set(
        points.flatMap((p) => p.comparisons.filter((c) => c.metric === req.metric).map((c) => `${c.b} − ${c.a}`)),
      ),
    ];
    return pairs.map((pair): [string, Pick] => [
      pair,
      (p) => {
        const c = p.comparisons.find((x) => x.metric === req.metric && `${x.b} − ${x.a}` === pair);
        return { y: c?.mean_diff ?? null, lo: c?.ci95?.[0] ?? null, hi: c?.ci95?.[1] ?? null };
      },
    ]);
  }
  const names = [
    ...new Set(points.flatMap((p) => p.variants.filter((v) => v.metrics[req.metric] !== undefined).map((v) => v.name))),
  ];
  return names.map((name): [string, Pick] => [
    name,
    (p) => {
      const m = p.variants.find((v) => v.name === name)?.metrics[req.metric];
      if (req.stat !== 'mean') return { y: statOf(m, req.stat) };
      return { y: m?.mean ?? null, lo: m?.ci95?.[0] ?? null, hi: m?.ci95?.[1] ?? null };
    },
  ]);
}

const zeroLine = (): RefLine => ({ axis: 'y', value: 0, label: 'no difference', color: '#777', kind: 'zero' });

const at = (c: { value: number; unit: string }): string =>
  `${Math.round(c.value * 10) / 10}${c.unit === '/s' ? '/s' : c.unit ? ` ${c.unit}` : ''}`;

/** The KPI limits judged at this percentile on this metric, and where each was crossed. */
function kpiRefs(result: RunResult, req: SweepFigureRequest): RefLine[] {
  if (req.stat === 'mean' || req.stat === 'diff') return [];
  const p = Number(req.stat.slice(1));
  const kpis = new Map<string, { id: string; limit: number }>();
  for (const pt of result.points ?? [])
    for (const v of pt.variants)
      for (const k of v.kpis)
        if (k.metric === req.metric && k.percentile === p)
          kpis.set(`${k.id}|${k.limit_ms}`, { id: k.id, limit: k.limit_ms });
  const refs: RefLine[] = [...kpis.values()].map((k) => ({
    axis: 'y',
    value: k.limit,
    label: `${k.id} limit: p${p} < ${k.limit} ms`,
    color: '#c62828',
    kind: 'limit',
  }));
  // Variants that cross at the same value share one line, labelled with all their names.
  const crossings = new Map<string, { kpi: string; value: number; unit: string; variants: string[] }>();
  for (const c of result.kpi_crossings ?? [])
    if (
      c.sweep === req.sweep.name &&
      c.metric === req.metric &&
      c.percentile === p &&
      c.crossing !== null &&
      req.sweep.axes.length === 1
    ) {
      const key = `${c.kpi}|${c.crossing}`;
      const seen = crossings.get(key);
      if (seen === undefined)
        crossings.set(key, { kpi: c.kpi, value: c.crossing, unit: c.unit, variants: [c.variant] });
      else seen.variants.push(c.variant);
    }
  for (const c of crossings.values())
    refs.push({
      axis: 'x',
      value: c.value,
      label: `${c.kpi} crossed at ${at(c)} (${c.variants.join(', ')})`,
      tag: `${c.kpi} at ${at(c)}`,
      color: '#c62828',
      kind: 'crossing',
    });
  return refs;
}

/** The empirical CDF of a metric per variant, from its 101 quantiles, with its KPIs marked. */
export function ecdfFigure(
  result: RunResult,
  variants: readonly VariantResult[],
  metric: string,
  xLog = false,
): FigureSpec {
  const color = variantColors(result);
  const series: Series[] = variants
    .filter((v) => v.metrics[metric] !== undefined)
    .map((v) => ({
      label: v.name,
      color: color(v.name),
      step: true,
      points: (v.metrics[metric] as MetricSummary).quantiles.map((q, p) => ({ x: q, y: p / 100 })),
    }));
  const refs: RefLine[] = [];
  for (const k of new Map(
    variants.flatMap((v) => v.kpis.filter((x) => x.metric === metric).map((x) => [x.id, x] as const)),
  ).values()) {
    refs.push({
      axis: 'x',
      value: k.limit_ms,
      label: `${k.id} limit ${k.limit_ms} ms`,
      color: '#c62828',
      kind: 'limit',
    });
    refs.push({
      axis: 'y',
      value: k.percentile / 100,
      label: `p${k.percentile}`,
      color: '#c62828',
      kind: 'percentile',
    });
  }
  return {
    title: `${metric}: empirical CDF`,
    xLabel: `${metric} (ms)`,
    yLabel: 'fraction of samples ≤ x',
    ...(xLog ? { xLog: true } : {}),
    yDomain: [0, 1],
    series,
    refs,
    legend: [
      ...series.map((s) => ({ label: s.label, color: s.color })),
      ...refs.filter((r) => r.kind === 'limit').map((r) => ({ label: r.label, color: r.color, dash: '6 4' })),
    ],
    data: { kind: 'ecdf', metric },
  };
}
