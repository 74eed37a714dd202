import { describe, expect, it } from 'vitest';
import { mcsim } from './helpers.ts';

/**
 * `--breakdown` through the real CLI: where the time of each metric goes, and for `compare` where
 * the difference lies, category by category. With every delay of the bundled scenario constant,
 * the lookup's penalty is the sum of the stretches it adds (33.180 D.2.7): alice's two access
 * hops to and from her Home KMS, the interconnect to B's KMS and back, three KMS jobs (C's
 * twice, B's once) and alice's job handling the answer.
 */
const FILE = 'scenarios/private-call-to-migrated-user.yaml';
const ALICE = 5;
const BOB = 20;
const CORE = 2;
const INTER = 12;
const CLIENT = 7;
const SERVER = 3;
const GATEWAY = 2;
const KMS = 5;

const CONSTANT = [
  `topology.defaults.access.latency=${BOB}ms`,
  `population.users[0].access.latency=${ALICE}ms`,
  `topology.defaults.core.latency=${CORE}ms`,
  `topology.defaults.interconnect.latency=${INTER}ms`,
  `topology.defaults.processing.client={default: ${CLIENT}ms}`,
  `topology.defaults.processing.server={default: ${SERVER}ms}`,
  `topology.defaults.processing.gateway={default: ${GATEWAY}ms}`,
  `topology.defaults.processing.kms={default: ${KMS}ms}`,
].flatMap((s) => ['--set', s]);
const PAIR = ['--variant', 'kms-uri-in-redirection', '--variant', 'kms-lookup', '--runs', '4'];

/** The cells of a CSV line (quoted cells may hold commas: a step's label). */
const cells = (line: string): string[] =>
  [...line.matchAll(/(?:"((?:[^"]|"")*)"|([^,]*))(?:,|$)/g)]
    .slice(0, -1)
    .map((m) => m[1]?.replace(/""/g, '"') ?? m[2] ?? '');

/** A category's row of the comparison table: its paired mean difference and interval, in ms. */
const row = (category: string, ms: number): RegExp => {
  const x = ms.toFixed(3);
  return new RegExp(`^  ${category.replace('.', '\\.')} +\\+${x}  \\[${x}, ${x}\\]$`, 'm');
};

describe('mcsim compare --breakdown', () => {
  it('prints the paired difference per category: 2 access + 2 interconnect + 3 KMS jobs + 1 client job', () => {
    const r = mcsim('compare', FILE, ...PAIR, ...CONSTANT, '--breakdown');
    expect(r.code).toBe(0);
    const total = 2 * ALICE + 2 * INTER + 3 * KMS + CLIENT;
    expect(r.stdout).toContain(
      `private_call.setup: kms-lookup - kms-uri-in-redirection = +${total.toFixed(3)} ms\n` +
        '  category             mean diff  ci95 (paired)\n',
    );
    const setup = r.stdout.slice(r.stdout.indexOf('private_call.setup: kms-lookup'));
    expect(setup).toMatch(row('link.access', 2 * ALICE));
    expect(setup).toMatch(row('link.interconnect', 2 * INTER));
    expect(setup).toMatch(row('processing.kms', 3 * KMS));
    expect(setup).toMatch(row('processing.client', CLIENT));
    // Nothing else moved: the four rows are the whole table.
    expect(setup.split('\n').filter((l) => /^ {2}[a-z]+\.[a-z]+ /.test(l))).toHaveLength(4);
    // The redirection is the same in both: it says so rather than print an empty table.
    expect(r.stdout).toMatch(
      /private_call\.redirection: kms-lookup - kms-uri-in-redirection = 0\.000 ms\n {2}every category equal in every pair of samples/,
    );
  });

  it('as CSV, one row per category of every comparison, summing to its mean difference', () => {
    const r = mcsim('compare', FILE, ...PAIR, ...CONSTANT, '--breakdown', '--format', 'csv');
    expect(r.code).toBe(0);
    const [head, ...rows] = r.stdout.trim().split('\n');
    expect(head).toBe('scenario,a,b,metric,mean_diff,category,category_mean_diff,ci95_lo,ci95_hi');
    const setup = rows.map(cells).filter((c) => c[3] === 'private_call.setup');
    const moved = Object.fromEntries(setup.filter((c) => Number(c[6]) !== 0).map((c) => [c[5], Number(c[6])]));
    expect(moved).toEqual({
      'link.access': 2 * ALICE,
      'link.interconnect': 2 * INTER,
      'processing.client': CLIENT,
      'processing.kms': 3 * KMS,
    });
    expect(setup.reduce((s, c) => s + Number(c[6]), 0)).toBe(Number(setup[0]?.[4]));
  });
});

describe('mcsim run --breakdown', () => {
  it("prints each metric's mean split by category and by procedure step, every part with its share", () => {
    const r = mcsim('run', FILE, '--variant', 'kms-lookup', '--runs', '2', ...CONSTANT, '--breakdown');
    expect(r.code).toBe(0);
    const text = r.stdout.slice(r.stdout.indexOf('where the time goes'));
    // D.2.7: the lookup alone is alice's access to her Home KMS, its job, the interconnect, B's KMS job and back.
    const lookup = 2 * ALICE + 3 * KMS + 2 * INTER + CLIENT;
    expect(text).toContain(`  private_call.key_discovery: mean ${lookup.toFixed(3)} ms over 2 samples`);
    const share = (ms: number): string => ((100 * ms) / lookup).toFixed(1);
    expect(text).toMatch(
      new RegExp(`^ {6}link\\.interconnect +${(2 * INTER).toFixed(3)} +${share(2 * INTER)}% +#+$`, 'm'),
    );
    expect(text).toContain('by procedure step');
    expect(text).toMatch(/^ {6}33\.180 D\.2\.7 KmsLookupRequest +/m);
  });

  it('as CSV, a row per category and per step, each kind adding up to the mean', () => {
    const r = mcsim(
      'run',
      FILE,
      '--variant',
      'kms-lookup',
      '--runs',
      '2',
      ...CONSTANT,
      '--breakdown',
      '--format',
      'csv',
    );
    expect(r.code).toBe(0);
    const [head, ...rows] = r.stdout.trim().split('\n');
    expect(head).toBe('scenario,variant,metric,mean,part,name,mean_ms,share');
    const setup = rows.map(cells).filter((c) => c[2] === 'private_call.setup');
    const mean = Number(setup[0]?.[3]);
    for (const part of ['category', 'step']) {
      const sum = setup.filter((c) => c[4] === part).reduce((s, c) => s + Number(c[6]), 0);
      expect(sum).toBeCloseTo(mean, 9);
    }
  });
});
