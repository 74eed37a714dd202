import { describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/experiment/result.ts';
import { expectBadInput, mcsim } from './helpers.ts';

const FILE = 'scenarios/private-call-to-migrated-user.yaml';
const PAIR = ['--variant', 'kms-uri-in-redirection', '--variant', 'kms-lookup', '--runs', '10'];

describe('mcsim compare messages', () => {
  it("one --variant: names the scenario's variants and how to compare them", () => {
    expect(expectBadInput(mcsim('compare', FILE, '--variant', 'kms-lookup'))).toMatch(
      /--variant kms-lookup: compare needs two or more variants; name another of "kms-uri-in-redirection", "kms-lookup", .*or drop --variant to compare them all/,
    );
  });

  it('several --metric are all honoured; one only one side measures is named on stderr, not dropped silently', () => {
    const r = mcsim('compare', FILE, ...PAIR, '--metric', 'kms.lookup', '--metric', 'private_call.setup', '--json');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as RunResult;
    expect(doc.comparisons.map((c) => c.metric)).toEqual(['private_call.setup']);
    expect(r.stderr).toMatch(
      /kms\.lookup: measured only in kms-lookup \(not in kms-uri-in-redirection\): no paired difference/,
    );
  });

  it('alone, such a metric says why there is nothing to compare', () => {
    const r = mcsim('compare', FILE, ...PAIR, '--metric', 'kms.lookup');
    expect(r.stdout).toMatch(/nothing to compare: no metric has samples in both variants of a compared pair/);
    expect(r.stderr).toMatch(/kms\.lookup: measured only in kms-lookup/);
  });

  it('with every metric, those one side lacks are listed too', () => {
    const r = mcsim('compare', FILE, ...PAIR);
    expect(r.stdout).toMatch(/private_call\.setup: kms-lookup - kms-uri-in-redirection = \+/);
    expect(r.stderr).toMatch(/private_call\.key_discovery: measured only in kms-lookup/);
  });
});
