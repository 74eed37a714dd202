import { hideBin } from 'yargs/helpers';
import { UnknownVariantError } from '../experiment/experiment.ts';
import { ScenarioError } from '../scenario/load.ts';
import { OverrideError } from '../scenario/overrides.ts';
import { UsageError } from './io.ts';
import { PointError } from '../scenario/points.ts';
import { BaselineError } from '../report/baseline.ts';
import { MergeError } from '../experiment/partial.ts';
import { commandLine, COMMANDS } from './commands.ts';

/** Exit codes, as docs/results.md lists them. */
export const EXIT = { ok: 0, failed: 1, badInput: 2 } as const;

function reportError(e: unknown): number {
  if (
    e instanceof ScenarioError ||
    e instanceof UsageError ||
    e instanceof UnknownVariantError ||
    e instanceof OverrideError ||
    e instanceof PointError ||
    e instanceof BaselineError ||
    e instanceof MergeError
  ) {
    process.stderr.write(`mcsim: ${e.message}\n`);
    return EXIT.badInput;
  }
  throw e;
}

export async function main(argv: string[]): Promise<number> {
  let code: number = EXIT.ok;
  const first = argv[0];
  if (first !== undefined && !first.startsWith('-') && !COMMANDS.includes(first)) {
    return reportError(
      new UsageError(
        `unknown command "${first}"; expected one of ${COMMANDS.join(', ')}\nrun "mcsim --help" for usage`,
      ),
    );
  }
  const parser = commandLine(argv, (c) => {
    code = c;
  });
  try {
    await parser.parseAsync();
  } catch (e) {
    return reportError(e);
  }
  return code;
}

const entry = process.argv[1] ?? '';
if (entry.endsWith('mcsim.js') || entry.endsWith('main.ts') || entry.endsWith('mcsim')) {
  // `mcsim list | head`: the reader left, which is no error of ours.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
  main(hideBin(process.argv)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`mcsim: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = 70;
    },
  );
}
