/**
 * `node --import tsx bench/perf-gap.ts [--small N] [--large N] [--from CALLS] [--to CALLS] [--top K] [--no-inline]`:
 * where the CPU time per call of `scale`'s scenario goes at a small and at a large population,
 * and what the large one spends more, by category and by function. Needs Linux perf.
 *
 * It samples the CPU clock (`perf record -e cpu-clock`), the one event a VM without hardware
 * counters still gives, at 999 Hz, every thread of the process: the collector's helper threads
 * count, as their work takes a core. Like page-walks.ts it runs each population twice, to
 * `--from` and to `--to` calls, and takes the difference: the calls between, without building
 * the model or the first calls' warm-up. Unlike callgrind's counts, samples are statistical: a window
 * of 250,000 calls gives some 10,000 samples per run, so a difference below some 0.1 us per call is
 * noise. Where the optimising compiler inlines a function, its cost is its caller's, and the
 * two populations may inline differently: `--no-inline` turns inlining off (slower, but each
 * function's own). Not part of `npm run bench`: four runs, some three minutes.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CATEGORIES, byCategory } from './categories.ts';
import { bundleScaleChild } from './child-bundle.ts';
import { samplesBySymbol, type Sampled } from './perf-report.ts';

const HZ = 999;

interface Options {
  small: number;
  large: number;
  from: number;
  to: number;
  top: number;
  inline: boolean;
}

function fail(message: string): never {
  process.stderr.write(`perf-gap: ${message}\n`);
  process.exit(2);
}

function parseOptions(argv: readonly string[]): Options {
  const o: Options = { small: 1_000, large: 100_000, from: 50_000, to: 300_000, top: 20, inline: true };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--no-inline') {
      o.inline = false;
      continue;
    }
    const name = arg.replace(/^--/, '');
    if (!['small', 'large', 'from', 'to', 'top'].includes(name))
      fail(`unknown option ${arg}; known: --small, --large, --from, --to, --top, --no-inline`);
    const value = Number(argv[++i]);
    if (!(Number.isInteger(value) && value > 0))
      fail(`--${name}: expected a whole number above 0, found ${String(argv[i])}`);
    o[name as Exclude<keyof Options, 'inline'>] = value;
  }
  if (o.to <= o.from) fail(`--to (${o.to}) must be above --from (${o.from})`);
  return o;
}

/** The perf maps V8 has written (`/tmp/perf-<pid>.map`), which perf reads to name the JIT's code. */
const perfMaps = (): Set<string> => new Set(readdirSync('/tmp').filter((f) => /^perf-\d+\.map$/.test(f)));

/** Samples per function of one run of the bundle with `users` users and `calls` calls. */
function profile(dir: string, bundle: string, o: Options, users: number, calls: number): Map<string, Sampled> {
  const data = join(dir, `perf.${users}.${calls}.data`);
  const mapsBefore = perfMaps();
  try {
    return record(dir, bundle, data, o, users, calls);
  } finally {
    for (const f of perfMaps()) if (!mapsBefore.has(f)) rmSync(join('/tmp', f), { force: true });
  }
}

function record(
  dir: string,
  bundle: string,
  data: string,
  o: Options,
  users: number,
  calls: number,
): Map<string, Sampled> {
  const node = [
    process.execPath,
    '--perf-basic-prof',
    ...(o.inline ? [] : ['--no-turbo-inlining']),
    bundle,
    String(users),
    String(calls),
  ];
  const rec = spawnSync('perf', ['record', '-q', '-F', String(HZ), '-e', 'cpu-clock', '-o', data, '--', ...node], {
    cwd: dir,
    encoding: 'utf8',
  });
  if (rec.status !== 0)
    throw new Error(
      `perf record of ${users} users, ${calls} calls failed (${String(rec.status)}): ${rec.stderr.slice(-2000)}`,
    );
  const rep = spawnSync('perf', ['report', '-i', data, '--stdio', '--no-children', '-n', '--sort', 'sym'], {
    cwd: dir,
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  if (rep.status !== 0) throw new Error(`perf report failed (${String(rep.status)}): ${rep.stderr.slice(-2000)}`);
  return samplesBySymbol(rep.stdout);
}

/** Microseconds of CPU per call between the two runs, per function (the kernel's names marked `[k]`). */
function perCall(before: Map<string, Sampled>, after: Map<string, Sampled>, calls: number): Map<string, number> {
  const out = new Map<string, number>();
  const key = (name: string, s: Sampled): string => (s.kernel ? `[k] ${name}` : name);
  for (const [name, s] of after)
    out.set(key(name, s), ((s.samples - (before.get(name)?.samples ?? 0)) / HZ / calls) * 1e6);
  for (const [name, s] of before) if (!after.has(name)) out.set(key(name, s), (-s.samples / HZ / calls) * 1e6);
  return out;
}

function main(): void {
  const o = parseOptions(process.argv.slice(2));
  if (spawnSync('perf', ['--version']).status !== 0)
    fail('Linux perf is not installed (apt-get install -y linux-perf)');
  const dir = mkdtempSync(join(tmpdir(), 'mcsim-perf-gap-'));
  try {
    const bundle = bundleScaleChild(dir);
    const calls = o.to - o.from;
    const sizes = [o.small, o.large].map((users) => {
      process.stderr.write(
        `perf-gap: ${users.toLocaleString('en-US')} users, ${o.from.toLocaleString('en-US')} and ${o.to.toLocaleString('en-US')} calls ...\n`,
      );
      return perCall(profile(dir, bundle, o, users, o.from), profile(dir, bundle, o, users, o.to), calls);
    });
    const [small, large] = sizes as [Map<string, number>, Map<string, number>];
    const kernel = (name: string): boolean => name.startsWith('[k] ');
    const cs = byCategory(small, kernel);
    const cl = byCategory(large, kernel);
    const f = (x: number): string => x.toFixed(2).padStart(9);
    const head = (a: string, b: string, c: string): string =>
      `  ${'category'.padEnd(14)}${a.padStart(9)}${b.padStart(9)}${c.padStart(9)}`;
    const lines = [
      `CPU us per call over calls ${o.from.toLocaleString('en-US')} to ${o.to.toLocaleString('en-US')}${o.inline ? '' : ' (no inlining)'}:`,
      head(`${o.small / 1000}k`, `${o.large / 1000}k`, 'more'),
    ];
    let ts = 0;
    let tl = 0;
    for (const c of CATEGORIES) {
      const s = cs.get(c) as number;
      const l = cl.get(c) as number;
      ts += s;
      tl += l;
      lines.push(`  ${c.padEnd(14)}${f(s)}${f(l)}${f(l - s)}`);
    }
    lines.push(
      `  ${'total'.padEnd(14)}${f(ts)}${f(tl)}${f(tl - ts)}`,
      `  top ${o.top} by what the large population spends more:`,
    );
    const names = [...new Set([...small.keys(), ...large.keys()])];
    const more = names.map((n) => [n, (large.get(n) ?? 0) - (small.get(n) ?? 0)] as const).sort((a, b) => b[1] - a[1]);
    for (const [n, x] of more.slice(0, o.top)) lines.push(`  ${f(x)}  ${n.slice(0, 110)}`);
    process.stdout.write(lines.join('\n') + '\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

try {
  main();
} catch (e) {
  process.stderr.write(`perf-gap: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
}
