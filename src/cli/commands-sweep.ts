import { renderBreakdownCsv, renderBreakdownText } from '../report/breakdown/text.ts';
import { renderCsv } from '../report/csv.ts';
import { renderTable } from '../report/table.ts';
import {
  colorOf,
  emit,
  emitPartial,
  execute,
  exitCode,
  formatOf,
  json,
  stopCode,
  type SweepArgs,
} from './commands-run.ts';
import { UsageError, writeFileAtomic } from './io.ts';

/** `mcsim sweep`: the tidy CSV by default; `--csv FILE` also writes it when the main output is JSON. */
export async function sweepCommand(args: SweepArgs): Promise<number> {
  const run = await execute(args, (l) => {
    if (l.points.length === 0)
      throw new UsageError(
        `${l.file}: no experiment.sweep to run; add one, or pass it with --set 'experiment.sweep={"<path>": [values]}'`,
      );
  });
  if (emitPartial(args, run)) return stopCode(run, 0);
  const { results } = run;
  const format = formatOf(args, 'csv');
  const csv = args.breakdown ? renderBreakdownCsv(results) : renderCsv(results);
  if (args.csv !== undefined) writeFileAtomic(args.csv, csv);
  emit(
    args,
    format === 'json'
      ? json(results)
      : format === 'csv'
        ? csv
        : results
            .map(
              (r) =>
                renderTable(r, { color: colorOf(args) }) +
                (args.breakdown ? '\n' + renderBreakdownText(r, { color: colorOf(args) }) : ''),
            )
            .join('\n'),
  );
  return stopCode(run, exitCode(results));
}
