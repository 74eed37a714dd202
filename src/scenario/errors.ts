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
