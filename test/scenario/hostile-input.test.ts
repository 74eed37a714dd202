import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario, ScenarioError } from '../../src/scenario/load.ts';
import { generated, handWritten, type Hostile } from './hostile-corpus.ts';
import { tempDir } from '../fixtures/temp-dir.ts';

const corpus: Hostile[] = [...handWritten(), ...generated(160)];
const dir = tempDir('hostile');
const files = corpus.map((h) => {
  const file = join(dir, h.name);
  writeFileSync(file, h.bytes);
  return file;
});

/** One screen: a few short lines, no stack frames. */
function oneScreen(message: string): void {
  const lines = message.trimEnd().split('\n');
  expect(lines.length).toBeLessThanOrEqual(24);
  expect(lines.every((l) => l.length <= 400)).toBe(true);
  expect(message).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
}

describe(`hostile scenario input (${corpus.length} files)`, () => {
  it('the corpus holds at least 200 inputs, hand-written and generated', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(200);
  });

  it.each(files.map((f, i) => [corpus[i]?.name, f]))('%s is refused with a short, precise message', (_name, file) => {
    let error: unknown;
    try {
      loadScenario(file as string);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ScenarioError);
    const message = (error as ScenarioError).message;
    expect(message.startsWith(`${file}: `)).toBe(true);
    oneScreen(message);
    // Data stays data: nothing reached Object.prototype.
    expect(Object.keys(Object.prototype)).toEqual([]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('through the CLI: every file ends with exit 2 and its own one-screen message', () => {
    const r = spawnSync(process.execPath, ['bin/mcsim.js', 'validate', ...files], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    for (const f of files) expect(r.stderr).toContain(`mcsim: ${f}: `);
    expect(r.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
  });

  it.each(['ten-megabytes.yaml', 'garbage.bin.yaml', 'deep-map.yaml', 'billion-laughs.yaml', 'js-function-tag.yaml'])(
    'mcsim run %s: exit 2, no stack trace, no hang',
    (name) => {
      const file = files[corpus.findIndex((h) => h.name === name)] as string;
      const r = spawnSync(process.execPath, ['bin/mcsim.js', 'run', file], { encoding: 'utf8', timeout: 60_000 });
      expect(r.status).toBe(2);
      expect(r.stdout).toBe('');
      oneScreen(r.stderr);
    },
  );
});
