import { onlyMetrics } from '../api/run.ts';
import type { RunResult } from '../experiment/result.ts';
import { METRICS } from '../mc/measure/metrics.ts';
import { renderComparisonBreakdownCsv, renderComparisonBreakdownText } from '../report/breakdown/text.ts';
import { renderComparisonsCsv } from '../report/csv.ts';
import { renderComparisonTable } from '../report/table.ts';
import {
  colorOf,
  emit,
  emitPartial,
  execute,
  exitCode,
  formatOf,
  json,
  stopCode,
  type CompareArgs,
} from './commands-run.ts';
import { UsageError } from './io.ts';

export async function compareCommand(args: CompareArgs): Promise<number> {
  const known = METRICS.map((m) => m.name);
  for (const m of args.metric ?? [])
    if (!known.includes(m)) throw new UsageError(`--metric ${m}: unknown metric; expected one of ${known.join(', ')}`);
  const run = await execute(args, (l) => {
    const all = l.variants.map((v) => `"${v.name}"`).join(', ');
    if (l.variants.length < 2)
      throw new UsageError(`${l.file}: compare needs two or more variants; the scenario has only ${all}`);
    const picked = args.variant ?? [];
    if (picked.length === 1)
      throw new UsageError(
        `--variant ${picked[0]}: compare needs two or more variants; name another of ${all}, or drop --variant to compare them all`,
      );
  });
  if (emitPartial(args, run)) return stopCode(run, 0);
  const { results } = run;
  const keep = args.metric;
  const filtered = results.map((r) => onlyMetrics(r, keep));
  // A metric some variant does not measure cannot be compared: say so rather than leave it out.
  for (const r of results)
    for (const note of uncompared(r, keep)) process.stderr.write(`mcsim: ${r.scenario.file}: ${note}\n`);
  const format = formatOf(args, 'table');
  const color = colorOf(args);
  emit(
    args,
    format === 'json'
      ? json(filtered)
      : format === 'csv'
        ? args.breakdown
          ? renderComparisonBreakdownCsv(filtered)
          : renderComparisonsCsv(filtered)
        : filtered
            .map(
              (r) =>
                renderComparisonTable(r, { color }) +
                (args.breakdown ? '\n' + renderComparisonBreakdownText(r, { color }) : ''),
            )
            .join('\n'),
  );
  return stopCode(run, exitCode(results));
}

/**
 * The metrics (those asked for, or every one measured) that some point has in fewer than two of
 * its variants: measured by one side only, or by none, they have no paired difference.
 */
function uncompared(result: RunResult, metrics: readonly string[] | undefined): string[] {
  const groups = result.points ?? [{ params: {}, variants: result.variants, comparisons: result.comparisons }];
  const notes = new Set<string>();
  for (const g of groups) {
    const names =
      metrics !== undefined && metrics.length > 0
        ? metrics
        : [...new Set(g.variants.flatMap((v) => Object.keys(v.metrics)))];
    for (const m of names) {
      if (g.comparisons.some((c) => c.metric === m)) continue;
      const having = g.variants.filter((v) => (v.metrics[m]?.n ?? 0) > 0).map((v) => v.name);
      notes.add(
        having.length === 0
          ? `${m}: measured by no variant (no successful sample): nothing to compare`
          : `${m}: measured only in ${having.join(', ')} (not in ${g.variants
              .filter((v) => !having.includes(v.name))
              .map((v) => v.name)
              .join(', ')}): no paired difference`,
      );
    }
  }
  return [...notes];
}
