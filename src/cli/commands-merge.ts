import { readFileSync } from 'node:fs';
import { mergePartials } from '../experiment/partial.ts';
import { emit, exitCode, formatOf, renderResults } from './commands-run.ts';
import { UsageError } from './io.ts';

export interface MergeArgs {
  parts: string[];
  out?: string | undefined;
  format?: 'json' | 'csv' | 'table' | undefined;
  json?: boolean | undefined;
  color?: boolean | undefined;
}

/** Partial results are JSON written by `run --shard`, read whole: they may be large (raw samples). */
function readPart(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(`${file}: ${code === 'ENOENT' ? 'no such file' : `cannot read (${code ?? String(e)})`}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new UsageError(
      `${file}: not JSON (${(e as Error).message}); expected a partial result of \`mcsim run --shard\``,
    );
  }
}

/**
 * `mcsim merge parts/*.json [-o out.json]`: the result of the unsharded run, byte for byte, from
 * the partial results of all its shards. Parts of different runs, or a missing or repeated shard,
 * are bad input (exit 2). Exit 1 when a KPI failed or the parts were incomplete, as `run` does.
 */
export function mergeCommand(args: MergeArgs): number {
  const parts = args.parts.map((file) => ({ file, document: readPart(file) }));
  const result = mergePartials(parts);
  emit(args, renderResults([result], formatOf(args, 'json'), args));
  if (!result.complete)
    process.stderr.write('mcsim: some shards stopped early; the merged result is partial (complete: false)\n');
  return Math.max(exitCode([result]), result.complete ? 0 : 1);
}
