import type { RunResult } from '../experiment/result.ts';

/** The contract JSON: stable key order (as built), two-space indent, trailing newline. */
export function renderJson(result: RunResult | RunResult[]): string {
  return `${JSON.stringify(result, null, 2)}\n`;
}
