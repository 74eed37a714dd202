import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CACHE, sourceStamp } from '../../bin/launch.mjs';
import { ROOT } from './helpers.ts';

const FIXTURE = 'test/fixtures/migrated-call.yaml';

/** The CLI with the worker threshold at 0, so that even this small job starts workers. */
function mcsim(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['bin/mcsim.js', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, FORCE_COLOR: '0', MCSIM_PARALLEL_THRESHOLD_MS: '0' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('--workers', () => {
  it('worker threads started from bin/mcsim.js give byte-identical JSON to a serial run, sweeps included', () => {
    const sweep = ['--set', 'experiment.sweep={"topology.interconnects[0].latency": [10ms, 30ms]}'];
    for (const args of [
      ['run', FIXTURE, '--runs', '40', '--json'],
      ['sweep', FIXTURE, '--runs', '10', '--json', ...sweep],
    ]) {
      const serial = mcsim(...args, '--workers', '1');
      const parallel = mcsim(...args, '--workers', '2');
      expect(parallel.code, parallel.stderr).toBe(0);
      expect(parallel.stdout).toBe(serial.stdout);
    }
    // The workers' script, bundled once for these sources, is kept for the next run.
    expect(existsSync(join(CACHE, `worker-${sourceStamp()}.cjs`))).toBe(true);
  });

  it('refuses a --workers that is not a whole number >= 1 (exit 2)', () => {
    const r = mcsim('run', FIXTURE, '--workers', '0');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--workers expects a whole number >= 1, found 0/);
  });
});
