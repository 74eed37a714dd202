/** The result document that `mcsim run --json` prints, field by field in docs/results.md. */

/**
 * What ended a replication (or a run) before its end: its event ceiling (`--max-events`), the
 * run's wall budget (`--max-wall`), a signal (SIGINT, SIGTERM) or the memory guard.
 */
export const CUT_REASONS = ['max-events', 'max-wall', 'interrupted', 'terminated', 'memory'] as const;
export type CutReason = (typeof CUT_REASONS)[number];

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
  /** The distribution: the nearest-rank percentile at every whole percent, p0 (the minimum) to p100 (the maximum). */
  quantiles: number[];
  /**
   * Where the time went: the mean over the samples of each category of their critical paths
   * (link latency by class, transmission, queueing and processing by role, crypto, waits), in
   * ms, for the categories that took time; they add up to `mean` exactly.
   */
  breakdown: Record<string, number>;
  /** The same time by procedure step (clause, step number where the clause has one, and flow), longest first. */
  steps: Record<string, number>;
}

/** One category's share of a paired difference. */
export interface CategoryDifference {
  /** Mean of b - a over the paired replications, in ms; the categories' add up to the comparison's `mean_diff`. */
  mean_diff: number;
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

/** Replications the statistics next to it are built from: those that ran to their end, and those cut short. */
export interface ReplicationCount {
  completed: number;
  cut: number;
}

export interface VariantResult {
  name: string;
  params: Record<string, unknown>;
  replications: ReplicationCount;
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
  /** The paired difference per breakdown category either variant has. */
  breakdown: Record<string, CategoryDifference>;
}

/**
 * The version of the result document's format: it changes with every change of a field's name,
 * type or meaning (docs/results.md), not with mcsim's version.
 */
export const RESULT_SCHEMA_VERSION = 2 as const;

export interface RunResult {
  mcsim: string;
  schemaVersion: typeof RESULT_SCHEMA_VERSION;
  scenario: { name: string; file: string };
  seed: number | string;
  runs: number;
  /** false when a resource guard stopped the run early. */
  complete: boolean;
  /** What cut the run (or some of its replications) short; null when nothing did. */
  stopped: CutReason | null;
  /** Replications the run was to make (every variant and point), and how many of them ran to their end or were cut. */
  replications: ReplicationCount & { planned: number };
  variants: VariantResult[];
  comparisons: Comparison[];
  /** Only with a sweep: its axes, and one entry per point, sweep by sweep, in sweep order. */
  sweeps?: SweepAxes[];
  points?: PointResult[];
  /** Only with a sweep: where each KPI that fails somewhere first fails along the first axis. */
  kpi_crossings?: KpiCrossing[];
}

/** A sweep's axes: each a parameter, or several moving together, with the values taken in order. */
export interface SweepAxes {
  name: string;
  axes: { label: string; paths: string[]; unit: string; values: unknown[][] }[];
}

/** One sweep point: its sweep, the values of the swept parameters, and the results there. */
export interface PointResult {
  sweep: string;
  /** The point's index along each axis of its sweep. */
  at: number[];
  params: Record<string, unknown>;
  variants: VariantResult[];
  comparisons: Comparison[];
}

/**
 * Where a KPI first fails as the sweep's first axis grows, the other axes held at `fixed`: the
 * first failing point, and (when a passing point precedes it and both values are numbers) the
 * value at which the KPI's percentile crosses its limit, interpolated linearly between the two.
 */
export interface KpiCrossing {
  sweep: string;
  variant: string;
  kpi: string;
  metric: string;
  percentile: number;
  limit_ms: number;
  axis: string;
  unit: string;
  /** The other axes' values (their labels), empty for a one-axis sweep. */
  fixed: Record<string, unknown>;
  first_failing: { value: unknown; value_ms: number | null };
  /** The last passing point before it, or null when the KPI fails from the first point on. */
  last_passing: { value: unknown; value_ms: number } | null;
  /** The interpolated crossing on the axis, in `unit`; null when it cannot be interpolated. */
  crossing: number | null;
}
