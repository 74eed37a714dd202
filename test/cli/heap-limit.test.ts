import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { fittingHeapMb, heapChosen, HEAP_SHARE, machineMemory, simulatingThreads } from '../../bin/heap.mjs';
import { ROOT } from './helpers.ts';

const GiB = 2 ** 30;

describe('the heap limit the CLI gives Node (bin/heap.mjs)', () => {
  it('is HEAP_SHARE of the memory over the threads that simulate: --workers N, else the cores', () => {
    expect(simulatingThreads(['run', 'x.yaml'], 8)).toBe(8);
    expect(simulatingThreads(['run', 'x.yaml', '--workers', '3'], 8)).toBe(3);
    expect(simulatingThreads(['run', 'x.yaml', '--workers=1'], 8)).toBe(1);
    expect(fittingHeapMb(['run', 'x.yaml', '--workers', '1'], 16 * GiB, 8)).toBe(HEAP_SHARE * 16 * 1024);
    expect(fittingHeapMb(['run', 'x.yaml'], 16 * GiB, 8)).toBe((HEAP_SHARE * 16 * 1024) / 8);
    // Never below 256 MiB a thread.
    expect(fittingHeapMb(['run', 'x.yaml'], 1 * GiB, 64)).toBe(256);
    expect(machineMemory()).toBeGreaterThan(0);
  });

  it("is the user's where they chose one, on node's command line or in NODE_OPTIONS", () => {
    expect(heapChosen(['--max-old-space-size=512'], undefined)).toBe(true);
    expect(heapChosen([], '--max_old_space_size=512 --trace-warnings')).toBe(true);
    expect(heapChosen(['--enable-source-maps'], '')).toBe(false);
  });

  it('reaches the run: the memory guard allows its share of the fitting heap, or of the chosen one', () => {
    // A scenario too large for any machine: the warning names the guard's limit before the run.
    const huge = ['--set', 'timeline[0].privateCallLoad.rate=1000000/s', '--max-events', '1', '--workers', '1'];
    const guardMb = (nodeArgs: string[]): number => {
      const r = spawnSync(
        process.execPath,
        [...nodeArgs, 'bin/mcsim.js', 'run', 'test/fixtures/long-replication.yaml', '--json', ...huge],
        { cwd: ROOT, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } },
      );
      const m = /more than the memory guard's limit of ([\d.]+) (GB|MB)/.exec(r.stderr);
      if (m === null) throw new Error(`no warning in:\n${r.stderr}`);
      return (Number(m[1]) * (m[2] === 'GB' ? 1e9 : 1e6)) / 2 ** 20;
    };
    const fitting = fittingHeapMb(['--workers', '1']);
    expect(guardMb([])).toBeGreaterThan(0.75 * fitting);
    expect(guardMb([])).toBeLessThan(0.85 * fitting);
    expect(guardMb(['--max-old-space-size=1000'])).toBeCloseTo(800, -1);
  });
});
