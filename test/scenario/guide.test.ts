import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { validate } from '../../src/scenario/load.ts';

const read = (file: string): string => readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8');
const yamlBlocks = (markdown: string): Record<string, unknown>[] =>
  [...markdown.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => YAML.parse(m[1] as string) as Record<string, unknown>);

describe('scenario examples in the documents', () => {
  it("the scenario guide's YAML examples, put together, are one valid scenario", () => {
    const blocks = yamlBlocks(read('docs/scenario-guide.md'));
    expect(blocks.length).toBeGreaterThanOrEqual(5);
    const doc = Object.assign({}, ...blocks) as Record<string, unknown>;
    expect(() => validate('docs/scenario-guide.md', doc)).not.toThrow();
  });

  it("the README's scenario is valid", () => {
    const [scenario] = yamlBlocks(read('README.md'));
    expect(() => validate('README.md', scenario)).not.toThrow();
  });
});
