import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseBaseline } from '../../src/report/baseline.ts';
import type { CheckReport } from '../../src/report/baseline.ts';
import { tempDir } from '../fixtures/temp-dir.ts';
import { expectBadInput, mcsimIn } from './helpers.ts';

/** A small scenario of the kind a product's CI would gate: one private call, two variants, a sweep. */
const SCENARIO = `name: my-call
topology:
  defaults:
    access: { latency: 10ms }
    interconnect: { latency: 20ms }
  systems:
    A: { processing: { server: { default: 2ms } } }
    B: {}
  interconnects:
    - { between: [A, B] }
population:
  users:
    - { name: alice, primary: A }
    - { name: bob, primary: B }
timeline:
  - { at: 0ms, id: call, privateCall: { from: alice, to: bob } }
experiment:
  runs: 3
  variants:
    - { name: plain }
    - { name: slow-access, set: { topology.defaults.access.latency: 30ms } }
`;

const SWEEP = `${SCENARIO}  sweep:
    topology.defaults.interconnect.latency: [20ms, 40ms]
`;

function project(yaml = SCENARIO): string {
  const dir = tempDir('baseline');
  writeFileSync(join(dir, 'my.yaml'), yaml);
  return dir;
}

describe('mcsim baseline', () => {
  it('writes a first baseline that check passes, and check fails naming the metric after a processing delay changes', () => {
    const dir = project();
    const made = mcsimIn(dir, 'baseline', 'my.yaml', '-o', 'base.json');
    expect(made.code, made.stderr).toBe(0);
    expect(made.stderr).toMatch(
      /base\.json: \d+ values of 1 scenario\(s\); check them with "mcsim check --baseline base\.json"/,
    );
    const b = parseBaseline('base.json', readFileSync(join(dir, 'base.json'), 'utf8'));
    expect(b.scenarios).toHaveLength(1);
    expect(b.scenarios[0]).toMatchObject({ file: 'my.yaml', seed: 1, runs: 3 });
    expect(Object.keys(b.scenarios[0]?.variants ?? {})).toEqual(['plain', 'slow-access']);
    // Constant delays: the set-up is the sum of the path, the same in every replication.
    expect(b.scenarios[0]?.variants?.['plain']?.metrics['private_call.setup']?.mean).toBeGreaterThan(0);

    const ok = mcsimIn(dir, 'check', '--baseline', 'base.json', '--junit', 'j.xml');
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/check passed/);
    expect(readFileSync(join(dir, 'j.xml'), 'utf8')).toMatch(/<testsuites [^>]*failures="0"/);

    writeFileSync(join(dir, 'my.yaml'), SCENARIO.replace('default: 2ms', 'default: 12ms'));
    const bad = mcsimIn(dir, 'check', '--baseline', 'base.json', '--junit', 'j.xml');
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/check FAILED/);
    expect(bad.stdout).toMatch(/plain\s+private_call\.setup mean .*regressed/);
    expect(readFileSync(join(dir, 'j.xml'), 'utf8')).toMatch(/<failure message="private_call.setup mean regressed/);
  });

  it('--runs, --seed and --variant shape the baseline; --json prints the check report', () => {
    const dir = project();
    expect(
      mcsimIn(dir, 'baseline', 'my.yaml', '-o', 'b.json', '--runs', '2', '--seed', '7', '--variant', 'slow-access')
        .code,
    ).toBe(0);
    const b = parseBaseline('b.json', readFileSync(join(dir, 'b.json'), 'utf8'));
    expect(b.scenarios[0]).toMatchObject({ runs: 2, seed: 7 });
    expect(Object.keys(b.scenarios[0]?.variants ?? {})).toEqual(['slow-access']);
    const r = mcsimIn(dir, 'check', '--baseline', 'b.json', '--json');
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as CheckReport;
    expect(report.failures).toBe(0);
    expect(new Set(report.metrics.map((m) => m.variant))).toEqual(new Set(['slow-access']));
  });

  it('a sweep needs its point named: the advice given works as written', () => {
    const dir = project(SWEEP);
    const refused = expectBadInput(mcsimIn(dir, 'baseline', 'my.yaml', '-o', 'b.json'));
    const advice = /e\.g\. (--set '[^']+')/.exec(refused);
    expect(advice, refused).not.toBeNull();
    const [, option] = advice as RegExpExecArray;
    const value = /--set '([^']+)'/.exec(option as string)?.[1] as string;
    expect(value).toBe('topology.defaults.interconnect.latency=20ms');
    expect(mcsimIn(dir, 'baseline', 'my.yaml', '-o', 'b.json', '--set', value).code).toBe(0);
    const b = parseBaseline('b.json', readFileSync(join(dir, 'b.json'), 'utf8'));
    expect(b.scenarios[0]?.set).toEqual({ 'topology.defaults.interconnect.latency': '20ms' });
    expect(mcsimIn(dir, 'check', '--baseline', 'b.json').code).toBe(0);
    // check --set moves every scenario to another point: 20 ms more interconnect each way.
    const moved = mcsimIn(dir, 'check', '--baseline', 'b.json', '--set', 'topology.defaults.interconnect.latency=40ms');
    expect(moved.code).toBe(1);
    expect(moved.stdout).toMatch(/private_call\.setup mean .*regressed/);
  });

  it('warns when a variant has nothing to baseline: every call failed', () => {
    const dir = project(SCENARIO.replace('    - { between: [A, B] }\n', '').replace('  interconnects:\n', ''));
    const r = mcsimIn(dir, 'baseline', 'my.yaml', '-o', 'b.json');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/my\.yaml, variant plain: no successful samples \(private_call\.setup: unreachable 3\)/);
  });

  it('check without --baseline where no default exists says how to make one; bad -o is bad input', () => {
    const dir = project();
    expect(expectBadInput(mcsimIn(dir, 'check'))).toMatch(
      /no baseline: pass --baseline FILE, or make a first one with "mcsim baseline <scenario.yaml> -o baselines\/ci.json"/,
    );
    expect(expectBadInput(mcsimIn(dir, 'baseline', 'my.yaml', '-o', 'b.txt'))).toMatch(/a baseline is JSON/);
    expect(expectBadInput(mcsimIn(dir, 'baseline', 'my.yaml'))).toMatch(/Missing required argument: out/);
  });
});
