import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { parseBaseline, type Baseline } from '../../src/report/baseline.ts';
import { expectBadInput, mcsim, ROOT } from './helpers.ts';
import { tempDir } from '../fixtures/temp-dir.ts';

const SCENARIO = 'scenarios/private-call-to-migrated-user.yaml';
const tmp = (): string => tempDir('check');

/** The CI baseline's entry for the private call scenario, copied beside a copy of the scenario. */
function copyOfBaseline(dir: string, edit: (yaml: string) => string): string {
  const ci = parseBaseline('ci.json', readFileSync(join(ROOT, 'baselines/ci.json'), 'utf8'));
  const entry = ci.scenarios.find((s) => s.file.endsWith(SCENARIO));
  if (entry === undefined) throw new Error(`baselines/ci.json does not name ${SCENARIO}`);
  writeFileSync(join(dir, 'scenario.yaml'), edit(readFileSync(join(ROOT, SCENARIO), 'utf8')));
  const baseline: Baseline = { ...ci, scenarios: [{ ...entry, file: 'scenario.yaml' }] };
  writeFileSync(join(dir, 'baseline.json'), JSON.stringify(baseline, null, 2));
  return join(dir, 'baseline.json');
}

interface JUnitCase {
  '@_name': string;
  failure?: { '@_message': string };
}

describe('mcsim check', () => {
  it('passes on the unchanged tree and writes JUnit XML that parses', () => {
    const dir = tmp();
    const junit = join(dir, 'junit.xml');
    const r = mcsim('check', '--junit', junit);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/check passed/);
    expect(r.stdout).toMatch(/kms-lookup\s+private_call\.setup mean\s+\d+\.\d+\s+\d+\.\d+\s+0\.00%/);
    const text = readFileSync(junit, 'utf8');
    expect(XMLValidator.validate(text)).toBe(true);
    const doc = new XMLParser({
      ignoreAttributes: false,
      isArray: (name) => name === 'testsuite' || name === 'testcase',
    }).parse(text) as {
      testsuites: { '@_failures': string; testsuite: { '@_name': string; testcase: JUnitCase[] }[] };
    };
    expect(doc.testsuites['@_failures']).toBe('0');
    const suites = doc.testsuites.testsuite.map((s) => s['@_name']);
    expect(suites).toContain('private-call-to-migrated-user');
    expect(suites.some((s) => s.startsWith('migration'))).toBe(true);
    const names = doc.testsuites.testsuite.flatMap((s) => s.testcase.map((c) => c['@_name']));
    expect(names).toContain('kms-lookup private_call.setup');
    expect(names).toContain('kms-uri-in-redirection private_call.setup');
  });

  it('fails with exit 1 and names the metric when a processing delay changes in a copy of a baselined scenario', () => {
    const dir = tmp();
    // The KMS takes ten times longer to answer: only the lookup variant asks it anything.
    const baseline = copyOfBaseline(dir, (y) =>
      y.replace('kms: { default: { uniform: [4ms, 6ms] } }', 'kms: { default: { uniform: [40ms, 60ms] } }'),
    );
    expect(readFileSync(join(dir, 'scenario.yaml'), 'utf8')).toContain('[40ms, 60ms]');
    const junit = join(dir, 'junit.xml');
    const r = mcsim('check', '--baseline', baseline, '--junit', junit);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/check FAILED/);
    // Failures come first in the table; the unaffected variant is still ok.
    const lines = r.stdout.split('\n');
    expect(lines[1]).toMatch(/kms-lookup\s+kms\.lookup mean\s+[\d.]+\s+[\d.]+\s+\+\d+\.\d+%.*regressed$/);
    expect(r.stdout).toMatch(/kms-lookup\s+private_call\.setup mean .*regressed/);
    expect(r.stdout).toMatch(/kms-uri-in-redirection\s+private_call\.setup mean .*ok/);
    const text = readFileSync(junit, 'utf8');
    expect(XMLValidator.validate(text)).toBe(true);
    expect(text).toMatch(/<testcase [^>]*name="kms-lookup kms.lookup">\s*<failure message="kms.lookup mean regressed/);
  });

  it('--update rewrites the baseline so that the changed scenario passes again', () => {
    const dir = tmp();
    const baseline = copyOfBaseline(dir, (y) =>
      y.replace('kms: { default: { uniform: [4ms, 6ms] } }', 'kms: { default: { uniform: [40ms, 60ms] } }'),
    );
    const before = parseBaseline(baseline, readFileSync(baseline, 'utf8'));
    expect(mcsim('check', '--baseline', baseline, '--update').code).toBe(0);
    const after = parseBaseline(baseline, readFileSync(baseline, 'utf8'));
    expect(after.tolerance).toEqual(before.tolerance);
    const lookup = (b: Baseline): number =>
      b.scenarios[0]?.variants?.['kms-lookup']?.metrics['kms.lookup']?.mean ?? NaN;
    expect(lookup(after)).toBeGreaterThan(lookup(before) + 30);
    expect(mcsim('check', '--baseline', baseline).code).toBe(0);
  });

  it('a KPI verdict that flips fails the check', () => {
    const dir = tmp();
    const baseline = copyOfBaseline(dir, (y) => y.replace('limit: 1000ms', 'limit: 300ms'));
    // Loosen the metric tolerance so only the verdict can fail.
    const b = parseBaseline(baseline, readFileSync(baseline, 'utf8'));
    writeFileSync(baseline, JSON.stringify({ ...b, tolerance: { relative: 1 } }));
    const r = mcsim('check', '--baseline', baseline);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/kms-lookup\s+KPI2\s+PASS\s+FAIL\s+flipped/);
  });

  it('bad baselines are bad input: exit 2, one line', () => {
    const dir = tmp();
    expect(expectBadInput(mcsim('check', '--baseline', join(dir, 'none.json')))).toMatch(/no such baseline file/);
    writeFileSync(
      join(dir, 'b.json'),
      '{"mcsim_baseline": 1, "tolerance": {}, "scenarios": [{"file": "x.yaml", "seed": 1, "runs": 0, "variants": {}}]}',
    );
    expect(expectBadInput(mcsim('check', '--baseline', join(dir, 'b.json')))).toMatch(/scenarios\.0\.runs/);
    copyFileSync(join(ROOT, SCENARIO), join(dir, 's.yaml'));
    writeFileSync(
      join(dir, 'c.json'),
      '{"mcsim_baseline": 1, "tolerance": {}, "scenarios": [{"file": "s.yaml", "seed": 1, "runs": 1, "variants": {"nope": {"metrics": {}}}}]}',
    );
    expect(expectBadInput(mcsim('check', '--baseline', join(dir, 'c.json')))).toMatch(/unknown variant "nope"/);
  });
});
