import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resultJsonSchema } from '../report/result-schema.ts';
import { loadScenario, ScenarioError } from '../scenario/load.ts';
import { scenarioJsonSchema } from '../scenario/format/scenario.ts';
import { UsageError } from './io.ts';

export function validateCommand(files: string[]): number {
  const errors: string[] = [];
  for (const f of files) {
    try {
      const l = loadScenario(f);
      process.stdout.write(`${f}: ok (${l.variants.length} variant${l.variants.length === 1 ? '' : 's'})\n`);
    } catch (e) {
      if (!(e instanceof ScenarioError)) throw e;
      errors.push(e.message);
    }
  }
  if (errors.length === 0) return 0;
  process.stderr.write(`${errors.map((m) => `mcsim: ${m}`).join('\n')}\n`);
  return 2;
}

export function scenarioFiles(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    throw new UsageError(`cannot list ${dir}: no such directory`);
  }
  return names
    .filter((n) => /\.(ya?ml|json)$/.test(n))
    .sort()
    .map((n) => join(dir, n));
}

/** The scenarios shipped with mcsim, wherever it is run from. */
export const BUNDLED = fileURLToPath(new URL('../../scenarios/', import.meta.url));

/** Lists every scenario in `dir`; a broken one is listed with its first problem, and exits 2. */
export function listCommand(dir: string = BUNDLED): number {
  let code = 0;
  for (const f of scenarioFiles(dir)) {
    const shown = relative(process.cwd(), f).startsWith('..') ? f : relative(process.cwd(), f);
    try {
      const l = loadScenario(f);
      process.stdout.write(
        `${shown}\n  ${l.description.split('\n')[0] ?? ''}\n  variants: ${l.variants.map((v) => v.name).join(', ')}\n`,
      );
    } catch (e) {
      if (!(e instanceof ScenarioError)) throw e;
      process.stdout.write(`${shown}\n  invalid: ${e.message.split('\n')[0] ?? ''}\n`);
      code = 2;
    }
  }
  return code;
}

/** `mcsim schema`: the JSON Schema of scenario files, or (`--result`) of the result document. */
export function schemaCommand(result = false): number {
  const schema = result ? resultJsonSchema() : scenarioJsonSchema();
  process.stdout.write(`${JSON.stringify(schema, null, 2)}\n`);
  return 0;
}
