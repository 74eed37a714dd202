import type { ZodError } from 'zod';
import type { Problem } from './checks.ts';
import { formatPath } from './paths.ts';

/** A scenario file that cannot be used: every problem with its path inside the file. */
export class ScenarioError extends Error {
  constructor(
    readonly file: string,
    readonly problems: Problem[],
  ) {
    super(problems.map((p) => `${file}: ${p.path.length ? `${formatPath(p.path)}: ` : ''}${p.message}`).join('\n'));
  }
}

const show = (v: unknown): string => {
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 60 ? `${s.slice(0, 57)}...` : s;
};

/** Zod issues as problems; with `reportInput` on, type errors also say what was found. */
export function zodProblems(error: ZodError): Problem[] {
  return error.issues.slice(0, 12).map((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return { path: issue.path as (string | number)[], message: `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}` };
    }
    if (issue.code === 'invalid_type' && 'input' in issue) {
      return { path: issue.path as (string | number)[], message: `expected ${issue.expected}, found ${show(issue.input)}` };
    }
    return { path: issue.path as (string | number)[], message: issue.message.replace(/^Invalid input: /, '') };
  });
}
