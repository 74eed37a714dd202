import { spawn } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/experiment/result.ts';
import { mcsim, ROOT } from './helpers.ts';

// One replication of it runs for minutes, and it measures from its first milliseconds.
const LONG = 'test/fixtures/long-replication.yaml';

interface Signalled {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Wall time from the signal to the process's exit, ms. */
  afterMs: number;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Starts the CLI, sends `signal` after `delayMs`, and waits (at most 20 s) for it to end. */
async function signalAfter(
  signal: NodeJS.Signals,
  delayMs: number,
  args: string[],
  env: Record<string, string> = {},
): Promise<Signalled> {
  const child = spawn(process.execPath, ['bin/mcsim.js', ...args], {
    cwd: ROOT,
    env: { ...process.env, FORCE_COLOR: '0', ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  await sleep(delayMs);
  const sent = performance.now();
  child.kill(signal);
  const code = await Promise.race([exited, sleep(20_000).then(() => 'still running' as const)]);
  if (code === 'still running') {
    child.kill('SIGKILL');
    throw new Error(`still running 20 s after ${signal}; stderr:\n${stderr}`);
  }
  return { code, stdout, stderr, afterMs: performance.now() - sent };
}

const setups = (r: RunResult): number => r.variants.reduce((n, v) => n + (v.metrics['private_call.setup']?.n ?? 0), 0);

describe('a signal inside one long replication', () => {
  // The CLI bundles its sources on its first start: not part of what is timed here.
  beforeAll(() => void mcsim('validate', LONG));

  it('Ctrl-C 2 s in: exit 130 within 2 s, the cut replication kept and marked', async () => {
    const r = await signalAfter('SIGINT', 2000, ['run', LONG, '--json', '--workers', '1']);
    expect(r.code, r.stderr).toBe(130);
    expect(r.afterMs).toBeLessThan(2000);
    expect(r.stderr).toMatch(/interrupted; Ctrl-C again quits at once; writing what the run has so far/);
    const doc = JSON.parse(r.stdout) as RunResult;
    expect(doc).toMatchObject({ complete: false, stopped: 'interrupted' });
    expect(doc.replications).toEqual({ planned: 1, completed: 0, cut: 1 });
    expect(doc.variants[0]?.replications).toEqual({ completed: 0, cut: 1 });
    expect(setups(doc)).toBeGreaterThan(0);
  });

  it('the same with --workers 2', async () => {
    const r = await signalAfter('SIGINT', 2000, ['run', LONG, '--json', '--workers', '2']);
    expect(r.code, r.stderr).toBe(130);
    expect(r.afterMs).toBeLessThan(2000);
    const doc = JSON.parse(r.stdout) as RunResult;
    expect(doc).toMatchObject({ complete: false, stopped: 'interrupted', replications: { cut: 1 } });
    expect(setups(doc)).toBeGreaterThan(0);
  });

  it('in worker threads: every replication running is cut, kept and marked', async () => {
    // Four long replications, on two workers from the start.
    const r = await signalAfter('SIGINT', 3000, ['run', LONG, '--json', '--workers', '2', '--runs', '4'], {
      MCSIM_PARALLEL_THRESHOLD_MS: '0',
    });
    expect(r.code, r.stderr).toBe(130);
    expect(r.afterMs).toBeLessThan(2000);
    const doc = JSON.parse(r.stdout) as RunResult;
    expect(doc).toMatchObject({ complete: false, stopped: 'interrupted', replications: { planned: 4, completed: 0 } });
    // One per worker, unless a worker was still building its model (nothing measured: not kept).
    expect(doc.replications.cut).toBeGreaterThanOrEqual(1);
    expect(doc.replications.cut).toBeLessThanOrEqual(2);
    expect(setups(doc)).toBeGreaterThan(0);
  });

  it('SIGTERM behaves the same, with exit 143 (128 + 15)', async () => {
    for (const workers of ['1', '2']) {
      const r = await signalAfter('SIGTERM', 2000, ['run', LONG, '--json', '--workers', workers]);
      expect(r.code, r.stderr).toBe(143);
      expect(r.afterMs).toBeLessThan(2000);
      expect(r.stderr).toMatch(/terminated \(SIGTERM\); writing what the run has so far \(complete: false\)/);
      const doc = JSON.parse(r.stdout) as RunResult;
      expect(doc).toMatchObject({ complete: false, stopped: 'terminated', replications: { cut: 1 } });
      expect(setups(doc)).toBeGreaterThan(0);
    }
  });

  it('--max-wall keeps the cut replication too', () => {
    const r = mcsim('run', LONG, '--json', '--workers', '1', '--max-wall', '1');
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/--max-wall reached after 0 of 1 replications and 1 cut short \(kept\)/);
    const doc = JSON.parse(r.stdout) as RunResult;
    expect(doc).toMatchObject({ complete: false, stopped: 'max-wall', replications: { completed: 0, cut: 1 } });
    expect(setups(doc)).toBeGreaterThan(0);
  });
});
