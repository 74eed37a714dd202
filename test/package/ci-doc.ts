import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ROOT } from '../cli/helpers.ts';

/** A fenced code block of a Markdown file, with the heading it sits under. */
interface Block {
  heading: string;
  lang: string;
  text: string;
  /** The fence's indentation (a block inside a list item), taken off every line. */
  indent: number;
}

function blocks(markdown: string): Block[] {
  const found: Block[] = [];
  let heading = '';
  let open: Block | undefined;
  for (const line of markdown.split('\n')) {
    const fence = /^( *)```(\w*)\s*$/.exec(line);
    if (open !== undefined) {
      if (fence !== null) {
        found.push(open);
        open = undefined;
      } else open.text += `${line.slice(open.indent)}\n`;
    } else if (fence !== null) open = { heading, lang: fence[2] ?? '', text: '', indent: fence[1]?.length ?? 0 };
    else if (/^#{2,3} /.test(line)) heading = line.replace(/^#+ /, '');
  }
  return found;
}

const under = (all: Block[], heading: RegExp, lang: string): Block => {
  const b = all.find((x) => heading.test(x.heading) && x.lang === lang);
  if (b === undefined) throw new Error(`docs/ci.md: no ${lang} block under a heading matching ${String(heading)}`);
  return b;
};

const mcsimLine = (b: Block, sub: string): string => {
  const line = b.text.split('\n').find((l) => l.startsWith(`npx mcsim ${sub}`));
  if (line === undefined) throw new Error(`docs/ci.md (${b.heading}): no "npx mcsim ${sub}" line`);
  return line;
};

type Step = { run?: string; uses?: string; if?: string; with?: Record<string, unknown> };
type GitHubWorkflow = { jobs: Record<string, { steps: Step[] }> };
type GitLabJob = { script: string[]; artifacts?: { when?: string; reports?: { junit?: string } } };

/** What docs/ci.md tells a user to write and run, read from its code blocks. */
export interface CiDoc {
  /** The example scenario: where the doc puts it, and its text. */
  scenario: { path: string; text: string };
  baseline: string;
  check: string;
  update: string;
  github: { steps: Step[] };
  gitlab: GitLabJob;
}

export function readCiDoc(): CiDoc {
  const all = blocks(readFileSync(join(ROOT, 'docs', 'ci.md'), 'utf8'));
  const scenario = under(all, /^2\. /, 'yaml').text;
  const path = /^# (\S+\.yaml)\n/.exec(scenario)?.[1];
  if (path === undefined) throw new Error('docs/ci.md: the example scenario does not start with "# <its path>"');
  const workflow = parse(under(all, /^GitHub Actions$/, 'yaml').text) as GitHubWorkflow;
  const jobs = Object.values(workflow.jobs);
  if (jobs.length !== 1) throw new Error('docs/ci.md: the GitHub workflow should have one job');
  const gitlab = Object.values(parse(under(all, /^GitLab CI$/, 'yaml').text) as Record<string, GitLabJob>);
  if (gitlab.length !== 1) throw new Error('docs/ci.md: the GitLab CI file should have one job');
  return {
    scenario: { path, text: scenario },
    baseline: mcsimLine(under(all, /^3\. /, 'sh'), 'baseline'),
    check: mcsimLine(under(all, /^4\. /, 'sh'), 'check'),
    update: mcsimLine(under(all, /^5\. /, 'sh'), 'check'),
    github: jobs[0] as { steps: Step[] },
    gitlab: gitlab[0] as GitLabJob,
  };
}
