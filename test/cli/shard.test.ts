import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/experiment/result.ts';
import { expectBadInput, mcsim } from './helpers.ts';
import { tempDir } from '../fixtures/temp-dir.ts';

const FIXTURE = 'test/fixtures/migrated-call.yaml';
const SWEEP = 'experiment.sweep={"topology.interconnects[0].latency": [10ms, 30ms, 50ms]}';
const tmp = (): string => tempDir('shard');

/** Runs shard i/n of a command to a file of its own. */
function shard(dir: string, i: number, n: number, ...args: string[]): string {
  const out = join(dir, `part-${i}.json`);
  const r = mcsim(...args, '--shard', `${i}/${n}`, '--out', out, '--workers', '1');
  expect(r.code, r.stderr).toBe(0);
  return out;
}

/** Runs the n shards of one command, each to its own file; returns the files. */
const shards = (dir: string, n: number, ...args: string[]): string[] =>
  Array.from({ length: n }, (_, i) => shard(dir, i, n, ...args));

describe('--shard i/n and mcsim merge', () => {
  it('a sweep sharded 4 ways merges to exactly the unsharded JSON, and to its CSV', () => {
    const dir = tmp();
    const args = ['sweep', FIXTURE, '--runs', '5', '--seed', '3', '--set', SWEEP];
    const whole = mcsim(...args, '--json', '--workers', '1');
    expect(whole.code).toBe(0);
    const parts = shards(dir, 4, ...args);
    const merged = mcsim('merge', ...parts.reverse());
    expect(merged.code, merged.stderr).toBe(0);
    expect(merged.stdout).toBe(whole.stdout);
    expect((JSON.parse(merged.stdout) as RunResult).complete).toBe(true);
    expect(mcsim('merge', ...parts, '--json').stdout).toBe(whole.stdout);
    const out = join(dir, 'merged.csv');
    expect(mcsim('merge', ...parts, '--format', 'csv', '-o', out).code).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(mcsim(...args, '--workers', '1').stdout);
  });

  it('compare shards too, including more shards than replications', () => {
    const args = ['compare', FIXTURE, '--runs', '2'];
    const whole = mcsim(...args, '--json', '--workers', '1');
    const merged = mcsim('merge', ...shards(tmp(), 3, ...args));
    expect(merged.code, merged.stderr).toBe(0);
    expect(merged.stdout).toBe(whole.stdout);
  });

  it('refuses parts of different runs, missing or repeated shards, foreign files (exit 2)', () => {
    const dir = tmp();
    const a = shards(join(dir, 'a'), 2, 'run', FIXTURE, '--runs', '4', '--seed', '1');
    const b = shard(join(dir, 'b'), 1, 2, 'run', FIXTURE, '--runs', '4', '--seed', '2');
    expect(expectBadInput(mcsim('merge', a[0] as string, b))).toMatch(
      /shards of different runs: .*seed 2.* against .*seed 1/,
    );
    expect(expectBadInput(mcsim('merge', a[0] as string))).toMatch(/missing shard 1\/2 \(got 1 of 2\)/);
    expect(expectBadInput(mcsim('merge', a[0] as string, a[0] as string, a[1] as string))).toMatch(
      /shard 0\/2 given twice/,
    );
    const c = shard(
      join(dir, 'c'),
      1,
      2,
      'run',
      FIXTURE,
      '--runs',
      '4',
      '--seed',
      '1',
      '--set',
      'topology.interconnects[0].latency=40ms',
    );
    expect(expectBadInput(mcsim('merge', a[0] as string, c))).toMatch(/different runs.*--set/);
    const older = join(dir, 'older.json');
    writeFileSync(
      older,
      JSON.stringify({ ...(JSON.parse(readFileSync(a[1] as string, 'utf8')) as object), mcsim: '0.0.1' }),
    );
    expect(expectBadInput(mcsim('merge', a[0] as string, older))).toMatch(/written by mcsim 0\.0\.1/);
    const result = join(dir, 'result.json');
    writeFileSync(result, mcsim('run', FIXTURE, '--runs', '1', '--json').stdout);
    expect(expectBadInput(mcsim('merge', result))).toMatch(/not a partial result/);
    expect(expectBadInput(mcsim('merge', join(dir, 'nope.json')))).toMatch(/no such file/);
  });

  it('refuses a malformed --shard and --shard with --trace (exit 2)', () => {
    expect(expectBadInput(mcsim('run', FIXTURE, '--shard', '4/4'))).toMatch(/--shard expects i\/n with 0 <= i < n/);
    expect(expectBadInput(mcsim('run', FIXTURE, '--shard', '0/2', '--trace', join(tmp(), 't.jsonl')))).toMatch(
      /--trace and --shard/,
    );
  });
});
