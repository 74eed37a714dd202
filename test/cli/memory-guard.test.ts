import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/experiment/result.ts';
import { ROOT } from './helpers.ts';

// Calls held to the end arrive faster than its server sets them up: memory grows without bound.
const GROWS = 'test/fixtures/grows-without-bound.yaml';

function run(nodeArgs: string[], ...args: string[]) {
  return spawnSync(process.execPath, [...nodeArgs, 'bin/mcsim.js', 'run', GROWS, '--json', '--workers', '1', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, FORCE_COLOR: '0' },
    timeout: 120_000,
  });
}

/** The guard's line: one, naming what grew; no V8 fatal error, no stack trace; valid partial JSON. */
function expectStoppedByGuard(r: ReturnType<typeof run>): RunResult {
  expect(r.status, r.stderr).toBe(1);
  expect(r.stderr).not.toMatch(/FATAL ERROR|heap out of memory|^\s+at /m);
  const lines = r.stderr.trim().split('\n');
  // Before the run, the estimate (held calls x bytes per call) warned of it.
  expect(lines[0]).toMatch(/warning: a replication may hold some .* calls held at once x \d+ B/);
  const guard = lines.filter((l) => l.includes('memory guard stopped the run'));
  expect(guard).toHaveLength(1);
  expect(guard[0]).toMatch(
    /the memory guard stopped the run: live heap over \d+ MB; replication 0 of default held [\d,]+ calls, [\d,]+ queued messages, [\d,]+ pending events and [\d,]+ samples at [\d.]+ s simulated, most of it (held calls|messages queued at busy nodes); 0 of 1 replications finished and 1 cut short \(kept\); the results are partial \(complete: false\)$/,
  );
  const doc = JSON.parse(r.stdout) as RunResult;
  expect(doc).toMatchObject({ complete: false, stopped: 'memory', replications: { planned: 1, completed: 0, cut: 1 } });
  expect(doc.variants[0]?.metrics['private_call.setup']?.n).toBeGreaterThan(0);
  return doc;
}

describe('the memory guard', () => {
  it('under node --max-old-space-size=256: stops before the heap is exhausted, with partial results, exit 1', () => {
    expectStoppedByGuard(run(['--max-old-space-size=256']));
  });

  it('with --max-memory 200MB: the same', () => {
    const r = run([], '--max-memory', '200MB');
    expectStoppedByGuard(r);
    expect(r.stderr).toMatch(/live heap over 200 MB/);
  });

  it('refuses a --max-memory that is no size (exit 2)', () => {
    const r = run([], '--max-memory', 'lots');
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('mcsim: --max-memory expects a size such as 200MB, 1.5GB or 512MiB, found "lots"\n');
  });
});
