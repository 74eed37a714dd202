import type { RunResult } from '../experiment/result.ts';

/**
 * The contract JSON: stable key order (as built), two-space indent, trailing newline. An array of
 * plain values (an interval, a metric's 101 quantiles) stays on one line: one number per line
 * would bury the document's shape.
 */
export function renderJson(result: RunResult | RunResult[]): string {
  return `${pretty(result, '')}\n`;
}

function pretty(value: unknown, indent: string): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    if (value.every((x) => x === null || typeof x !== 'object'))
      return `[${value.map((x) => JSON.stringify(x) ?? 'null').join(', ')}]`;
    return `[\n${value.map((x) => inner + pretty(x, inner)).join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(value).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return '{}';
  return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${pretty(v, inner)}`).join(',\n')}\n${indent}}`;
}
