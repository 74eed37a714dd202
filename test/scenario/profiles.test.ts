import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULTS, buildModelConfig } from '../../src/scenario/build.ts';
import { parseText, validate } from '../../src/scenario/load.ts';
import { PROFILES } from '../../src/scenario/profiles.ts';
import { ProfileName } from '../../src/scenario/format/scenario.ts';

const doc = readFileSync(new URL('../../docs/profiles.md', import.meta.url), 'utf8');

/** The rows (key, value, conditions, source) of the table under `## \`name\``. */
function rowsOf(name: string): string[][] {
  const section = doc.split(/^## /m).find((s) => s.startsWith(`\`${name}\``)) ?? '';
  return section
    .split('\n')
    .filter((l) => l.startsWith('| `'))
    .map((l) =>
      l
        .split('|')
        .slice(1, -1)
        .map((c) => c.trim()),
    );
}

const DISTRIBUTIONS = ['constant', 'uniform', 'exponential', 'normal', 'lognormal', 'empirical'];
type Leaf = [path: string, scalars: string[]];

/** Every value a profile sets, as (dotted path, the scalars it is written with). */
function leaves(value: unknown, path: string): Leaf[] {
  const scalars = (v: unknown): string[] =>
    typeof v === 'object' && v !== null ? Object.values(v).flatMap(scalars) : [String(v)];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [[path, scalars(value)]];
  if (Object.keys(value).some((k) => DISTRIBUTIONS.includes(k))) return [[path, scalars(value)]];
  return Object.entries(value).flatMap(([k, v]) => leaves(v, path === '' ? k : `${path}.${k}`));
}

const generic = {
  access: DEFAULTS.access,
  core: DEFAULTS.core,
  interconnect: DEFAULTS.interconnect,
  processing: DEFAULTS.processing,
};

describe('reference profiles', () => {
  it.each(ProfileName.options)('docs/profiles.md lists every value of %s with a source', (name) => {
    const rows = rowsOf(name);
    expect(rows.length).toBeGreaterThan(0);
    const missing = leaves(name === 'generic' ? generic : PROFILES[name], '').filter(([path, scalars]) => {
      const row = rows.find(([key]) => {
        const pattern = (key ?? '').replace(/`/g, '').replace('<role>', '[a-z]+');
        return new RegExp(`^${pattern}(\\.|$)`).test(path);
      });
      return row === undefined || (row[3] ?? '') === '' || !scalars.every((s) => (row[1] ?? '').includes(s));
    });
    expect(missing).toEqual([]);
  });

  const build = (yaml: string) => buildModelConfig(validate('inline.yaml', parseText('inline.yaml', yaml)));
  const body = (extra: string) => `
${extra}
topology:
  systems: { A: {} }
population:
  users: [{ name: alice, primary: A }]
`;

  it('without a profile a scenario gets generic, which has no radio state', () => {
    const none = build(body(''));
    const generic = build(body('profile: generic'));
    expect(none.systems[0]?.access.latency.mean).toBe(20_000);
    expect(generic.systems[0]?.access.latency.mean).toBe(20_000);
    expect(none.systems[0]?.rrc).toBeUndefined();
  });

  it("a scenario's own values override the profile's, key by key", () => {
    const config = build(`
profile: lte-public-safety
topology:
  defaults:
    access: { latency: 7ms }
    rrc: { pagingCycle: 2.56s }
    processing: { kms: { default: 9ms } }
  systems: { A: {} }
population:
  users: [{ name: alice, primary: A }]
`);
    const a = config.systems[0];
    expect(a?.access.latency.mean).toBe(7_000);
    // The profile's radio state, with the one field the scenario sets.
    expect(a?.rrc?.pagingCycle).toBe(2_560_000);
    expect(a?.rrc?.inactivity).toBe(11_600_000);
    expect(a?.rrc?.setup.mean).toBe(180_000);
    expect(a?.processing.kms.default.mean).toBe(9_000);
    // What neither sets: the profile's, then generic's.
    expect(a?.processing.idms.default.mean).toBe(67_000);
    expect(a?.core.latency.mean).toBe(3_000);
  });

  it("rrc: false turns a profile's radio state off", () => {
    const config = build(`
profile: 5g-sa
topology:
  systems: { A: { rrc: false }, B: {} }
population:
  users: [{ name: alice, primary: A }]
`);
    expect(config.systems.map((s) => s.rrc?.setup.mean)).toEqual([undefined, 20_000]);
  });
});
