/**
 * `npm run golden [-- --update] [-- --deep]`: the golden check. Runs every bundled scenario
 * (scenarios/ and examples/) through the CLI as a user would, `run --json --workers 1 --trace FILE`,
 * and compares the SHA-256 of its JSON result and of its message trace with bench/golden.json. A
 * refactor keeps every digest; a change that moves a number updates the file in a commit that says
 * why. `--deep` adds 400 random scenarios drawn with a fixed seed from the property tests'
 * generator (faults, loss bursts, retransmissions, loads, migrations), in batches of 50: the rare
 * paths the bundled files do not reach.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIGESTS = join(ROOT, 'bench', 'golden.json');
const CLI = join(ROOT, 'bin', 'mcsim.js');

interface Digest {
  /** The CLI's exit code: 1 where a KPI of the scenario fails, which is part of its result. */
  exit: number;
  result: string;
  trace: string;
}

/** The bundled scenarios: every YAML file under scenarios/ and examples/. */
function bundledScenarios(): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.ya?ml$/.test(e.name)) found.push(relative(ROOT, p));
    }
  };
  walk(join(ROOT, 'scenarios'));
  walk(join(ROOT, 'examples'));
  return found.sort();
}

const sha256 = (text: string | Buffer): string => createHash('sha256').update(text).digest('hex');

/** Runs the CLI on `file` (relative to `cwd`: results name their file as given). */
async function digestOf(file: string | string[], dir: string, extra: string[] = [], cwd = ROOT): Promise<Digest> {
  const files = typeof file === 'string' ? [file] : file;
  const trace = join(dir, `${(files[0] as string).replaceAll('/', '_')}.jsonl`);
  const args = [CLI, 'run', ...files, '--json', '--workers', '1', '--trace', trace, ...extra];
  const { exit, stdout, stderr } = await new Promise<{ exit: number; stdout: string; stderr: string }>((done) => {
    execFile(process.execPath, args, { cwd, maxBuffer: 1 << 28 }, (error, stdout, stderr) =>
      done({ exit: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, stdout, stderr }),
    );
  });
  if (exit !== 0 && exit !== 1) throw new Error(`golden: ${file}: the CLI exited with ${exit}:\n${stderr}`);
  return { exit, result: sha256(stdout), trace: sha256(readFileSync(trace)) };
}

/** Runs `work` over `items`, `width` at a time, keeping the items' order in the result. */
async function inTurns<T, R>(items: readonly T[], width: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await work(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: width }, lane));
  return out;
}

const DEEP_CASES = 400;
const DEEP_BATCH = 50;

/** The random scenarios of `--deep`, written as JSON files in `dir`, in batches named by their case range. */
async function randomScenarios(dir: string): Promise<[string, string[]][]> {
  const fc = (await import('fast-check')).default;
  const { scenarioDocument } = await import('../test/properties/arbitrary-scenario.ts');
  const docs = fc.sample(scenarioDocument, { numRuns: DEEP_CASES, seed: 20261207 });
  const batches: [string, string[]][] = [];
  for (let at = 0; at < docs.length; at += DEEP_BATCH) {
    const files = docs.slice(at, at + DEEP_BATCH).map((doc, i) => {
      const file = `random-${at + i}.json`;
      writeFileSync(join(dir, file), JSON.stringify({ name: `random-${at + i}`, ...(doc as object) }));
      return file;
    });
    batches.push([`random scenarios ${at}-${at + files.length - 1}`, files]);
  }
  return batches;
}

async function main(): Promise<void> {
  const update = process.argv.includes('--update');
  const deep = process.argv.includes('--deep');
  const files = bundledScenarios();
  const dir = mkdtempSync(join(tmpdir(), 'mcsim-golden-'));
  try {
    // The first start bundles the CLI's sources; the rest reuse the bundle.
    const first = await digestOf(files[0] as string, dir);
    const rest = await inTurns(files.slice(1), 2, (f) => digestOf(f, dir));
    const now: Record<string, Digest> = Object.fromEntries(
      files.map((f, i) => [f, i === 0 ? first : (rest[i - 1] as Digest)]),
    );
    if (deep) {
      const batches = await randomScenarios(dir);
      const digests = await inTurns(batches, 2, ([, batch]) => digestOf(batch, dir, ['--runs', '3'], dir));
      batches.forEach(([name], i) => (now[name] = digests[i] as Digest));
    }
    const before = existsSync(DIGESTS) ? (JSON.parse(readFileSync(DIGESTS, 'utf8')) as Record<string, Digest>) : {};
    if (update) {
      const tmp = `${DIGESTS}.tmp`;
      writeFileSync(tmp, JSON.stringify({ ...before, ...now }, null, 2) + '\n');
      renameSync(tmp, DIGESTS);
      console.log(`golden: wrote ${Object.keys(now).length} digests to ${relative(ROOT, DIGESTS)}`);
      return;
    }
    const names = [
      ...new Set([...Object.keys(before).filter((n) => deep || !n.startsWith('random ')), ...Object.keys(now)]),
    ].sort();
    let failed = 0;
    for (const name of names) {
      const a = before[name];
      const b = now[name];
      const verdict =
        a === undefined
          ? 'new (not in golden.json)'
          : b === undefined
            ? 'missing (in golden.json, not bundled)'
            : [
                a.exit === b.exit ? '' : `exit ${a.exit} -> ${b.exit}`,
                a.result === b.result ? '' : 'result differs',
                a.trace === b.trace ? '' : 'trace differs',
              ]
                .filter(Boolean)
                .join(', ');
      if (verdict !== '') failed++;
      console.log(`${verdict === '' ? 'same   ' : 'CHANGED'}  ${name}${verdict === '' ? '' : `: ${verdict}`}`);
    }
    console.log(
      failed === 0
        ? `golden: all ${names.length} scenarios identical`
        : `golden: ${failed} of ${names.length} scenarios changed`,
    );
    if (failed > 0) process.exitCode = 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
