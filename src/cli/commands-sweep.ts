import {
  emit,
  emitPartial,
  execute,
  exitCode,
  formatOf,
  renderResults,
  resultsCsv,
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
  const csv = resultsCsv(results, args);
  if (args.csv !== undefined) writeFileAtomic(args.csv, csv);
  emit(args, renderResults(results, formatOf(args, 'csv'), args, csv));
  return stopCode(run, exitCode(results));
}
