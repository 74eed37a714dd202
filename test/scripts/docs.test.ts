import { describe, expect, it } from 'vitest';
import { generatedDocs, staleDocs } from '../../scripts/docs.ts';

describe('generated references', () => {
  const { docs, undocumented } = generatedDocs();

  it('every key of the scenario schema has a description', () => {
    expect(undocumented).toEqual([]);
  });

  it('docs/scenario-reference.md and docs/cli.md are what their sources give today (npm run docs)', () => {
    expect(staleDocs(docs)).toEqual([]);
  });

  it('the scenario reference names every key and links only to its own sections', () => {
    const scenario = docs.find((d) => d.file === 'docs/scenario-reference.md')?.text ?? '';
    for (const key of ['topology', 'interconnects', 'pagingCycle', 'privateCallLoad', 'lossBurst', 'drop', 'zip'])
      expect(scenario).toContain(`| \`${key}\` |`);
    const anchors = new Set(
      [...scenario.matchAll(/^#+ (.+)$/gm)].map((m) =>
        (m[1] as string)
          .toLowerCase()
          .replace(/[^\p{L}\p{N}\s_-]/gu, '')
          .replace(/\s/g, '-'),
      ),
    );
    const targets = [...scenario.matchAll(/\]\(#([^)]+)\)/g)].map((m) => m[1] as string);
    expect(targets.length).toBeGreaterThan(50);
    expect(targets.filter((t) => !anchors.has(t))).toEqual([]);
  });

  it('the CLI reference has every command with its options', () => {
    const cli = docs.find((d) => d.file === 'docs/cli.md')?.text ?? '';
    for (const command of ['run', 'compare', 'sweep', 'baseline', 'check', 'merge', 'report', 'chart'])
      expect(cli).toMatch(new RegExp(`^## mcsim ${command}\\n\\n\`\`\`text\\nmcsim ${command}`, 'm'));
    expect(cli).toContain('--max-wall');
    expect(cli).toContain('--junit');
  });
});
