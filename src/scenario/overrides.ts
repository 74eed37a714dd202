import YAML from 'yaml';
import type { ZodType } from 'zod';
import { zodProblems } from './errors.ts';
import { formatPath, isIdSegment, type PathSegment } from './errors.ts';
import { parsePath } from './paths.ts';
import { ScenarioSchema } from './format/scenario.ts';

/**
 * Overrides given as text (`--set path=value`), typed by the schema: the path must name a key the
 * schema knows, and the value is read as YAML unless the schema wants the raw text (a name that
 * looks like a number, say).
 */

/** A bad override, with the argument as the user wrote it. */
export class OverrideError extends Error {
  constructor(
    readonly arg: string,
    readonly reason: string,
  ) {
    super(`${arg}: ${reason}`);
  }
}

/** The zod internals walked here; zod v4 keeps them on `_zod.def`. */
interface Def {
  type: string;
  shape?: Record<string, ZodType>;
  innerType?: ZodType;
  valueType?: ZodType;
  element?: ZodType;
  items?: ZodType[];
  rest?: ZodType | null;
  options?: ZodType[];
  in?: ZodType;
}
const def = (s: ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

/** The concrete alternatives behind wrappers and unions. */
function alternatives(s: ZodType): ZodType[] {
  const d = def(s);
  if (
    d.type === 'optional' ||
    d.type === 'nullable' ||
    d.type === 'default' ||
    d.type === 'readonly' ||
    d.type === 'nonoptional'
  )
    return alternatives(d.innerType as ZodType);
  if (d.type === 'pipe') return alternatives(d.in as ZodType);
  if (d.type === 'union') return (d.options ?? []).flatMap(alternatives);
  return [s];
}

const OPEN = new Set(['unknown', 'any']);

export type Lookup = { ok: true; schemas: ZodType[] } | { ok: false; at: PathSegment[]; message: string };

/** The schema(s) a value at `path` must satisfy, or where the path leaves the schema. */
export function schemaAt(path: readonly PathSegment[], root: ZodType = ScenarioSchema): Lookup {
  let current: ZodType[] = [root];
  for (let i = 0; i < path.length; i++) {
    const seg = path[i] as PathSegment;
    const alts = current.flatMap(alternatives);
    if (alts.some((a) => OPEN.has(def(a).type))) return { ok: true, schemas: alts };
    const next: ZodType[] = [];
    const keys = new Set<string>();
    for (const a of alts) {
      const d = def(a);
      if (d.type === 'object' && typeof seg === 'string') {
        for (const k of Object.keys(d.shape ?? {})) keys.add(k);
        const child = d.shape?.[seg];
        if (child !== undefined) next.push(child);
      } else if (d.type === 'record') next.push(d.valueType as ZodType);
      else if (d.type === 'array' && (typeof seg === 'number' || isIdSegment(seg))) next.push(d.element as ZodType);
      else if (d.type === 'tuple' && typeof seg === 'number') {
        const item = d.items?.[seg] ?? d.rest ?? undefined;
        if (item !== undefined) next.push(item);
      }
    }
    if (next.length === 0) {
      const at = path.slice(0, i);
      const where = at.length === 0 ? 'at the top level' : `in ${formatPath(at)}`;
      const lists = alts.some((a) => ['array', 'tuple'].includes(def(a).type));
      const message =
        keys.size > 0
          ? `unknown key "${String(seg)}" ${where}; expected one of ${[...keys].join(', ')}`
          : lists
            ? `${formatPath(at)} is a list: expected an index such as ${formatPath([...at, 0])}, found "${String(seg)}"`
            : `${formatPath(at)} holds a plain value, it has no "${String(seg)}"`;
      return { ok: false, at, message };
    }
    current = next;
  }
  return { ok: true, schemas: current };
}

const show = (v: unknown): string => {
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 60 ? `${s.slice(0, 57)}...` : s;
};

/** Reads `text` for the value at `path` the way the schema expects it; throws OverrideError. */
export function typeOverride(arg: string, pathText: string, text: string, root: ZodType = ScenarioSchema): unknown {
  const path = parsePath(pathText);
  if (path === undefined)
    throw new OverrideError(
      arg,
      `expected a path such as "topology.systems.A.hiding" or "topology.interconnects[0].latency", found "${pathText}"`,
    );
  const found = schemaAt(path, root);
  if (!found.ok) throw new OverrideError(arg, found.message);
  let parsed: unknown = text;
  try {
    parsed = YAML.parse(text) as unknown;
  } catch {
    // Not YAML: the raw text is the only candidate.
  }
  const accepts = (v: unknown): boolean => found.schemas.some((s) => s.safeParse(v).success);
  if (accepts(parsed)) return parsed;
  if (accepts(text)) return text;
  const first = found.schemas[0] as ZodType;
  const result = first.safeParse(parsed, { reportInput: true });
  const problem = result.success ? undefined : zodProblems(result.error)[0];
  const inner =
    problem !== undefined && problem.path.length > 0 ? ` (at ${formatPath([...path, ...problem.path])})` : '';
  throw new OverrideError(arg, `${problem?.message ?? `the value ${show(parsed)} is not accepted here`}${inner}`);
}

/** `path=value` strings (repeatable option) -> typed overrides, in order. */
export function parseSetArgs(args: readonly string[], optionName = '--set'): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const a of args) {
    const label = `${optionName} ${a}`;
    const eq = a.indexOf('=');
    if (eq <= 0) throw new OverrideError(label, 'expected path=value, e.g. topology.systems.A.hiding=true');
    const path = a.slice(0, eq).trim();
    out[path] = typeOverride(label, path, a.slice(eq + 1));
  }
  return out;
}
