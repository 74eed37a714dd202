import { readFileSync, statSync } from 'node:fs';
import { extname } from 'node:path';
import YAML from 'yaml';
import type { ModelConfig } from '../mc/config.ts';
import { buildModelConfig } from './build.ts';
import { crossCheck, type Problem } from './checks.ts';
import { ScenarioError, zodProblems } from './errors.ts';
import { ensurePlainData } from './plain.ts';
import { schemaAt } from './overrides.ts';
import { applyOverrides, parsePath } from './paths.ts';
import { pointsOf, sweepDefs, type SweepDef } from './sweep.ts';
import { ScenarioSchema, type Scenario } from './format/scenario.ts';

export interface Variant {
  name: string;
  description?: string;
  /** The overrides this variant applies (path -> value), as written, and `drop`: the timeline actions it leaves out. */
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
  /** The sweeps (`experiment.sweep`, named "sweep", then each of `experiment.sweeps`); [] without. */
  sweeps: SweepDef[];
  /** The points of every sweep, sweep by sweep, first axis varying slowest; [] without a sweep. */
  points: SweepPoint[];
}

/** Largest scenario file read; bigger inputs are refused before parsing. */
export const MAX_FILE_BYTES = 8 * 1024 * 1024;

export function readDocument(file: string): unknown {
  let text: string;
  try {
    const size = statSync(file).size;
    if (size > MAX_FILE_BYTES)
      throw new ScenarioError(file, [{ path: [], message: `file is ${size} bytes; the limit is ${MAX_FILE_BYTES}` }]);
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if (e instanceof ScenarioError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'is a directory, expected a scenario file'
          : `cannot read (${code ?? String(e)})`;
    throw new ScenarioError(file, [{ path: [], message: why }]);
  }
  return parseText(file, text);
}

export function parseText(file: string, text: string): unknown {
  return ensurePlainData(file, parseSyntax(file, text));
}

function parseSyntax(file: string, text: string): unknown {
  if (extname(file).toLowerCase() === '.json') {
    try {
      return JSON.parse(text) as unknown;
    } catch (e) {
      throw new ScenarioError(file, [{ path: [], message: `JSON syntax error: ${(e as Error).message}` }]);
    }
  }
  const doc = YAML.parseDocument(text, { uniqueKeys: true, prettyErrors: true });
  if (doc.errors.length > 0) {
    throw new ScenarioError(
      file,
      doc.errors.slice(0, 5).map((err) => {
        const pos = err.linePos?.[0];
        return {
          path: [],
          message: `YAML syntax error${pos ? ` at line ${pos.line}, column ${pos.col}` : ''}: ${(err.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '')}`,
        };
      }),
    );
  }
  try {
    return doc.toJS({ maxAliasCount: 100 }) as unknown;
  } catch (e) {
    throw new ScenarioError(file, [{ path: [], message: `YAML error: ${(e as Error).message.split('\n')[0]}` }]);
  }
}

/** Validates a parsed document: schema first, then cross-references. */
export function validate(file: string, document: unknown, prefix: (string | number)[] = []): Scenario {
  const parsed = ScenarioSchema.safeParse(document, { reportInput: true });
  if (!parsed.success)
    throw new ScenarioError(
      file,
      zodProblems(parsed.error).map((p) => ({ ...p, path: [...prefix, ...p.path] })),
    );
  const problems = crossCheck(parsed.data);
  if (problems.length > 0)
    throw new ScenarioError(
      file,
      problems.map((p) => ({ ...p, path: [...prefix, ...p.path] })),
    );
  return parsed.data;
}

/** One point of a sweep: its sweep, its parameter values, and every variant with them applied. */
export interface SweepPoint {
  sweep: string;
  params: Record<string, unknown>;
  /** The point's index along each axis of its sweep. */
  at: number[];
  variants: Variant[];
}

/**
 * Loads a scenario and expands its variants (a scenario without variants has one, `default`) and,
 * when it has `experiment.sweep`, every sweep point of every variant. Overrides apply in the order
 * variant `set`, sweep point, then `overrides` (from `--set`), so the command line has the last word.
 */
export function loadScenario(file: string, overrides: Record<string, unknown> = {}): LoadedScenario {
  const document = readDocument(file);
  const base = validate(file, applyOverrides(file, document, overrides, []));
  checkSweepPaths(file, base.experiment);
  let sweeps: SweepDef[];
  let pointParams: ReturnType<typeof pointsOf>;
  try {
    sweeps = sweepDefs(base.experiment);
    pointParams = sweeps.flatMap(pointsOf);
  } catch (e) {
    const where = base.experiment?.sweeps === undefined ? 'sweep' : 'sweeps';
    throw new ScenarioError(file, [{ path: ['experiment', where], message: (e as Error).message }]);
  }
  return {
    file,
    name: base.name ?? file,
    description: base.description ?? '',
    document,
    scenario: base,
    variants: expandVariants(file, document, base, {}, overrides),
    sweeps,
    points: pointParams.map(({ sweep, params, at }) => ({
      sweep,
      params,
      at,
      variants: expandVariants(file, document, base, params, overrides),
    })),
  };
}

/** Every swept path must name a model parameter the schema knows. */
function checkSweepPaths(file: string, experiment: Scenario['experiment']): void {
  if (experiment?.sweeps?.sweep !== undefined && experiment.sweep !== undefined)
    throw new ScenarioError(file, [
      {
        path: ['experiment', 'sweeps', 'sweep'],
        message: 'the name "sweep" is taken by experiment.sweep; choose another',
      },
    ]);
  const located: [string, (string | number)[]][] = [
    ...Object.keys(experiment?.sweep ?? {}).map((t): [string, (string | number)[]] => [t, ['experiment', 'sweep', t]]),
    ...Object.entries(experiment?.sweeps ?? {}).flatMap(([name, s]) =>
      (['vary', 'zip'] as const).flatMap((part) =>
        Object.keys(s[part] ?? {}).map((t): [string, (string | number)[]] => [
          t,
          ['experiment', 'sweeps', name, part, t],
        ]),
      ),
    ),
  ];
  const problems: Problem[] = [];
  for (const [text, at] of located) {
    const path = parsePath(text);
    if (path === undefined)
      problems.push({
        path: at,
        message: `expected a path such as "topology.defaults.interconnect.latency", found "${text}"`,
      });
    else if (path[0] === 'experiment')
      problems.push({
        path: at,
        message: 'a sweep varies the model; runs, seed and variants are not sweep parameters',
      });
    else {
      const found = schemaAt(path);
      if (!found.ok) problems.push({ path: at, message: found.message });
    }
  }
  if (problems.length > 0) throw new ScenarioError(file, problems);
}

function expandVariants(
  file: string,
  document: unknown,
  base: Scenario,
  point: Record<string, unknown>,
  overrides: Record<string, unknown>,
): Variant[] {
  const declared = base.experiment?.variants ?? [];
  const list = declared.length > 0 ? declared : [{ name: 'default', set: {} as Record<string, unknown> }];
  const pointText = Object.entries(point)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(', ');
  return list.map((v, i) => {
    const drop = ('drop' in v ? v.drop : undefined) ?? [];
    const where = declared.length > 0 ? ['experiment', 'variants', i, 'set'] : [];
    const set = v.set ?? {};
    const withVariant = applyOverrides(file, document, set, where);
    const overridden = applyOverrides(
      file,
      applyOverrides(file, withVariant, point, ['experiment', 'sweep']),
      overrides,
      [],
    );
    // Dropped last, so that an override may still name an action a variant leaves out.
    const doc = dropActions(file, overridden, drop, ['experiment', 'variants', i, 'drop']);
    let scenario: Scenario;
    try {
      scenario = validate(file, doc, []);
    } catch (e) {
      if (!(e instanceof ScenarioError) || (declared.length === 0 && pointText === '')) throw e;
      const context = [
        declared.length > 0 ? `the overrides of variant "${v.name}"` : '',
        pointText === '' ? '' : `sweep point ${pointText}`,
      ]
        .filter(Boolean)
        .join(' at ');
      throw new ScenarioError(
        file,
        e.problems.map((p) => ({ ...p, message: `${p.message} (with ${context})` })),
      );
    }
    return {
      name: v.name,
      ...('description' in v && v.description ? { description: v.description } : {}),
      params: drop.length === 0 ? set : { ...set, drop },
      scenario,
      model: buildModelConfig(scenario),
    };
  });
}

/** The document without the timeline actions whose ids a variant drops; an unknown id is an error. */
function dropActions(file: string, document: unknown, ids: readonly string[], at: (string | number)[]): unknown {
  if (ids.length === 0) return document;
  const timeline = ((document as { timeline?: unknown[] }).timeline ?? []) as { id?: unknown }[];
  const known = timeline.map((a) => a?.id).filter((id): id is string => typeof id === 'string');
  const problems = ids.flatMap((id, j) =>
    known.includes(id)
      ? []
      : [
          {
            path: [...at, j],
            message: `no timeline action has id "${id}"; ${known.length === 0 ? 'no action has an id' : `the ids are ${known.join(', ')}`}`,
          },
        ],
  );
  if (problems.length > 0) throw new ScenarioError(file, problems);
  return { ...(document as object), timeline: timeline.filter((a) => !ids.includes(a?.id as string)) };
}

export { ScenarioError, zodProblems } from './errors.ts';
