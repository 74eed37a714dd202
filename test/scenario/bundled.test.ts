import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/scenario/load.ts';

const dir = new URL('../../scenarios/', import.meta.url);
const files = readdirSync(dir)
  .filter((f) => /\.(ya?ml|json)$/.test(f))
  .sort();
const index = readFileSync(new URL('README.md', dir), 'utf8');

describe('bundled scenarios', () => {
  it.each(files)(
    '%s is valid, has a one-line description, and scenarios/README.md lists it with every variant',
    (file) => {
      const l = loadScenario(`scenarios/${file}`);
      expect(l.description).not.toBe('');
      expect(l.description).not.toContain('\n');
      const row = index.split('\n').find((line) => line.startsWith(`| [${file}](${file})`));
      expect(row, `scenarios/README.md has no row for ${file}`).toBeDefined();
      for (const v of l.variants) expect(row).toContain(`\`${v.name}\``);
    },
  );
});
