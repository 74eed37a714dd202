import type { MetricSummary, PointResult, RunResult, VariantResult } from '../experiment/result.ts';
import { parseDuration } from '../kernel/index.ts';

/**
 * What the HTML report plots, computed here in plain TypeScript (and tested without a browser);
 * the page's script only hands these arrays to uPlot.
 */

/** The empirical CDF as far as a result document knows it: its order statistics. */
export interface CdfSeries {
  variant: string;
  /** Latency in ms at cumulative probability `p`. */
  x: number[];
  p: number[];
}

export interface KpiLine {
  id: string;
  variant: string;
  percentile: number;
  limit_ms: number;
  value_ms: number | null;
  pass: boolean;
}

export interface CdfPlot {
  metric: string;
  series: CdfSeries[];
  kpis: KpiLine[];
}

export interface SweepSeries {
  label: string;
  mean: (number | null)[];
  lo: (number | null)[];
  hi: (number | null)[];
}

export interface SweepPlot {
  metric: string;
  /** The swept parameter on the x axis and its unit ('ms' for durations, '' otherwise). */
  xLabel: string;
  x: number[];
  /** Tick labels when the parameter is not a number (x is then the point index). */
  xTicks: string[] | null;
  series: SweepSeries[];
}

export interface ScenarioSection {
  title: string;
  file: string;
  seed: number | string;
  runs: number;
  complete: boolean;
  result: RunResult;
  cdfs: CdfPlot[];
  sweeps: SweepPlot[];
}

const STATS: [keyof MetricSummary, number][] = [
  ['min', 0],
  ['p50', 0.5],
  ['p90', 0.9],
  ['p95', 0.95],
  ['p99', 0.99],
  ['max', 1],
];

/**
 * The result JSON keeps percentiles, not samples, so the CDF is drawn through them: exact at
 * each plotted point (nearest-rank percentiles are observed samples), straight lines between.
 */
export function cdfOf(variant: string, m: MetricSummary): CdfSeries {
  const x: number[] = [];
  const p: number[] = [];
  for (const [k, q] of STATS) {
    x.push(m[k] as number);
    p.push(q);
  }
  return { variant, x, p };
}

export function cdfPlots(variants: readonly VariantResult[]): CdfPlot[] {
  const metrics = [...new Set(variants.flatMap((v) => Object.keys(v.metrics)))].sort();
  return metrics.map((metric) => ({
    metric,
    series: variants
      .filter((v) => v.metrics[metric] !== undefined)
      .map((v) => cdfOf(v.name, v.metrics[metric] as MetricSummary)),
    kpis: variants.flatMap((v) =>
      v.kpis
        .filter((k) => k.metric === metric)
        .map((k) => ({
          id: k.id,
          variant: v.name,
          percentile: k.percentile,
          limit_ms: k.limit_ms,
          value_ms: k.value_ms,
          pass: k.pass,
        })),
    ),
  }));
}

/** A swept value as a number on the axis: durations in ms, numbers as they are, anything else none. */
export function numericValue(v: unknown): number | null {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    try {
      return parseDuration(v) / 1000;
    } catch {
      return null;
    }
  }
  return null;
}

const show = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));

/**
 * One plot per metric. The first swept parameter is the x axis; each variant (and each value of
 * any other swept parameter) is one curve of means with its ci95 band.
 */
export function sweepPlots(points: readonly PointResult[]): SweepPlot[] {
  const paths = Object.keys(points[0]?.params ?? {});
  const xPath = paths[0];
  if (xPath === undefined) return [];
  const valueOf = (s: string): number | null =>
    numericValue(points.find((p) => show(p.params[xPath]) === s)?.params[xPath]);
  const distinct = [...new Set(points.map((p) => show(p.params[xPath])))];
  const numeric = distinct.every((s) => valueOf(s) !== null);
  // uPlot wants x ascending; a sweep list may be written in any order.
  const xs = numeric ? distinct.sort((a, b) => (valueOf(a) as number) - (valueOf(b) as number)) : distinct;
  const raw = xs.map(valueOf);
  const isDuration = numeric && points.some((p) => typeof p.params[xPath] === 'string');
  const metrics = [...new Set(points.flatMap((p) => p.variants.flatMap((v) => Object.keys(v.metrics))))].sort();
  const rest = (p: PointResult): string =>
    paths
      .slice(1)
      .map((k) => `${k}=${show(p.params[k])}`)
      .join(', ');
  return metrics.map((metric) => {
    const series = new Map<string, SweepSeries>();
    points.forEach((p) => {
      const xi = xs.indexOf(show(p.params[xPath]));
      for (const v of p.variants) {
        const label = [v.name, rest(p)].filter((s) => s !== '').join(', ');
        let s = series.get(label);
        if (s === undefined) {
          s = { label, mean: xs.map(() => null), lo: xs.map(() => null), hi: xs.map(() => null) };
          series.set(label, s);
        }
        const m = v.metrics[metric];
        if (m === undefined) continue;
        s.mean[xi] = m.mean;
        s.lo[xi] = m.ci95?.[0] ?? null;
        s.hi[xi] = m.ci95?.[1] ?? null;
      }
    });
    return {
      metric,
      xLabel: `${xPath}${isDuration ? ' (ms)' : ''}`,
      x: numeric ? (raw as number[]) : xs.map((_, i) => i),
      xTicks: numeric ? null : xs,
      series: [...series.values()],
    };
  });
}

export function sections(results: readonly RunResult[]): ScenarioSection[] {
  return results.map((r) => ({
    title: r.scenario.name,
    file: r.scenario.file,
    seed: r.seed,
    runs: r.runs,
    complete: r.complete,
    result: r,
    cdfs: r.points === undefined ? cdfPlots(r.variants) : [],
    sweeps: r.points === undefined ? [] : sweepPlots(r.points),
  }));
}
