import { z } from 'zod';
import { CUT_REASONS, RESULT_SCHEMA_VERSION, type RunResult } from '../experiment/result.ts';

/**
 * The result document as a zod schema: `mcsim schema --result` prints its JSON Schema, and tests
 * validate every bundled scenario's result against it. The type check at the end keeps it equal
 * to the RunResult interface the code builds, field for field.
 */

const Interval = z.tuple([z.number(), z.number()]).nullable();

const MetricSummarySchema = z.strictObject({
  unit: z.literal('ms'),
  n: z.int().min(1),
  mean: z.number(),
  sd: z.number().min(0),
  min: z.number(),
  p50: z.number(),
  p90: z.number(),
  p95: z.number(),
  p99: z.number(),
  max: z.number(),
  ci95: Interval.describe('95% interval of the mean; null below two values'),
  quantiles: z.array(z.number()).length(101).describe('nearest-rank percentiles p0 (min) to p100 (max)'),
  breakdown: z
    .record(z.string(), z.number().min(0))
    .describe(
      'mean ms per category of the critical path (links, transmission, queueing, processing, crypto, waits); they add up to mean',
    ),
  steps: z.record(z.string(), z.number().min(0)).describe('the same time by procedure step, longest first'),
});

const CategoryDifferenceSchema = z.strictObject({
  mean_diff: z.number().describe('mean of b - a of the category over paired replications, ms'),
  ci95: Interval,
});

const KpiVerdictSchema = z.strictObject({
  id: z.string(),
  metric: z.string(),
  percentile: z.number(),
  limit_ms: z.number(),
  value_ms: z.number().nullable(),
  pass: z.boolean(),
});

const CountersSchema = z.strictObject({
  events: z.int().min(0),
  messages: z.int().min(0),
  bytes: z.number().min(0),
  lost: z.int().min(0),
  retransmissions: z.int().min(0),
});

const ReplicationCountSchema = z.strictObject({
  completed: z.int().min(0).describe('replications that ran to their end'),
  cut: z.int().min(0).describe('replications cut short by a guard or a signal, kept with what they measured'),
});

const VariantResultSchema = z.strictObject({
  name: z.string(),
  params: z.record(z.string(), z.unknown()).describe('the overrides of the variant, path -> value'),
  replications: ReplicationCountSchema.describe('the replications its statistics are built from'),
  metrics: z.record(z.string(), MetricSummarySchema),
  outcomes: z.record(z.string(), z.record(z.string(), z.int().min(0))),
  kpis: z.array(KpiVerdictSchema),
  standard_kpis: z
    .array(
      z.strictObject({
        service: z.string(),
        spec: z.string().describe('the specification whose KPIs apply to the service'),
        judged: z.array(z.string()).describe('ids of the standard KPIs judged; empty where the spec defines none'),
      }),
    )
    .describe('which standard KPIs applied to each service the variant measured'),
  counters: CountersSchema,
});

const ComparisonSchema = z.strictObject({
  metric: z.string(),
  a: z.string(),
  b: z.string(),
  mean_diff: z.number().describe('mean of b - a over paired replications, ms'),
  ci95: Interval,
  paired: z.literal(true),
  unpaired_ci95: Interval,
  significant: z.boolean(),
  n: z.int().min(1),
  breakdown: z
    .record(z.string(), CategoryDifferenceSchema)
    .describe('the paired difference per breakdown category; the mean differences add up to mean_diff'),
});

const SweepAxesSchema = z.strictObject({
  name: z.string(),
  axes: z.array(
    z.strictObject({
      label: z.string(),
      paths: z.array(z.string()),
      unit: z.string(),
      values: z.array(z.array(z.unknown())),
    }),
  ),
});

const PointResultSchema = z.strictObject({
  sweep: z.string(),
  at: z.array(z.int().min(0)),
  params: z.record(z.string(), z.unknown()),
  variants: z.array(VariantResultSchema),
  comparisons: z.array(ComparisonSchema),
});

const Marked = z.strictObject({ value: z.unknown(), value_ms: z.number() });

const KpiCrossingSchema = z.strictObject({
  sweep: z.string(),
  variant: z.string(),
  kpi: z.string(),
  metric: z.string(),
  percentile: z.number(),
  limit_ms: z.number(),
  axis: z.string(),
  unit: z.string(),
  fixed: z.record(z.string(), z.unknown()),
  first_failing: z.strictObject({ value: z.unknown(), value_ms: z.number().nullable() }),
  last_passing: Marked.nullable(),
  crossing: z.number().nullable(),
});

export const RunResultSchema = z
  .strictObject({
    mcsim: z.string().describe('the mcsim version that wrote the result'),
    schemaVersion: z.literal(RESULT_SCHEMA_VERSION).describe('the version of this format'),
    scenario: z.strictObject({ name: z.string(), file: z.string() }),
    seed: z.union([z.number(), z.string()]),
    runs: z.int().min(1),
    complete: z.boolean().describe('false when a guard or an interrupt stopped the run early'),
    stopped: z
      .enum(CUT_REASONS)
      .nullable()
      .describe('what cut the run, or some of its replications, short; null when nothing did'),
    replications: ReplicationCountSchema.extend({
      planned: z.int().min(0).describe('replications the run was to make, over every variant and sweep point'),
    }),
    variants: z.array(VariantResultSchema),
    comparisons: z.array(ComparisonSchema),
    sweeps: z.array(SweepAxesSchema).optional(),
    points: z.array(PointResultSchema).optional(),
    kpi_crossings: z.array(KpiCrossingSchema).optional(),
  })
  .describe('The result of mcsim run, compare, sweep or merge (--json); docs/results.md describes every field');

/** JSON Schema (draft 2020-12) of the result document. */
export const resultJsonSchema = (): unknown => z.toJSONSchema(RunResultSchema, { io: 'input' });

// The schema and the interface describe the same document: each is assignable to the other.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const same: Same<z.infer<typeof RunResultSchema>, RunResult> = true;
void same;
