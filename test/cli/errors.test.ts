import { describe, expect, it } from 'vitest';
import { expectBadInput, mcsim } from './helpers.ts';

const P = 'scenarios/private-call.yaml';

describe('bad scenario files: one short message naming file and path, exit 2', () => {
  it('a missing file', () => {
    expect(expectBadInput(mcsim('run', 'test/fixtures/bad/nope.yaml'))).toBe(
      'mcsim: test/fixtures/bad/nope.yaml: no such file\n',
    );
  });

  it('a YAML syntax error, with its line', () => {
    expect(expectBadInput(mcsim('run', 'test/fixtures/bad/syntax.yaml'))).toMatch(
      /^mcsim: test\/fixtures\/bad\/syntax\.yaml: YAML syntax error at line 5, column 1: /,
    );
  });

  it('an unknown key', () => {
    expect(expectBadInput(mcsim('run', 'test/fixtures/bad/unknown-key.yaml'))).toBe(
      'mcsim: test/fixtures/bad/unknown-key.yaml: population.users[0]: unknown key "favouriteColour"\n',
    );
  });

  it('a negative delay', () => {
    expect(expectBadInput(mcsim('run', 'test/fixtures/bad/negative-delay.yaml'))).toBe(
      'mcsim: test/fixtures/bad/negative-delay.yaml: topology.systems.A.core.latency: expected a non-negative duration, found "-5ms"\n',
    );
  });

  it('a duration without a unit', () => {
    expect(expectBadInput(mcsim('run', 'test/fixtures/bad/no-unit.yaml'))).toBe(
      'mcsim: test/fixtures/bad/no-unit.yaml: topology.systems.A.access.latency.uniform[0]: expected a duration with a unit such as "20ms", found 10\n',
    );
  });

  it('validate reports every bad file and exits 2', () => {
    const r = mcsim('validate', P, 'test/fixtures/bad/unknown-key.yaml', 'test/fixtures/bad/negative-delay.yaml');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe(`${P}: ok (1 variant)\n`);
    expect(r.stderr).toMatch(/unknown-key\.yaml: population\.users\[0\]/);
    expect(r.stderr).toMatch(/negative-delay\.yaml: topology\.systems\.A\.core\.latency/);
  });
});

describe('bad command lines: one short message, exit 2', () => {
  it('an unknown command', () => {
    expect(expectBadInput(mcsim('frobnicate', P))).toMatch(
      /^mcsim: unknown command "frobnicate"; expected one of run, compare, sweep, validate, list, schema/,
    );
  });

  it('no command', () => {
    expect(expectBadInput(mcsim())).toMatch(/expected a command/);
  });

  it('an unknown option', () => {
    expect(expectBadInput(mcsim('run', P, '--frobnicate'))).toMatch(/Unknown argument: frobnicate/);
  });

  it('a bad --set path, naming the argument', () => {
    expect(expectBadInput(mcsim('run', P, '--set', 'topology.systems.A.hidng=true'))).toMatch(
      /^mcsim: --set topology\.systems\.A\.hidng=true: unknown key "hidng" in topology\.systems\.A; expected one of hiding/,
    );
  });

  it('a --set value of the wrong type, naming the argument', () => {
    expect(expectBadInput(mcsim('run', P, '--set', 'experiment.runs=many'))).toBe(
      'mcsim: --set experiment.runs=many: expected number, found "many"\n',
    );
    expect(expectBadInput(mcsim('run', P, '--set', 'topology.systems.A.core.latency=3'))).toMatch(
      /^mcsim: --set topology\.systems\.A\.core\.latency=3: expected a duration with a unit/,
    );
  });

  it('a --set without =', () => {
    expect(expectBadInput(mcsim('run', P, '--set', 'runs'))).toMatch(/^mcsim: --set runs: expected path=value/);
  });

  it('an unknown variant', () => {
    expect(expectBadInput(mcsim('run', 'test/fixtures/migrated-call.yaml', '--variant', 'nope'))).toBe(
      'mcsim: unknown variant "nope"; the scenario has: kms-uri-in-redirection, kms-lookup\n',
    );
  });

  it('a bad --runs and a bad --format', () => {
    expect(expectBadInput(mcsim('run', P, '--runs', '0'))).toMatch(/--runs expects a whole number >= 1/);
    expect(expectBadInput(mcsim('run', P, '--format', 'xml'))).toMatch(/Choices: "table", "json", "csv"/);
  });

  it('compare with one variant, an unknown --metric, sweep without a sweep', () => {
    expect(expectBadInput(mcsim('compare', P))).toMatch(
      /compare needs two or more variants; the scenario has only "default"/,
    );
    expect(expectBadInput(mcsim('compare', 'test/fixtures/migrated-call.yaml', '--metric', 'setup'))).toMatch(
      /^mcsim: --metric setup: unknown metric; expected one of private_call\.setup/,
    );
    expect(expectBadInput(mcsim('sweep', P))).toMatch(/no experiment\.sweep to run/);
  });
});
