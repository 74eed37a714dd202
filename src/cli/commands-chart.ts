import { extname } from 'node:path';
import { recordSequence } from '../report/sequence.ts';
import { renderSequenceSvg } from '../report/sequence-svg.ts';
import { renderMermaid, renderSequenceHtml } from '../report/sequence-text.ts';
import { loadScenario } from '../scenario/load.ts';
import { atPoint, pickPoint } from '../scenario/points.ts';
import { parseSetArgs } from '../scenario/overrides.ts';
import { parseSeed } from './commands-run.ts';
import { UsageError, writeFileAtomic } from './io.ts';

export interface ChartArgs {
  file: string;
  variant?: string | undefined;
  run?: number | undefined;
  point?: number | undefined;
  seed?: string | undefined;
  set?: string[] | undefined;
  out?: string | undefined;
  format?: 'svg' | 'mmd' | 'html' | undefined;
  'max-messages'?: number | undefined;
  path?: string | undefined;
}

const FORMATS = { '.svg': 'svg', '.mmd': 'mmd', '.html': 'html', '.htm': 'html' } as const;

/** `mcsim chart`: the sequence chart of one replication; the format follows -o's extension. */
export function chartCommand(args: ChartArgs): number {
  if (args.run !== undefined && !(Number.isInteger(args.run) && args.run >= 0))
    throw new UsageError(`--run expects a whole number >= 0, found ${String(args.run)}`);
  const max = args['max-messages'];
  if (max !== undefined && !(Number.isInteger(max) && max >= 1))
    throw new UsageError(`--max-messages expects a whole number >= 1, found ${String(max)}`);
  let format = args.format;
  if (format === undefined && args.out !== undefined) {
    format = FORMATS[extname(args.out).toLowerCase() as keyof typeof FORMATS];
    if (format === undefined)
      throw new UsageError(`-o ${args.out}: expected a file ending in .svg, .mmd or .html (or pass --format)`);
  }
  const overrides = parseSetArgs(args.set ?? []);
  const loaded = loadScenario(args.file, overrides);
  const point = pickPoint(
    loaded,
    args.point,
    overrides,
    'chart one with --point 0 to --point {last}, or name its swept values, e.g. {set}',
  );
  const seed = parseSeed(args.seed);
  const seq = recordSequence(atPoint(loaded, point), {
    ...(args.variant === undefined ? {} : { variant: args.variant }),
    ...(args.run === undefined ? {} : { run: args.run }),
    ...(seed === undefined ? {} : { seed }),
    ...(max === undefined ? {} : { maxMessages: max }),
    ...(args.path === undefined ? {} : { path: args.path }),
  });
  if (args.path !== undefined && seq.path === undefined) {
    const ok = [...new Set(seq.intervals.filter((i) => i.outcome === 'success').map((i) => i.metric))];
    throw new UsageError(
      `--path ${args.path}: no successful sample of "${args.path}" in replication ${seq.run} of variant ${seq.variant}; ` +
        (ok.length === 0 ? 'it has none of any metric' : `it has ${ok.join(', ')}`),
    );
  }
  const f = format ?? 'mmd';
  const text = f === 'svg' ? renderSequenceSvg(seq) : f === 'html' ? renderSequenceHtml(seq) : renderMermaid(seq);
  if (args.out === undefined) process.stdout.write(text);
  else {
    writeFileAtomic(args.out, text);
    process.stderr.write(
      `mcsim: ${args.out}: ${seq.messages.length} messages between ${seq.nodes.length} nodes, variant ${seq.variant}, replication ${seq.run}\n`,
    );
  }
  return 0;
}
