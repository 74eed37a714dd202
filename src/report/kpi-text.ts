import type { KpiCrossing, KpiVerdict, RunResult } from '../experiment/result.ts';

const ms = (x: number | null): string => (x === null ? 'no sample' : `${Number.isInteger(x) ? x : x.toFixed(3)} ms`);
const shown = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));

/** `KPI2 (private_call.setup p95 < 1000 ms)`. */
export const kpiName = (k: Pick<KpiVerdict, 'id' | 'metric' | 'percentile' | 'limit_ms'>): string =>
  `${k.id} (${k.metric} p${k.percentile} < ${k.limit_ms} ms)`;

/** One KPI verdict: `KPI2 (private_call.setup p95 < 1000 ms): 382.562 ms PASS`. */
const verdictText = (k: KpiVerdict): string => `${kpiName(k)}: ${ms(k.value_ms)} ${k.pass ? 'PASS' : 'FAIL'}`;

/** Where a KPI first fails along a sweep's axis, and where its percentile crosses the limit. */
export function crossingText(c: KpiCrossing): string {
  const fixed = Object.entries(c.fixed)
    .map(([k, v]) => `${k}=${shown(v)}`)
    .join(', ');
  const head = `${kpiName({ id: c.kpi, metric: c.metric, percentile: c.percentile, limit_ms: c.limit_ms })} in ${c.variant}${fixed ? ` at ${fixed}` : ''}`;
  const fails = `first fails at ${c.axis}=${shown(c.first_failing.value)} (${ms(c.first_failing.value_ms)})`;
  if (c.last_passing === null) return `${head}: ${fails}, the first point of the sweep`;
  const between = `between ${shown(c.last_passing.value)} (${ms(c.last_passing.value_ms)}) and ${shown(c.first_failing.value)}`;
  return c.crossing === null
    ? `${head}: ${fails}; passes at ${between}`
    : `${head}: ${fails}; crosses the limit at ${Number(c.crossing.toFixed(1))}${c.unit === '/s' ? '/s' : c.unit === '' ? '' : ` ${c.unit}`}, ${between}`;
}

/**
 * The failing KPIs of a result in a few lines, for stderr: with a sweep, where each first fails
 * (and how many points fail); without, each failing verdict per variant.
 */
export function kpiFailures(result: RunResult): string[] {
  if (result.points !== undefined) {
    return (result.kpi_crossings ?? []).map((c) => {
      const failing = result.points?.filter(
        (p) =>
          p.sweep === c.sweep &&
          p.variants.some((v) => v.name === c.variant && v.kpis.some((k) => k.id === c.kpi && !k.pass)),
      ).length;
      return `${crossingText(c)}; fails at ${failing} point${failing === 1 ? '' : 's'} of sweep "${c.sweep}"`;
    });
  }
  return result.variants.flatMap((v) => v.kpis.filter((k) => !k.pass).map((k) => `${verdictText(k)} in ${v.name}`));
}
