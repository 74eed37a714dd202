import { z } from 'zod';
import type { RunResult, VariantResult } from '../experiment/result.ts';

/**
 * A baseline (e.g. baselines/ci.json) names the scenarios CI runs and what they gave last time.
 * Replications are deterministic per seed, so the expectations are exact numbers and the
 * tolerance only has to absorb intended small changes, not noise.
 */

const Tolerance = z.strictObject({
  /** Allowed change as a fraction of the expected value: 0.02 is 2 %. */
  relative: z.number().nonnegative().optional(),
  /** Allowed change in ms, whatever the relative change; the larger of the two applies. */
  absolute_ms: z.number().nonnegative().optional(),
});

const Expectation = z.strictObject({
  mean: z.number(),
  p95: z.number(),
  tolerance: Tolerance.optional(),
});

const VariantExpectation = z.strictObject({
  metrics: z.record(z.string(), Expectation),
  kpis: z.record(z.string(), z.boolean()).optional(),
});

const ScenarioEntry = z.strictObject({
  /** Relative to the baseline file's directory, so `check` works from any working directory. */
  file: z.string().min(1),
  seed: z.union([z.number(), z.string()]),
  runs: z.number().int().min(1),
  /** Overrides (path -> value) applied to the scenario; with a sweep, they name the point checked. */
  set: z.record(z.string(), z.unknown()).optional(),
  /** Expectations per variant; absent (a first baseline), every variant, filled in by `--update`. */
  variants: z.record(z.string(), VariantExpectation).optional(),
});

export const BaselineSchema = z.strictObject({
  mcsim_baseline: z.literal(1),
  tolerance: Tolerance,
  scenarios: z.array(ScenarioEntry).min(1),
});

export type Baseline = z.infer<typeof BaselineSchema>;
export type BaselineScenario = z.infer<typeof ScenarioEntry>;
export type ToleranceSpec = z.infer<typeof Tolerance>;

export class BaselineError extends Error {}

export function parseBaseline(file: string, text: string): Baseline {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new BaselineError(`${file}: JSON syntax error: ${(e as Error).message}`);
  }
  const r = BaselineSchema.safeParse(doc);
  if (!r.success) {
    const first = r.error.issues[0];
    const where = first === undefined || first.path.length === 0 ? '' : `${first.path.map(String).join('.')}: `;
    throw new BaselineError(`${file}: ${where}${first?.message ?? 'invalid baseline'}`);
  }
  return r.data;
}

export type Status = 'ok' | 'regressed' | 'improved' | 'missing' | 'new';

/** One number of one metric of one variant, before (baseline) and after (this run). */
export interface MetricRow {
  scenario: string;
  variant: string;
  metric: string;
  stat: 'mean' | 'p95';
  before: number | null;
  after: number | null;
  /** after - before as a percentage of before; null when either is missing. */
  change_pct: number | null;
  /** The largest |after - before| in ms that still passes. */
  allowed_ms: number | null;
  status: Status;
}

export interface KpiRow {
  scenario: string;
  variant: string;
  kpi: string;
  before: boolean | null;
  after: boolean | null;
  status: 'ok' | 'flipped' | 'missing' | 'new';
}

export interface CheckReport {
  metrics: MetricRow[];
  kpis: KpiRow[];
  /** Rows that fail the check: moved beyond tolerance, vanished, or a KPI verdict that flipped. */
  failures: number;
}

export function allowedMs(before: number, tol: ToleranceSpec): number {
  return Math.max((tol.relative ?? 0) * Math.abs(before), tol.absolute_ms ?? 0);
}

const pct = (before: number, after: number): number | null =>
  before === 0 ? null : Math.round(((after - before) / Math.abs(before)) * 10000) / 100;

/**
 * Compares one scenario's fresh result with its baseline entry. A metric the baseline names but the
 * run lacks fails (the procedure stopped completing); a metric only the run has is reported as new
 * and passes, since adding a measurement is no regression.
 */
export function checkScenario(entry: BaselineScenario, defaults: ToleranceSpec, result: RunResult): CheckReport {
  const metrics: MetricRow[] = [];
  const kpis: KpiRow[] = [];
  const scenario = result.scenario.name;
  for (const [variant, exp] of Object.entries(entry.variants ?? {})) {
    const got = result.variants.find((v) => v.name === variant);
    for (const [metric, e] of Object.entries(exp.metrics)) {
      const tol = { ...defaults, ...e.tolerance };
      const m = got?.metrics[metric];
      for (const stat of ['mean', 'p95'] as const) {
        const before = e[stat];
        const after = m === undefined ? null : m[stat];
        const allowed = allowedMs(before, tol);
        let status: Status = 'missing';
        if (after !== null) {
          const delta = after - before;
          status = Math.abs(delta) <= allowed + 1e-9 ? 'ok' : delta > 0 ? 'regressed' : 'improved';
        }
        metrics.push({
          scenario,
          variant,
          metric,
          stat,
          before,
          after,
          change_pct: after === null ? null : pct(before, after),
          allowed_ms: allowed,
          status,
        });
      }
    }
    for (const [metric, m] of Object.entries(got?.metrics ?? {})) {
      if (metric in exp.metrics) continue;
      for (const stat of ['mean', 'p95'] as const) {
        metrics.push({
          scenario,
          variant,
          metric,
          stat,
          before: null,
          after: m[stat],
          change_pct: null,
          allowed_ms: null,
          status: 'new',
        });
      }
    }
    const verdicts = new Map((got?.kpis ?? []).map((k) => [k.id, k.pass]));
    for (const [kpi, before] of Object.entries(exp.kpis ?? {})) {
      const after = verdicts.get(kpi) ?? null;
      kpis.push({
        scenario,
        variant,
        kpi,
        before,
        after,
        status: after === null ? 'missing' : after === before ? 'ok' : 'flipped',
      });
    }
    for (const [kpi, after] of verdicts) {
      if (!(kpi in (exp.kpis ?? {}))) kpis.push({ scenario, variant, kpi, before: null, after, status: 'new' });
    }
  }
  return { metrics, kpis, failures: countFailures(metrics, kpis) };
}

/**
 * An improvement beyond tolerance fails too: the baseline no longer describes the code, and a
 * silent speed-up often means a step stopped happening. `--update` accepts it.
 */
function countFailures(metrics: readonly MetricRow[], kpis: readonly KpiRow[]): number {
  return (
    metrics.filter((r) => r.status === 'regressed' || r.status === 'improved' || r.status === 'missing').length +
    kpis.filter((k) => k.status === 'flipped' || k.status === 'missing').length
  );
}

export function mergeReports(reports: readonly CheckReport[]): CheckReport {
  const metrics = reports.flatMap((r) => r.metrics);
  const kpis = reports.flatMap((r) => r.kpis);
  return { metrics, kpis, failures: countFailures(metrics, kpis) };
}

/** Exit code of `mcsim check` (docs/results.md, Exit codes): 1 when anything failed. */
export const checkExitCode = (r: CheckReport): number => (r.failures > 0 ? 1 : 0);

function variantExpectation(
  v: VariantResult,
  previous: z.infer<typeof VariantExpectation> | undefined,
): z.infer<typeof VariantExpectation> {
  const metrics: Record<string, z.infer<typeof Expectation>> = {};
  for (const [name, m] of Object.entries(v.metrics)) {
    const tol = previous?.metrics[name]?.tolerance;
    metrics[name] = { mean: m.mean, p95: m.p95, ...(tol === undefined ? {} : { tolerance: tol }) };
  }
  return { metrics, kpis: Object.fromEntries(v.kpis.map((k) => [k.id, k.pass])) };
}

/**
 * The baseline with every expectation replaced by this run's numbers; tolerances and the scenario
 * list stay. An entry that names no variants gets every variant the run has.
 */
export function updatedBaseline(baseline: Baseline, results: readonly RunResult[]): Baseline {
  return {
    ...baseline,
    scenarios: baseline.scenarios.map((s, i) => {
      const r = results[i] as RunResult;
      const variants: Record<string, z.infer<typeof VariantExpectation>> = {};
      for (const name of s.variants === undefined ? r.variants.map((v) => v.name) : Object.keys(s.variants)) {
        const v = r.variants.find((x) => x.name === name);
        if (v !== undefined) variants[name] = variantExpectation(v, s.variants?.[name]);
      }
      return { ...s, variants };
    }),
  };
}

/** Tolerance of a new baseline: 2% or 0.5 ms, whichever is larger. */
export const DEFAULT_TOLERANCE = { relative: 0.02, absolute_ms: 0.5 } as const;

export const renderBaseline = (b: Baseline): string => `${JSON.stringify(b, null, 2)}\n`;
