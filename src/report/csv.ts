import type { Comparison, MetricSummary, RunResult, VariantResult } from '../experiment/result.ts';

/**
 * Tidy CSV for pandas and R: one row per (scenario, sweep point, variant, metric, KPI). Sweep
 * parameters get one column each, named by their path; the point columns are absent when no
 * result has a sweep. Latencies are in ms; an empty cell means "no value" (ci95 below two runs).
 * The KPI columns give the verdict of a KPI judged on the row's metric (empty when none is); a
 * metric judged by two KPIs has a row for each.
 */

const STATS = ['n', 'mean', 'sd', 'ci95_lo', 'ci95_hi', 'p50', 'p90', 'p95', 'p99', 'min', 'max'] as const;
const KPI_COLUMNS = ['kpi', 'kpi_percentile', 'kpi_value_ms', 'kpi_limit_ms', 'kpi_pass'] as const;

export function csvField(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const line = (cells: unknown[]): string => `${cells.map(csvField).join(',')}\n`;

function statCells(m: MetricSummary): unknown[] {
  return [m.n, m.mean, m.sd, m.ci95?.[0], m.ci95?.[1], m.p50, m.p90, m.p95, m.p99, m.min, m.max];
}

interface Block<T> {
  result: RunResult;
  sweep: string | undefined;
  point: number | undefined;
  params: Record<string, unknown>;
  items: T[];
}

export function blocks<T>(
  results: readonly RunResult[],
  pick: (g: { variants: VariantResult[]; comparisons: Comparison[] }) => T[],
): Block<T>[] {
  return results.flatMap((result): Block<T>[] =>
    result.points === undefined
      ? [{ result, sweep: undefined, point: undefined, params: {}, items: pick(result) }]
      : result.points.map((p, i) => ({ result, sweep: p.sweep, point: i, params: p.params, items: pick(p) })),
  );
}

function paramColumns(results: readonly RunResult[]): string[] {
  const cols = new Set<string>();
  for (const r of results) for (const p of r.points ?? []) for (const k of Object.keys(p.params)) cols.add(k);
  return [...cols];
}

/**
 * The leading columns of a row: the scenario and, when any result has a sweep, the point (with
 * its sweep when a result has more than one) and the value of each swept parameter.
 */
export function leadColumns(results: readonly RunResult[]): {
  head: string[];
  lead: (b: Block<unknown>) => unknown[];
} {
  const params = paramColumns(results);
  const swept = results.some((r) => r.points !== undefined);
  const sweeps = results.some((r) => (r.sweeps?.length ?? 0) > 1);
  return {
    head: ['scenario', ...(swept ? [...(sweeps ? ['sweep'] : []), 'point', ...params] : [])],
    lead: (b) => [
      b.result.scenario.name,
      ...(swept ? [...(sweeps ? [b.sweep] : []), b.point, ...params.map((p) => b.params[p])] : []),
    ],
  };
}

export function renderCsv(results: readonly RunResult[]): string {
  const columns = leadColumns(results);
  let out = line([...columns.head, 'variant', 'metric', 'unit', ...STATS, ...KPI_COLUMNS]);
  for (const b of blocks(results, (g) => g.variants)) {
    const lead = columns.lead(b);
    for (const v of b.items)
      for (const [metric, m] of Object.entries(v.metrics)) {
        const kpis = v.kpis.filter((k) => k.metric === metric);
        const cells =
          kpis.length === 0
            ? [KPI_COLUMNS.map(() => undefined)]
            : kpis.map((k) => [k.id, k.percentile, k.value_ms, k.limit_ms, k.pass]);
        for (const kpi of cells) out += line([...lead, v.name, metric, m.unit, ...statCells(m), ...kpi]);
      }
  }
  return out;
}

/** The comparisons in the same tidy shape: one row per (scenario, point, pair, metric). */
export function renderComparisonsCsv(results: readonly RunResult[]): string {
  const params = paramColumns(results);
  const swept = results.some((r) => r.points !== undefined);
  const head = [
    'scenario',
    ...(swept ? ['point', ...params] : []),
    'a',
    'b',
    'metric',
    'n',
    'mean_diff',
    'ci95_lo',
    'ci95_hi',
    'unpaired_ci95_lo',
    'unpaired_ci95_hi',
    'significant',
  ];
  let out = line(head);
  for (const b of blocks(results, (g) => g.comparisons)) {
    const lead = [b.result.scenario.name, ...(swept ? [b.point, ...params.map((p) => b.params[p])] : [])];
    for (const c of b.items) {
      out += line([
        ...lead,
        c.a,
        c.b,
        c.metric,
        c.n,
        c.mean_diff,
        c.ci95?.[0],
        c.ci95?.[1],
        c.unpaired_ci95?.[0],
        c.unpaired_ci95?.[1],
        c.significant,
      ]);
    }
  }
  return out;
}
