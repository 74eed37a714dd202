import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { z } from 'zod';
import { validate } from '../../src/scenario/load.ts';
import { ScenarioSchema } from '../../src/scenario/schema.ts';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const reference = readme.slice(readme.indexOf('## Scenario files'), readme.indexOf('## Experiments and statistics'));

/** Every property name anywhere in the JSON Schema of scenario files. */
function keys(node: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(node)) for (const n of node) keys(n, out);
  else if (typeof node === 'object' && node !== null) {
    const rec = node as Record<string, unknown>;
    if (typeof rec.properties === 'object' && rec.properties !== null)
      for (const k of Object.keys(rec.properties)) out.add(k);
    for (const v of Object.values(rec)) keys(v, out);
  }
  return out;
}

describe('README scenario reference', () => {
  it('its YAML examples, put together, are one valid scenario', () => {
    const blocks = [...reference.matchAll(/```yaml\n([\s\S]*?)```/g)].map(
      (m) => YAML.parse(m[1] as string) as Record<string, unknown>,
    );
    expect(blocks.length).toBeGreaterThanOrEqual(5);
    const doc = Object.assign({}, ...blocks) as Record<string, unknown>;
    expect(() => validate('README.md', doc)).not.toThrow();
  });

  it('names every key of the schema', () => {
    const all = keys(z.toJSONSchema(ScenarioSchema, { io: 'input', unrepresentable: 'any' }));
    const missing = [...all].filter(
      (k) =>
        !new RegExp(`(^|[\\s{,])${k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:`, 'm').test(reference) &&
        !reference.includes(`\`${k}\``),
    );
    expect(missing).toEqual([]);
  });
});
