/** The result document that `mcsim run --json` prints, field by field in docs/results.md. */

export interface MetricSummary {
  unit: 'ms';
  n: number;
  mean: number;
  sd: number;
  min: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  max: number;
  /** t interval of the mean over replication means (over samples with one replication); null below two. */
  ci95: [number, number] | null;
}

export interface KpiVerdict {
  id: string;
  metric: string;
  percentile: number;
  limit_ms: number;
  /** null when the metric has no successful sample: the KPI cannot pass. */
  value_ms: number | null;
  pass: boolean;
}

/** For one service a variant measured: the specification its KPIs come from and the standard ones judged. */
export interface ServiceKpis {
  service: string;
  spec: string;
  /** Ids of the standard KPIs judged on this service's metrics; empty where the spec defines none. */
  judged: string[];
}

export interface Counters {
  events: number;
  messages: number;
  bytes: number;
  lost: number;
  retransmissions: number;
}

export interface VariantResult {
  name: string;
  params: Record<string, unknown>;
  metrics: Record<string, MetricSummary>;
  outcomes: Record<string, Record<string, number>>;
  kpis: KpiVerdict[];
  /** The services measured, each with the standard KPIs that applied to it. */
  standard_kpis: ServiceKpis[];
  counters: Counters;
}

export interface Comparison {
  metric: string;
  a: string;
  b: string;
  /** Mean of b - a over paired replications, in ms. */
  mean_diff: number;
  ci95: [number, number] | null;
  paired: true;
  /** The Welch interval from the same runs treated as independent, for contrast. */
  unpaired_ci95: [number, number] | null;
  significant: boolean;
  n: number;
}

export interface RunResult {
  mcsim: string;
  scenario: { name: string; file: string };
  seed: number | string;
  runs: number;
  /** false when a resource guard stopped the run early. */
  complete: boolean;
  variants: VariantResult[];
  comparisons: Comparison[];
  /** Only for a scenario with `experiment.sweep`: one entry per point, in sweep order. */
  points?: PointResult[];
}

/** One sweep point: the values of the swept parameters and the results there. */
export interface PointResult {
  params: Record<string, unknown>;
  variants: VariantResult[];
  comparisons: Comparison[];
}
