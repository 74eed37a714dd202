import { SERVICE_KPIS, standardKpis, type KpiSpec } from '../mc/measure/kpis.ts';
import type { Scenario } from '../scenario/format/scenario.ts';
import { parseDuration, toMs } from '../kernel/index.ts';
import { categoryMeans, stepMeans } from './breakdown/means.ts';
import type { ReplicationData } from './replication.ts';
import type { Counters, KpiVerdict, MetricSummary, ServiceKpis, VariantResult } from './result.ts';
import { ci95, mean, percentileSorted, sd } from './stats.ts';

/** Results are rounded to the nanosecond so that the JSON reads well and stays exact. */
export const round = (x: number): number => Math.round(x * 1e6) / 1e6;
const roundPair = (p: [number, number] | undefined): [number, number] | null =>
  p === undefined ? null : [round(p[0]), round(p[1])];

/** Mean latency (ms) per replication of one metric; undefined where a replication has no sample. */
export function replicationMeans(reps: readonly ReplicationData[], metric: string): (number | undefined)[] {
  return reps.map((r) => {
    const xs = r.samples.get(metric);
    return xs === undefined || xs.length === 0 ? undefined : toMs(mean(xs));
  });
}

export function summarize(reps: readonly ReplicationData[], metric: string): MetricSummary | undefined {
  const all: number[] = [];
  for (const r of reps) for (const x of r.samples.get(metric) ?? []) all.push(toMs(x));
  if (all.length === 0) return undefined;
  const sorted = [...all].sort((a, b) => a - b);
  const perRun = replicationMeans(reps, metric).filter((x): x is number => x !== undefined);
  const interval = reps.length > 1 ? ci95(perRun) : ci95(all);
  const m = round(mean(all));
  return {
    unit: 'ms',
    n: all.length,
    mean: m,
    sd: round(sd(all)),
    min: sorted[0] as number,
    p50: percentileSorted(sorted, 50),
    p90: percentileSorted(sorted, 90),
    p95: percentileSorted(sorted, 95),
    p99: percentileSorted(sorted, 99),
    max: sorted[sorted.length - 1] as number,
    ci95: roundPair(interval),
    quantiles: Array.from({ length: 101 }, (_, p) => percentileSorted(sorted, p)),
    breakdown: categoryMeans(reps, metric, all.length, m),
    steps: stepMeans(reps, metric, all.length, m),
  };
}

/**
 * What the KPI verdicts of one variant need from its scenario, as plain data so that a shard's
 * partial result carries it and `mcsim merge` judges without the scenario file.
 */
export interface KpiPlan {
  /** The standard MCPTT KPIs not replaced by a declared one; judged only where measured. */
  standard: KpiSpec[];
  declared: KpiSpec[];
}

/**
 * The scenario's own KPIs, plus the standard MCPTT ones (unless `experiment.standardKpis` is
 * false); a scenario KPI with a standard id replaces it.
 */
export function kpiPlan(scenario: Scenario): KpiPlan {
  const declared = (scenario.experiment?.kpis ?? []).map((k) => ({
    id: k.id,
    metric: k.metric,
    percentile: k.percentile ?? 95,
    limitMs: toMs(parseDuration(k.limit)),
  }));
  const standard =
    scenario.experiment?.standardKpis === false
      ? []
      : standardKpis(scenario.security?.e2ee ?? false).filter((k) => !declared.some((d) => d.id === k.id));
  return { standard, declared };
}

/** Judges the declared KPIs, and the standard ones for every metric the run measured. */
export function judgeKpis(plan: KpiPlan, reps: readonly ReplicationData[]): KpiVerdict[] {
  const measured = (metric: string): boolean => reps.some((r) => (r.samples.get(metric)?.length ?? 0) > 0);
  return [...plan.standard.filter((k) => measured(k.metric)), ...plan.declared].map((k) => {
    const all: number[] = [];
    for (const r of reps) for (const x of r.samples.get(k.metric) ?? []) all.push(toMs(x));
    all.sort((a, b) => a - b);
    const value = all.length === 0 ? null : percentileSorted(all, k.percentile);
    return {
      id: k.id,
      metric: k.metric,
      percentile: k.percentile,
      limit_ms: k.limitMs,
      value_ms: value,
      pass: value !== null && value < k.limitMs,
    };
  });
}

/**
 * The services the run measured (a metric of theirs has a sample), each with the specification
 * of its KPIs and the standard ones judged on it: none for MCVideo and MCData, whose
 * specifications set no limit on a set-up time.
 */
export function serviceKpis(plan: KpiPlan, reps: readonly ReplicationData[]): ServiceKpis[] {
  const measured = (metric: string): boolean => reps.some((r) => (r.samples.get(metric)?.length ?? 0) > 0);
  return SERVICE_KPIS.filter((s) => s.metrics.some(measured)).map((s) => ({
    service: s.service,
    spec: s.spec,
    judged: plan.standard.filter((k) => s.metrics.includes(k.metric) && measured(k.metric)).map((k) => k.id),
  }));
}

export function aggregateVariant(
  name: string,
  params: Record<string, unknown>,
  kpis: KpiPlan,
  reps: readonly ReplicationData[],
): VariantResult {
  const names = new Set<string>();
  for (const r of reps) {
    for (const m of r.samples.keys()) names.add(m);
    for (const m of r.outcomes.keys()) names.add(m);
  }
  const metrics: Record<string, MetricSummary> = {};
  const outcomes: Record<string, Record<string, number>> = {};
  for (const m of [...names].sort()) {
    const s = summarize(reps, m);
    if (s !== undefined) metrics[m] = s;
    const counts = new Map<string, number>();
    for (const r of reps) for (const [o, n] of r.outcomes.get(m) ?? []) counts.set(o, (counts.get(o) ?? 0) + n);
    if (counts.size > 0)
      outcomes[m] = Object.fromEntries(
        [...counts].sort(([a], [b]) => (a === 'success' ? -1 : b === 'success' ? 1 : a.localeCompare(b))),
      );
  }
  const counters: Counters = { events: 0, messages: 0, bytes: 0, lost: 0, retransmissions: 0 };
  for (const r of reps) for (const k of Object.keys(counters) as (keyof Counters)[]) counters[k] += r.counters[k];
  const cut = reps.filter((r) => !r.complete).length;
  return {
    name,
    params,
    replications: { completed: reps.length - cut, cut },
    metrics,
    outcomes,
    kpis: judgeKpis(kpis, reps),
    standard_kpis: serviceKpis(kpis, reps),
    counters,
  };
}
