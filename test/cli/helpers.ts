import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real CLI in a child process, as a user or CI would. */
export function mcsim(...args: string[]): Ran {
  return mcsimIn(ROOT, ...args);
}

/** The CLI of this checkout run from another directory, as in a project that installed it. */
export function mcsimIn(cwd: string, ...args: string[]): Ran {
  const r = spawnSync(process.execPath, [`${ROOT}bin/mcsim.js`, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, FORCE_COLOR: '0' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A bad-input error as docs/results.md (Exit codes) has it: exit 2, short, on stderr, no stack trace. */
export function expectBadInput(r: Ran): string {
  if (r.code !== 2)
    throw new Error(`expected exit code 2, got ${String(r.code)}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  if (r.stdout !== '') throw new Error(`expected nothing on stdout, got ${r.stdout}`);
  if (r.stderr.split('\n').length > 24) throw new Error(`error longer than a screen:\n${r.stderr}`);
  if (/^\s+at .+[:(]/m.test(r.stderr) || /\.ts:\d+/.test(r.stderr)) throw new Error(`stack trace in:\n${r.stderr}`);
  return r.stderr;
}
