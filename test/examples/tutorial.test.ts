import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../fixtures/temp-dir.ts';
import { ROOT } from '../cli/helpers.ts';

/**
 * docs/tutorial.md is run as written: its `sh` and `console` blocks, in order, in a copy of
 * examples/tutorial; a console block's output must be what the command prints, where a line
 * "..." stands for any run of lines.
 */

interface Step {
  command: string[];
  expected?: string[];
}

function steps(markdown: string): Step[] {
  const blocks = [...markdown.matchAll(/```(sh|console)\n([\s\S]*?)```/g)];
  return blocks.flatMap(([, kind, body]) => {
    const lines = (body as string).trimEnd().split('\n');
    if (kind === 'sh')
      return lines
        .map((l) => l.replace(/\s+#.*$/, '').trim())
        .filter((l) => l !== '')
        .map((l) => ({ command: l.split(/\s+/) }));
    const [first, ...output] = lines;
    return [{ command: (first as string).replace(/^\$ /, '').split(/\s+/), expected: output }];
  });
}

/** Whether `actual` reads as `expected`, each "..." line matching any lines (none included). */
function matches(expected: string[], actual: string[]): boolean {
  if (expected.length === 0) return actual.length === 0;
  const [head, ...rest] = expected;
  if (head === '...') return actual.some((_, i) => matches(rest, actual.slice(i))) || matches(rest, []);
  return actual[0] === head && matches(rest, actual.slice(1));
}

describe('docs/tutorial.md', () => {
  const doc = readFileSync(join(ROOT, 'docs/tutorial.md'), 'utf8');
  const all = steps(doc);

  it('runs every command it shows and prints what it says', { timeout: 120_000 }, () => {
    const dir = tempDir('tutorial');
    cpSync(join(ROOT, 'examples/tutorial'), dir, { recursive: true });
    expect(all.length).toBeGreaterThanOrEqual(8);
    for (const step of all) {
      const [npx, mcsim, ...args] = step.command;
      expect([npx, mcsim]).toEqual(['npx', 'mcsim']);
      const r = spawnSync(process.execPath, [join(ROOT, 'bin/mcsim.js'), ...args], {
        cwd: dir,
        encoding: 'utf8',
        env: { ...process.env, FORCE_COLOR: '0' },
      });
      const what = `mcsim ${args.join(' ')}\n${r.stderr}`;
      // 1 is a KPI that failed or a check that regressed, both part of the story; 2 would be a mistake.
      expect([0, 1], what).toContain(r.status);
      if (step.expected !== undefined)
        expect(matches(step.expected, r.stdout.trimEnd().split('\n')), `${what}\n${r.stdout}`).toBe(true);
    }
    for (const file of ['first-call.svg', 'result.json', 'report.html', 'baseline.json', 'junit.xml'])
      expect(existsSync(join(dir, file)), file).toBe(true);
  });

  it('shows study.yaml as migrated.yaml plus the sweep it prints', () => {
    const migrated = readFileSync(join(ROOT, 'examples/tutorial/migrated.yaml'), 'utf8');
    const study = readFileSync(join(ROOT, 'examples/tutorial/study.yaml'), 'utf8');
    const sweep = /```yaml\n( {2}sweep:\n[\s\S]*?)```/.exec(doc)?.[1];
    expect(sweep).toBeDefined();
    expect(study).toBe(
      migrated.replace('name: call-to-migrated-user\n', 'name: call-to-migrated-user-sweep\n') + sweep,
    );
  });
});
