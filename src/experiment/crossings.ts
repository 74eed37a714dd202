import { numericValue } from '../scenario/format/quantities.ts';
import { round } from './aggregate.ts';
import type { KpiCrossing, KpiVerdict, PointResult, SweepAxes } from './result.ts';

/**
 * Where each KPI first fails along the first axis of each sweep, for every variant and every
 * combination of the other axes' values: the first failing point, the last passing point before
 * it, and the crossing interpolated between them. A KPI that passes at every point has none.
 */
export function kpiCrossings(sweeps: readonly SweepAxes[], points: readonly PointResult[]): KpiCrossing[] {
  const out: KpiCrossing[] = [];
  for (const sweep of sweeps) {
    const axis = sweep.axes[0];
    if (axis === undefined) continue;
    // The points of this sweep in lines along the first axis, one line per value of the others.
    const lines = new Map<string, PointResult[]>();
    for (const p of points) {
      if (p.sweep !== sweep.name) continue;
      const key = JSON.stringify(p.at.slice(1));
      const line = lines.get(key) ?? [];
      line[p.at[0] as number] = p;
      lines.set(key, line);
    }
    for (const line of lines.values()) {
      const first = line.find((p) => p !== undefined);
      if (first === undefined) continue;
      const fixed = Object.fromEntries(
        sweep.axes.slice(1).map((a, k) => [a.label, a.values[first.at[k + 1] as number]?.[0]]),
      );
      for (const v of first.variants) {
        for (const k of v.kpis) {
          const crossing = crossingOf(line, axis.paths[0] as string, v.name, k.id);
          if (crossing !== undefined)
            out.push({
              sweep: sweep.name,
              variant: v.name,
              ...kpiHead(k),
              axis: axis.label,
              unit: axis.unit,
              fixed,
              ...crossing,
            });
        }
      }
    }
  }
  return out;
}

const kpiHead = (k: KpiVerdict) => ({ kpi: k.id, metric: k.metric, percentile: k.percentile, limit_ms: k.limit_ms });

/** The first failing point of one variant's KPI along a line, with the crossing before it. */
function crossingOf(
  line: readonly (PointResult | undefined)[],
  path: string,
  variant: string,
  kpi: string,
): Pick<KpiCrossing, 'first_failing' | 'last_passing' | 'crossing'> | undefined {
  let previous: { value: unknown; value_ms: number } | null = null;
  for (const p of line) {
    const verdict = p?.variants.find((v) => v.name === variant)?.kpis.find((k) => k.id === kpi);
    if (p === undefined || verdict === undefined) continue;
    const value = p.params[path];
    if (verdict.pass) {
      previous = { value, value_ms: verdict.value_ms as number };
      continue;
    }
    const failing = { value, value_ms: verdict.value_ms };
    return {
      first_failing: failing,
      last_passing: previous,
      crossing: interpolate(previous, failing, verdict.limit_ms),
    };
  }
  return undefined;
}

function interpolate(
  a: { value: unknown; value_ms: number } | null,
  b: { value: unknown; value_ms: number | null },
  limit: number,
): number | null {
  if (a === null || b.value_ms === null) return null;
  const xa = numericValue(a.value);
  const xb = numericValue(b.value);
  if (xa === undefined || xb === undefined || b.value_ms === a.value_ms) return null;
  return round(xa.x + ((limit - a.value_ms) * (xb.x - xa.x)) / (b.value_ms - a.value_ms));
}
