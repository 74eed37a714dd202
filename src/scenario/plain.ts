import { ScenarioError } from './errors.ts';
import { formatPath } from './errors.ts';

/** Deeper than any scenario needs (the schema's own depth is under 10); beyond it validation would recurse too far. */
export const MAX_DEPTH = 32;
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Scenario files are data: what a parser returns must be plain JSON values (objects, arrays,
 * strings, finite numbers, booleans, null), not too deep, and with no key that could reach an
 * object's prototype. Anything else (YAML's binary, sets, dates, tags) is refused here, before
 * the schema sees it. Walks iteratively so that hostile nesting cannot exhaust the stack.
 */
export function ensurePlainData(file: string, root: unknown): unknown {
  const stack: { value: unknown; path: (string | number)[] }[] = [{ value: root, path: [] }];
  while (stack.length > 0) {
    const { value, path } = stack.pop() as { value: unknown; path: (string | number)[] };
    const fail = (message: string): never => {
      throw new ScenarioError(file, [{ path: path.length > 6 ? [...path.slice(0, 6), '...'] : path, message }]);
    };
    if (path.length > MAX_DEPTH) fail(`nested deeper than ${MAX_DEPTH} levels`);
    if (value === null || typeof value === 'string' || typeof value === 'boolean') continue;
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) fail(`expected a finite number, found ${value}`);
      continue;
    }
    if (Array.isArray(value)) {
      value.forEach((v, i) => stack.push({ value: v, path: [...path, i] }));
      continue;
    }
    if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
      for (const key of Object.keys(value)) {
        if (FORBIDDEN_KEYS.has(key)) fail(`key "${key}" is not allowed in a scenario file`);
        stack.push({ value: (value as Record<string, unknown>)[key], path: [...path, key] });
      }
      continue;
    }
    fail(
      `expected plain data (map, list, string, number, boolean, null), found ${describe(value)}${path.length ? '' : ` at ${formatPath(path) || 'the top'}`}`,
    );
  }
  return root;
}

function describe(value: unknown): string {
  if (value instanceof Uint8Array) return 'binary data';
  if (value instanceof Map) return 'a YAML map with non-string keys (!!omap or complex keys)';
  if (value instanceof Set) return 'a set (!!set)';
  if (value instanceof Date) return 'a date (!!timestamp)';
  return typeof value;
}
