import { readFileSync } from 'node:fs';
import type { RunResult } from '../experiment/result.ts';
import { renderHtmlReport } from '../report/html.ts';
import { UsageError, writeFileAtomic } from './io.ts';

export interface ReportArgs {
  files: string[];
  out: string;
  title?: string | undefined;
}

const isResult = (x: unknown): x is RunResult =>
  typeof x === 'object' &&
  x !== null &&
  typeof (x as RunResult).mcsim === 'string' &&
  Array.isArray((x as RunResult).variants) &&
  typeof (x as RunResult).scenario === 'object';

/** Reads `mcsim run|compare|sweep --json` output: one result document, or an array of them (several scenario files). */
export function readResults(file: string): RunResult[] {
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== undefined)
      throw new UsageError(`${file}: ${code === 'ENOENT' ? 'no such file' : `cannot read (${code})`}`);
    throw new UsageError(`${file}: not JSON: ${(e as Error).message}`);
  }
  const list = Array.isArray(doc) ? doc : [doc];
  list.forEach((r, i) => {
    if (!isResult(r))
      throw new UsageError(
        `${file}${Array.isArray(doc) ? `[${i}]` : ''}: not an mcsim result; expected the output of "mcsim run --json" (keys mcsim, scenario, variants, ...)`,
      );
  });
  return list as RunResult[];
}

/** `mcsim report`: a self-contained HTML page from one or more result files. */
export function reportCommand(args: ReportArgs): number {
  if (!/\.html?$/i.test(args.out)) throw new UsageError(`-o ${args.out}: expected a file ending in .html`);
  const results = args.files.flatMap(readResults);
  writeFileAtomic(args.out, renderHtmlReport(results, args.title === undefined ? {} : { title: args.title }));
  process.stderr.write(`mcsim: ${args.out}: ${results.length} result(s)\n`);
  return 0;
}
