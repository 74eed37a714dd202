import YAML from 'yaml';
import { runExperiment } from '../experiment/experiment.ts';
import type { RunResult } from '../experiment/result.ts';
import { renderJson } from '../report/json.ts';
import { renderTable } from '../report/table.ts';
import { traceLine } from '../report/trace.ts';
import { loadScenario } from '../scenario/load.ts';
import { AtomicWriter, UsageError, writeFileAtomic } from './io.ts';
import { progressBar } from './progress.ts';

export interface RunArgs {
  files: string[];
  runs?: number | undefined;
  seed?: string | undefined;
  variant?: string[] | undefined;
  set?: string[] | undefined;
  format: 'table' | 'json';
  json?: boolean | undefined;
  out?: string | undefined;
  trace?: string | undefined;
  color?: boolean | undefined;
}

/** `--set a.b=value`: the value is read as YAML, so numbers, booleans and maps keep their types. */
export function parseSets(sets: readonly string[] = []): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const s of sets) {
    const eq = s.indexOf('=');
    if (eq <= 0) throw new UsageError(`--set expects path=value, found "${s}"`);
    const text = s.slice(eq + 1);
    let value: unknown;
    try {
      value = YAML.parse(text) as unknown;
    } catch {
      throw new UsageError(`--set ${s.slice(0, eq)}: cannot read the value "${text}"`);
    }
    out[s.slice(0, eq)] = value ?? text;
  }
  return out;
}

export function parseSeed(seed: string | undefined): number | string | undefined {
  if (seed === undefined) return undefined;
  return /^-?\d+$/.test(seed) ? Number(seed) : seed;
}

export function runCommand(args: RunArgs): number {
  if (args.runs !== undefined && !(Number.isInteger(args.runs) && args.runs >= 1)) {
    throw new UsageError(`--runs expects a whole number >= 1, found ${String(args.runs)}`);
  }
  const overrides = parseSets(args.set);
  const format = args.json ? 'json' : args.format;
  const loaded = args.files.map((f) => loadScenario(f, overrides));
  const trace = args.trace === undefined ? undefined : new AtomicWriter(args.trace);
  const results: RunResult[] = [];
  try {
    for (const l of loaded) {
      const bar = progressBar(`${l.name}`);
      results.push(
        runExperiment(l, {
          ...(args.runs === undefined ? {} : { runs: args.runs }),
          ...(args.seed === undefined ? {} : { seed: parseSeed(args.seed) as number | string }),
          ...(args.variant === undefined ? {} : { variants: args.variant }),
          ...(trace === undefined ? {} : { trace: (variant, rec) => trace.write(traceLine(variant, 0, rec)) }),
          onProgress: bar.update,
        }),
      );
      bar.done();
    }
    trace?.commit();
  } catch (e) {
    trace?.abort();
    throw e;
  }
  const text =
    format === 'json'
      ? renderJson(results.length === 1 ? (results[0] as RunResult) : results)
      : results.map((r) => renderTable(r, { color: args.out === undefined && (args.color ?? process.stdout.isTTY === true) })).join('\n');
  if (args.out !== undefined) writeFileAtomic(args.out, text);
  else process.stdout.write(text);
  const kpiFailed = results.some((r) => r.variants.some((v) => v.kpis.some((k) => !k.pass)));
  return kpiFailed ? 1 : 0;
}
