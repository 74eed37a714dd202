/**
 * mcsim as a library: load a scenario, run it, compare its variants, sweep it, check it against a
 * baseline, and render what the CLI renders. Every function here is pure in the CLI's sense: it
 * never exits the process, never writes to stdout and reads no environment; errors are thrown
 * (ScenarioError, BaselineError, PointError, MergeError for bad input). The result documents are
 * those `mcsim ... --json` prints, described in docs/results.md and by `resultJsonSchema()`.
 *
 * ```js
 * import { loadScenario, runScenario } from 'mcsim';
 * const result = await runScenario(loadScenario('my.yaml'), { runs: 50 });
 * console.log(result.variants[0].metrics['private_call.setup'].p95);
 * ```
 *
 * @packageDocumentation
 */

export { VERSION } from './version.ts';

// Scenarios
export { loadScenario, ScenarioError, type LoadedScenario, type SweepPoint, type Variant } from './scenario/load.ts';
export { OverrideError, parseSetArgs as parseOverrides } from './scenario/overrides.ts';
export { PointError } from './scenario/points.ts';
export type { Scenario } from './scenario/format/scenario.ts';

// Running
export {
  compareVariants,
  onlyMetrics,
  resultOf,
  runScenario,
  runSweep,
  startRun,
  type RunOptions,
  type ScenarioInput,
} from './api/run.ts';
export { runExperiment, UnknownVariantError } from './experiment/experiment.ts';
export { mergePartials, MergeError, toPartial, type PartialResult } from './experiment/partial.ts';
export type { ExperimentRun, RunControl } from './experiment/parallel.ts';
export type { Shard } from './experiment/plan.ts';

// Results
export {
  RESULT_SCHEMA_VERSION,
  type CategoryDifference,
  type Comparison,
  type Counters,
  type CutReason,
  type KpiCrossing,
  type KpiVerdict,
  type MetricSummary,
  type PointResult,
  type RunResult,
  type SweepAxes,
  type VariantResult,
} from './experiment/result.ts';
export { resultJsonSchema, RunResultSchema } from './report/result-schema.ts';
/** The categories of a metric's `breakdown`, in the order results list them. */
export { CATEGORIES, type Category } from './mc/measure/critical-path.ts';

// Baselines (CI)
export {
  checkBaseline,
  makeBaseline,
  type BaselineOptions,
  type CheckOptions,
  type CheckOutcome,
  type MadeBaseline,
} from './api/baseline.ts';
export {
  BaselineError,
  checkExitCode,
  parseBaseline,
  renderBaseline,
  type Baseline,
  type CheckReport,
} from './report/baseline.ts';

// Rendering
export { renderCheckTable, renderJUnit } from './report/check.ts';
export { renderComparisonsCsv, renderCsv } from './report/csv.ts';
export { renderFigure, type FigureSpec } from './report/figure-svg.ts';
export { ecdfFigure, sweepFigure, type Stat } from './report/figures.ts';
export { renderHtmlReport, type ReportOptions } from './report/html.ts';
export { renderJson } from './report/json.ts';
export { renderComparisonTable, renderTable } from './report/table.ts';
export { recordSequence, type Sequence } from './report/sequence.ts';
export { renderSequenceSvg } from './report/sequence-svg.ts';
export { renderMermaid } from './report/sequence-text.ts';
