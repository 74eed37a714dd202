/**
 * `npm run bench [-- --json] [-- --repeats N] [-- name ...]`: runs the benchmark suite and
 * prints a table, or one JSON document with --json. docs/performance.md says what each measures.
 */
import { model } from './model.ts';
import { parallel } from './parallel.ts';
import { phold } from './phold.ts';
import { scale } from './scale.ts';
import { soak } from './soak.ts';
import type { Benchmark, BenchResult } from './registry.ts';

/** One file each; `scale`, `parallel` and `soak` spawn child processes (the CLI, one per size, one with --expose-gc). */
const BENCHMARKS: readonly Benchmark[] = [phold, model, scale, parallel, soak];

interface Args {
  json: boolean;
  repeats: number;
  names: string[];
}

function parseArgs(argv: readonly string[]): Args {
  const args: Args = { json: false, repeats: 5, names: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--json') args.json = true;
    else if (a === '--repeats') args.repeats = Number(argv[++i]);
    else if (a.startsWith('--repeats=')) args.repeats = Number(a.slice('--repeats='.length));
    else if (a.startsWith('-')) throw new Error(`unknown option ${a}`);
    else args.names.push(a);
  }
  if (!(Number.isInteger(args.repeats) && args.repeats >= 1)) throw new Error('--repeats needs an integer >= 1');
  const known = new Set(BENCHMARKS.map((b) => b.name));
  for (const n of args.names)
    if (!known.has(n)) throw new Error(`unknown benchmark ${n}; known: ${[...known].join(', ')}`);
  return args;
}

function renderTable(results: readonly BenchResult[]): string {
  const lines: string[] = [];
  for (const r of results) {
    lines.push(`${r.name}: ${r.description}`);
    const keys = [...new Set(r.rows.flatMap((row) => Object.keys(row.figures)))];
    const header = ['case', ...keys];
    const body = r.rows.map((row) => [row.case, ...keys.map((k) => formatNumber(row.figures[k]))]);
    const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] as string).length)));
    const line = (cells: string[]): string =>
      cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join('  ');
    lines.push('  ' + line(header));
    for (const b of body) lines.push('  ' + line(b));
    for (const c of r.checks) lines.push(`  ${c.pass ? 'PASS' : 'FAIL'}  ${c.requirement}`);
    lines.push('');
  }
  return lines.join('\n');
}

function formatNumber(x: number | undefined): string {
  if (x === undefined) return '-';
  return Number.isInteger(x) ? x.toLocaleString('en-US') : String(x);
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const selected = args.names.length === 0 ? BENCHMARKS : BENCHMARKS.filter((b) => args.names.includes(b.name));
  const log = (line: string): void => void process.stderr.write(line + '\n');
  const results: BenchResult[] = [];
  // One at a time: a benchmark's timings must not share the machine with another's.
  for (const b of selected) results.push(await b.run({ repeats: args.repeats, log }));
  const environment = { node: process.version, platform: `${process.platform}-${process.arch}`, repeats: args.repeats };
  if (args.json) process.stdout.write(JSON.stringify({ environment, results }, null, 2) + '\n');
  else process.stdout.write(renderTable(results));
  if (results.some((r) => r.checks.some((c) => !c.pass))) process.exitCode = 1;
}

await main();
