import yargs, { type Argv } from 'yargs';
import { VERSION } from '../version.ts';
import { compareCommand } from './commands-compare.ts';
import { baselineCommand, checkCommand, DEFAULT_BASELINE } from './commands-check.ts';
import { chartCommand } from './commands-chart.ts';
import { listCommand, schemaCommand, validateCommand } from './commands-info.ts';
import { mergeCommand } from './commands-merge.ts';
import { reportCommand } from './commands-report.ts';
import { runCommand, type Format } from './commands-run.ts';
import { sweepCommand } from './commands-sweep.ts';
import { UsageError } from './io.ts';

/** The commands, for the unknown-command message and the CLI reference (docs/cli.md). */
export const COMMANDS = [
  'run',
  'compare',
  'sweep',
  'validate',
  'list',
  'schema',
  'baseline',
  'check',
  'merge',
  'chart',
  'report',
];

/** The options every result-producing command shares. */
function resultOptions<T>(y: Argv<T>, defaultFormat: Format) {
  return y
    .positional('files', {
      type: 'string',
      array: true,
      demandOption: true,
      describe: 'scenario files (.yaml, .yml, .json)',
    })
    .option('runs', { type: 'number', describe: 'replications per variant (overrides experiment.runs)' })
    .option('seed', { type: 'string', describe: 'run seed (overrides experiment.seed)' })
    .option('variant', { type: 'string', array: true, describe: 'run only these variants (repeatable)' })
    .option('set', {
      type: 'string',
      array: true,
      describe: 'override a scenario value, typed by the schema: path=value (repeatable)',
    })
    .option('format', { choices: ['table', 'json', 'csv'] as const, default: defaultFormat, describe: 'output format' })
    .option('json', { type: 'boolean', describe: 'short for --format json: exactly one JSON document on stdout' })
    .option('out', {
      alias: 'o',
      type: 'string',
      describe: 'write the output to this file (atomically) instead of stdout',
    })
    .option('trace', { type: 'string', describe: 'write a JSON-lines message trace of replication 0 (atomically)' })
    .option('color', { type: 'boolean', describe: 'colour the table (default: when stdout is a terminal)' })
    .option('workers', {
      type: 'number',
      describe: 'worker threads for replications (default: the core count; 1 = none)',
    })
    .option('shard', {
      type: 'string',
      describe: 'run slice i/n (0-based) and write a partial result for `mcsim merge`',
    })
    .option('max-events', {
      type: 'number',
      describe: 'stop a replication after this many events (default 200,000,000)',
    })
    .option('max-wall', {
      type: 'number',
      describe: 'stop the whole run after this many seconds, with partial results',
    })
    .option('max-memory', {
      type: 'string',
      describe:
        "stop the run, with partial results, when a thread's live heap passes this size (e.g. 2GB; default 80% of its old generation)",
    })
    .option('check-invariants', {
      type: 'boolean',
      describe: 'check the model invariants after every replication; exit 1 if any is violated',
    })
    .option('breakdown', {
      type: 'boolean',
      describe:
        'where the time goes: each metric split by category (links, queueing, processing, crypto, waits) and procedure step; as CSV, one row per part',
    });
}

/**
 * The command line as yargs defines it: every command, its options and what each means. `set`
 * receives the command's exit code; the caller turns thrown errors into messages.
 */
export function commandLine(argv: string[], set: (code: number) => void): Argv {
  return yargs(argv)
    .scriptName('mcsim')
    .usage('$0 <command> [options]\n\nDiscrete-event simulator of interconnected 3GPP Mission Critical systems.')
    .command(
      'run <files..>',
      'run scenarios and print their results',
      (y) => resultOptions(y, 'table'),
      async (args) => {
        set(await runCommand(args));
      },
    )
    .command(
      'compare <files..>',
      'run all variants and print paired differences (common random numbers) with 95% confidence intervals',
      (y) =>
        resultOptions(y, 'table').option('metric', {
          type: 'string',
          array: true,
          describe: 'only these metrics (repeatable), e.g. private_call.setup',
        }),
      async (args) => {
        set(await compareCommand(args));
      },
    )
    .command(
      'sweep <files..>',
      'run the sweeps (experiment.sweep and experiment.sweeps): a tidy CSV (one row per point, variant and metric) with a KPI verdict per row, or with --json the JSON',
      (y) =>
        resultOptions(y, 'csv').option('csv', {
          type: 'string',
          describe: 'also write the CSV to this file (atomically), e.g. with --json',
        }),
      async (args) => {
        set(await sweepCommand(args));
      },
    )
    .command(
      'validate <files..>',
      'check scenario files without running them',
      (y) => y.positional('files', { type: 'string', array: true, demandOption: true }),
      (args) => {
        set(validateCommand(args.files));
      },
    )
    .command(
      'list [dir]',
      'list the bundled scenarios with their one-line descriptions',
      (y) => y.positional('dir', { type: 'string', describe: 'a directory of scenarios (default: the bundled ones)' }),
      (args) => {
        set(listCommand(args.dir));
      },
    )
    .command(
      'schema',
      'print the JSON Schema of scenario files, or with --result of result documents',
      (y) => y.option('result', { type: 'boolean', describe: 'the schema of the result JSON instead' }),
      (args) => {
        set(schemaCommand(args.result === true));
      },
    )
    .command(
      'baseline <files..>',
      'run scenarios and write a first baseline for mcsim check (then check --update keeps it current)',
      (y) =>
        y
          .positional('files', { type: 'string', array: true, demandOption: true, describe: 'scenario files' })
          .option('out', { alias: 'o', type: 'string', demandOption: true, describe: 'the baseline file to write' })
          .option('runs', { type: 'number', describe: 'replications per variant (default: experiment.runs)' })
          .option('seed', { type: 'string', describe: 'run seed (default: experiment.seed)' })
          .option('variant', { type: 'string', array: true, describe: 'only these variants (repeatable)' })
          .option('set', {
            type: 'string',
            array: true,
            describe: 'override a scenario value: path=value (repeatable); names the point of a sweep',
          }),
      async (args) => {
        set(await baselineCommand(args));
      },
    )
    .command(
      'check',
      'run the scenarios of a baseline; exit 1 when a metric moved beyond its tolerance or a KPI verdict flipped',
      (y) =>
        y
          .option('baseline', {
            type: 'string',
            describe: `the baseline file (default: ${DEFAULT_BASELINE}, where it exists)`,
          })
          .option('set', {
            type: 'string',
            array: true,
            describe: 'override a value of every scenario checked: path=value (repeatable); names the point of a sweep',
          })
          .option('update', { type: 'boolean', describe: 'rewrite the baseline from this run instead of checking' })
          .option('junit', { type: 'string', describe: 'write a JUnit XML report to this file (atomically)' })
          .option('format', {
            choices: ['table', 'json'] as const,
            default: 'table' as const,
            describe: 'output format',
          })
          .option('json', {
            type: 'boolean',
            describe: 'short for --format json: the check report as one JSON document',
          })
          .option('out', {
            alias: 'o',
            type: 'string',
            describe: 'write the report to this file (atomically) instead of stdout',
          })
          .option('color', { type: 'boolean', describe: 'colour the table (default: when stdout is a terminal)' }),
      async (args) => {
        set(await checkCommand(args));
      },
    )
    .command(
      'chart <file>',
      'sequence chart of one replication: -o out.svg (to scale), out.html, or out.mmd (Mermaid; stdout without -o)',
      (y) =>
        y
          .positional('file', { type: 'string', demandOption: true, describe: 'a scenario file' })
          .option('variant', { type: 'string', describe: 'the variant to draw (default: the first)' })
          .option('run', { type: 'number', describe: 'the replication index (default 0)' })
          .option('point', { type: 'number', describe: 'with a sweep: the point to draw, by index (0-based)' })
          .option('seed', { type: 'string', describe: 'run seed (overrides experiment.seed)' })
          .option('set', {
            type: 'string',
            array: true,
            describe:
              "override a scenario value: path=value (repeatable); with a sweep, naming a point's swept values draws it",
          })
          .option('out', { alias: 'o', type: 'string', describe: 'output file: .svg, .html or .mmd' })
          .option('format', {
            choices: ['svg', 'mmd', 'html'] as const,
            describe: 'output format (default: from the -o extension, else mmd)',
          })
          .option('max-messages', { type: 'number', describe: 'draw at most this many messages (default 400)' })
          .option('path', {
            type: 'string',
            describe:
              "mark the critical path of this metric's slowest successful sample (default: the slowest successful sample of any metric)",
          }),
      (args) => {
        set(chartCommand(args));
      },
    )
    .command(
      'report <files..>',
      'a self-contained HTML report (sweep figures with KPI limits and paired differences, latency CDFs, where the time goes, tables), or one figure as SVG, from result JSON files',
      (y) =>
        y
          .positional('files', {
            type: 'string',
            array: true,
            demandOption: true,
            describe: 'result files written by run/compare/sweep --json',
          })
          .option('out', {
            alias: 'o',
            type: 'string',
            demandOption: true,
            describe: 'the HTML file to write (atomically), or the .svg file of --figure',
          })
          .option('title', { type: 'string', describe: 'page title' })
          .option('figure', {
            type: 'string',
            describe:
              'write one figure as SVG: metric[:stat], stat p0..p100 (default p95), mean, diff (b - a), breakdown (stacked bars by category) or breakdown-diff',
          })
          .option('sweep', { type: 'string', describe: 'with --figure: the sweep to draw (default: the first)' })
          .option('log-x', { type: 'boolean', describe: 'a logarithmic x axis on the sweep figures' }),
      (args) => {
        set(reportCommand(args));
      },
    )
    .command(
      'merge <parts..>',
      'merge the partial results of `run|compare|sweep --shard i/n` into the unsharded result',
      (y) =>
        y
          .positional('parts', {
            type: 'string',
            array: true,
            demandOption: true,
            describe: 'partial results, one per shard',
          })
          .option('out', { alias: 'o', type: 'string', describe: 'write the result to this file (atomically)' })
          .option('format', {
            choices: ['json', 'csv', 'table'] as const,
            default: 'json' as const,
            describe: 'output format',
          })
          .option('json', { type: 'boolean', describe: 'short for --format json (the default)' })
          .option('color', { type: 'boolean', describe: 'colour the table (default: when stdout is a terminal)' }),
      (args) => {
        set(mergeCommand(args));
      },
    )
    .demandCommand(1, `expected a command: ${COMMANDS.join(', ')}`)
    .recommendCommands()
    .strict()
    .help()
    .version(VERSION)
    .wrap(Math.min(100, process.stdout.columns || 100))
    .fail((msg, err) => {
      if (err) throw err;
      throw new UsageError(`${msg}\nrun "mcsim --help" for usage`);
    })
    .exitProcess(false);
}
