import { readFileSync, statSync } from 'node:fs';
import { extname } from 'node:path';
import YAML from 'yaml';
import type { ZodError } from 'zod';
import type { ModelConfig } from '../mc/config.ts';
import { buildModelConfig } from './build.ts';
import { crossCheck, type Problem } from './checks.ts';
import { ScenarioError } from './errors.ts';
import { applyOverrides } from './paths.ts';
import { ScenarioSchema, type Scenario } from './schema.ts';

export interface Variant {
  name: string;
  description?: string;
  /** The overrides this variant applies (path -> value), as written. */
  params: Record<string, unknown>;
  scenario: Scenario;
  model: ModelConfig;
}

export interface LoadedScenario {
  file: string;
  name: string;
  description: string;
  document: unknown;
  scenario: Scenario;
  variants: Variant[];
}

/** Largest scenario file read; bigger inputs are refused before parsing. */
export const MAX_FILE_BYTES = 8 * 1024 * 1024;

export function readDocument(file: string): unknown {
  let text: string;
  try {
    const size = statSync(file).size;
    if (size > MAX_FILE_BYTES) throw new ScenarioError(file, [{ path: [], message: `file is ${size} bytes; the limit is ${MAX_FILE_BYTES}` }]);
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if (e instanceof ScenarioError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory, expected a scenario file' : `cannot read (${code ?? String(e)})`;
    throw new ScenarioError(file, [{ path: [], message: why }]);
  }
  return parseText(file, text);
}

export function parseText(file: string, text: string): unknown {
  if (extname(file).toLowerCase() === '.json') {
    try {
      return JSON.parse(text) as unknown;
    } catch (e) {
      throw new ScenarioError(file, [{ path: [], message: `JSON syntax error: ${(e as Error).message}` }]);
    }
  }
  const doc = YAML.parseDocument(text, { uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length > 0) {
    throw new ScenarioError(
      file,
      doc.errors.slice(0, 5).map((err) => {
        const pos = err.linePos?.[0];
        return { path: [], message: `YAML syntax error${pos ? ` at line ${pos.line}, column ${pos.col}` : ''}: ${err.message.split('\n')[0]}` };
      }),
    );
  }
  try {
    return doc.toJS({ maxAliasCount: 100 }) as unknown;
  } catch (e) {
    throw new ScenarioError(file, [{ path: [], message: `YAML error: ${(e as Error).message.split('\n')[0]}` }]);
  }
}

export function zodProblems(error: ZodError): Problem[] {
  return error.issues.slice(0, 12).map((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return { path: issue.path as (string | number)[], message: `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}` };
    }
    return { path: issue.path as (string | number)[], message: issue.message.replace(/^Invalid input: /, '') };
  });
}

/** Validates a parsed document: schema first, then cross-references. */
export function validate(file: string, document: unknown, prefix: (string | number)[] = []): Scenario {
  const parsed = ScenarioSchema.safeParse(document);
  if (!parsed.success) throw new ScenarioError(file, zodProblems(parsed.error).map((p) => ({ ...p, path: [...prefix, ...p.path] })));
  const problems = crossCheck(parsed.data);
  if (problems.length > 0) throw new ScenarioError(file, problems.map((p) => ({ ...p, path: [...prefix, ...p.path] })));
  return parsed.data;
}

/**
 * Loads a scenario and expands its variants (a scenario without variants has one, `default`).
 * `overrides` (from `--set`) apply to every variant, after the variant's own.
 */
export function loadScenario(file: string, overrides: Record<string, unknown> = {}): LoadedScenario {
  const document = readDocument(file);
  const base = validate(file, applyOverrides(file, document, overrides, []));
  const declared = base.experiment?.variants ?? [];
  const list = declared.length > 0 ? declared : [{ name: 'default', set: {} as Record<string, unknown> }];
  const variants = list.map((v, i) => {
    const params = v.set ?? {};
    const where = declared.length > 0 ? ['experiment', 'variants', i, 'set'] : [];
    const doc = applyOverrides(file, applyOverrides(file, document, params, where), overrides, []);
    let scenario: Scenario;
    try {
      scenario = validate(file, doc, []);
    } catch (e) {
      if (!(e instanceof ScenarioError) || declared.length === 0) throw e;
      throw new ScenarioError(file, e.problems.map((p) => ({ ...p, message: `${p.message} (with the overrides of variant "${v.name}")` })));
    }
    return { name: v.name, ...('description' in v && v.description ? { description: v.description } : {}), params, scenario, model: buildModelConfig(scenario) };
  });
  return { file, name: base.name ?? file, description: base.description ?? '', document, scenario: base, variants };
}

export { ScenarioError } from './errors.ts';
