import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/experiment/result.ts';
import { ROOT } from './helpers.ts';
import { tempDir } from '../fixtures/temp-dir.ts';

const FIXTURE = 'test/fixtures/migrated-call.yaml';
const tmp = (): string => tempDir('guards');

function mcsimEnv(
  env: Record<string, string>,
  ...args: string[]
): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['bin/mcsim.js', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, FORCE_COLOR: '0', ...env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('resource guards', () => {
  it('--max-events stops each replication at the ceiling: partial results, a clear message, exit 1', () => {
    const r = mcsimEnv({}, 'run', FIXTURE, '--runs', '2', '--max-events', '10', '--json');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/4 replications stopped at the event ceiling of 10 events \(--max-events\)/);
    const doc = JSON.parse(r.stdout) as RunResult;
    expect(doc.complete).toBe(false);
    expect(doc.variants.map((v) => v.counters.events)).toEqual([20, 20]);
  });

  it('--max-wall stops a long run, serial or on workers, with what it has', () => {
    for (const [env, workers] of [
      [{}, '1'],
      [{ MCSIM_PARALLEL_THRESHOLD_MS: '0' }, '2'],
    ] as const) {
      const r = mcsimEnv(env, 'run', FIXTURE, '--runs', '1000000', '--workers', workers, '--max-wall', '1', '--json');
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toMatch(
        /--max-wall reached after \d+ of 2000000 replications( and \d cut short \(kept\))?; the results are partial \(complete: false\)/,
      );
      const doc = JSON.parse(r.stdout) as RunResult;
      expect(doc.complete).toBe(false);
      expect(doc.runs).toBe(1000000);
    }
  });

  it('SIGINT ends the run with the replications done: JSON with complete: false, the trace kept, exit 130', async () => {
    const dir = tmp();
    const child = spawn(
      process.execPath,
      [
        'bin/mcsim.js',
        'run',
        FIXTURE,
        '--runs',
        '1000000',
        '--workers',
        '1',
        '--json',
        '--trace',
        join(dir, 'trace.jsonl'),
      ],
      {
        cwd: ROOT,
        env: { ...process.env, FORCE_COLOR: '0' },
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    // The trace of replication 0 is written first, to a temporary file: once it has lines, the run is under way.
    const started = (): boolean => readdirSync(dir).some((f) => f.endsWith('.tmp') && statSync(join(dir, f)).size > 0);
    for (let i = 0; i < 600 && !started(); i++) await sleep(100);
    expect(started()).toBe(true);
    await sleep(300);
    child.kill('SIGINT');
    const code = await Promise.race([exited, sleep(20_000).then(() => 'still running')]);
    if (code === 'still running') child.kill('SIGKILL');
    expect(code, stderr).toBe(130);
    expect(stderr).toMatch(
      /interrupted; Ctrl-C again quits at once; writing what the run has so far \(complete: false\)/,
    );
    const doc = JSON.parse(stdout) as RunResult;
    expect(doc.complete).toBe(false);
    expect(doc.variants[0]?.metrics['private_call.setup']?.n).toBeGreaterThan(0);
    expect(existsSync(join(dir, 'trace.jsonl'))).toBe(true);
  });
});
