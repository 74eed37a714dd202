import type { ZodError } from 'zod';
import type { Problem } from './checks.ts';

export type PathSegment = string | number;

/** `['topology', 'links', 2, 'latency']` -> `topology.links[2].latency`. */
/** A path segment naming a list item by its `id` (`timeline[#crash-b]`): `#` and the id. */
export const isIdSegment = (seg: PathSegment): seg is string =>
  typeof seg === 'string' && /^#[A-Za-z][\w-]*$/.test(seg);

export function formatPath(path: readonly PathSegment[]): string {
  let s = '';
  for (const seg of path) {
    if (typeof seg === 'number') s += `[${seg}]`;
    else if (isIdSegment(seg)) s += `[${seg}]`;
    else if (/^[A-Za-z_][\w-]*$/.test(seg)) s += s === '' ? seg : `.${seg}`;
    else s += `[${JSON.stringify(seg)}]`;
  }
  return s;
}

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

type Issue = ZodError['issues'][number];
type Path = (string | number)[];

/** Zod issues as problems; with `reportInput` on, type errors also say what was found. */
export function zodProblems(error: ZodError): Problem[] {
  return error.issues.flatMap((issue) => issueProblems(issue, [])).slice(0, 12);
}

function issueProblems(issue: Issue, prefix: Path): Problem[] {
  const path = [...prefix, ...(issue.path as Path)];
  if (issue.code === 'invalid_union') {
    const branch = likelyBranch(issue.errors as Issue[][]);
    if (branch !== undefined) return branch.flatMap((i) => issueProblems(i, path));
  }
  if (issue.code === 'unrecognized_keys') {
    const shown = issue.keys.slice(0, 8).map((k) => `"${k.length > 40 ? `${k.slice(0, 37)}...` : k}"`);
    const more = issue.keys.length > 8 ? ` and ${issue.keys.length - 8} more` : '';
    return [{ path, message: `unknown key${issue.keys.length > 1 ? 's' : ''} ${shown.join(', ')}${more}` }];
  }
  // Only zod's stock wording is replaced; a schema's own message (Duration's) already says it best.
  if (issue.code === 'invalid_type' && 'input' in issue && issue.message.startsWith('Invalid input'))
    return [{ path, message: `expected ${issue.expected}, found ${show(issue.input)}` }];
  return [{ path, message: issue.message.replace(/^Invalid input: /, '') }];
}

/**
 * The union branch the author most likely meant: one that got past the shape of the value (no
 * type mismatch or unknown key at its root), with the fewest and then the deepest issues. Its
 * issues point inside the value ("uniform[0]: expected a duration") instead of repeating every
 * form the union accepts. Undefined when no branch fits: the union's own message says it best.
 */
function likelyBranch(branches: Issue[][]): Issue[] | undefined {
  const fits = branches.filter(
    (b) =>
      b.length > 0 &&
      !b.some((i) => i.path.length === 0 && (i.code === 'invalid_type' || i.code === 'unrecognized_keys')),
  );
  const depth = (b: Issue[]): number => Math.max(...b.map((i) => i.path.length));
  return fits.sort((x, y) => x.length - y.length || depth(y) - depth(x))[0];
}
