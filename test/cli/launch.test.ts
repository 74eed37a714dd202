import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bundlePath, sourceStamp } from '../../bin/launch.mjs';
import { ROOT } from './helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'mcsim-stamp-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (env: Record<string, string>) =>
  spawnSync(
    process.execPath,
    ['bin/mcsim.js', 'run', 'scenarios/private-call.yaml', '--runs', '3', '--workers', '1', '--json'],
    {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, FORCE_COLOR: '0', ...env },
    },
  );
/** A run's JSON without its wall-clock figures. */
const results = (stdout: string): string => stdout.replace(/"wall[^,}]*[,}]/g, '');

describe('starting the CLI (bin/launch.mjs)', () => {
  it('stamps the sources: the same tree, the same stamp; a file touched, resized, added or removed, another', () => {
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'a.ts'), 'one');
    writeFileSync(join(dir, 'sub', 'b.ts'), 'two');
    const first = sourceStamp(dir);
    expect(sourceStamp(dir)).toBe(first);
    utimesSync(join(dir, 'a.ts'), new Date(2020, 0, 1), new Date(2020, 0, 1));
    const touched = sourceStamp(dir);
    expect(touched).not.toBe(first);
    writeFileSync(join(dir, 'sub', 'b.ts'), 'three');
    utimesSync(join(dir, 'sub', 'b.ts'), new Date(2020, 0, 1), new Date(2020, 0, 1));
    const resized = sourceStamp(dir);
    expect(resized).not.toBe(touched);
    writeFileSync(join(dir, 'c.ts'), '');
    const added = sourceStamp(dir);
    expect(added).not.toBe(resized);
    rmSync(join(dir, 'c.ts'));
    expect(sourceStamp(dir)).toBe(resized);
  });

  it('runs from the bundle of the current sources, with the very results of the sources run through tsx', () => {
    const bundled = run({});
    expect(bundled.status).toBe(0);
    expect(existsSync(bundlePath(sourceStamp()))).toBe(true);
    const direct = run({ MCSIM_NO_BUNDLE: '1' });
    expect(direct.status).toBe(0);
    expect(results(bundled.stdout)).toBe(results(direct.stdout));
    expect(results(bundled.stdout)).toContain('"private_call.setup"');
  });
});
