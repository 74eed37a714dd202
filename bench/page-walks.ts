/**
 * `node --import tsx bench/page-walks.ts [--users N] [--from CALLS] [--to CALLS] [--top K] [--llc MIB]`:
 * page walks per call in the steady state of `scale`'s scenario, by function. Needs valgrind.
 *
 * `scale` misses its target because a call at a large population reaches pages that are off the
 * TLB and lines that are out of the caches (README, Benchmarks). On a shared VM the wall clock
 * cannot see a change worth a few percent, so this counts instead. Callgrind simulates the data
 * cache (32 KiB of 64-byte lines) and, as its last level, 2,048 entries of 4 KiB pages: the size
 * of the core's second-level TLB, so a last-level miss is a page walk. V8 runs in its
 * predictable mode (one thread, a fixed collection schedule) with its random and hash seeds
 * fixed: the same code then gives the same count within about 1% (44.8 and 44.4 page walks per
 * call at 5k users). Without it the count was not reproducible: where the collections fall, and
 * where they move the objects, follows the heap's growth, which follows timings that valgrind
 * stretches; the same code gave 54 and 112 per call at 30k users. The predictable schedule is
 * not the default one (a fixed heap growth and a smaller young generation), so the collector's
 * share is not what a normal run pays; compare code with code under this tool, over the same
 * `--from` and `--to`, not with the wall clock: under that schedule the count also grows with
 * how far into the run the calls lie (1k users: 32.2 per call over calls 20k-30k, 52.7 over
 * 190k-200k), where the wall clock per call does not.
 * With `--llc MIB` the last level is instead a cache of that size (64-byte lines, 16-way), and
 * the count is of lines fetched from memory: what a page walk does not show, a cold object on a
 * page the TLB still holds.
 *
 * Two runs, one of `--from` calls and one of `--to`, on the same population: the difference is
 * what the calls between them cost, without building the model and without the first calls'
 * warm-up. Misses in code the JIT made are named from V8's perf map. Not part of `npm run bench`:
 * two runs of 30,000 users take some 15 minutes.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { byCategory } from './categories.ts';
import { missesBySymbol, pidOf } from './callgrind.ts';
import { bundleScaleChild } from './child-bundle.ts';

const DATA_CACHE = '--D1=32768,8,64';
const TLB_AS_LAST_LEVEL = '--LL=8388608,8,4096';
const NODE_FLAGS = [
  '--predictable',
  '--random-seed=1',
  '--hash-seed=1',
  '--perf-basic-prof',
  '--no-compact-code-space',
  '--interpreted-frames-native-stack',
];

interface Options {
  users: number;
  from: number;
  to: number;
  top: number;
  /** MiB of last-level cache to model instead of the TLB; 0 for the TLB. */
  llc: number;
}

function parseOptions(argv: readonly string[]): Options {
  const o: Options = { users: 30_000, from: 60_000, to: 90_000, top: 20, llc: 0 };
  for (let i = 0; i < argv.length; i += 2) {
    const name = (argv[i] as string).replace(/^--/, '');
    const value = Number(argv[i + 1]);
    if (!(name in o)) fail(`unknown option ${argv[i]}; known: --users, --from, --to, --top, --llc`);
    if (!(Number.isInteger(value) && value > 0))
      fail(`--${name}: expected a whole number above 0, found ${String(argv[i + 1])}`);
    o[name as keyof Options] = value;
  }
  if (o.to <= o.from) fail(`--to (${o.to}) must be above --from (${o.from})`);
  // Callgrind takes only caches whose count of sets is a power of two.
  if ((o.llc & (o.llc - 1)) !== 0) fail(`--llc: expected a power of two (MiB), found ${o.llc}`);
  return o;
}

function fail(message: string): never {
  process.stderr.write(`page-walks: ${message}\n`);
  process.exit(2);
}

/** Runs the bundle under callgrind with `calls` calls; resolves to its output file. */
function measure(dir: string, bundle: string, o: Options, calls: number): Promise<string> {
  const out = join(dir, `callgrind.${calls}.out`);
  const lastLevel = o.llc === 0 ? TLB_AS_LAST_LEVEL : `--LL=${o.llc * 1024 * 1024},16,64`;
  const args = [
    '--tool=callgrind',
    '--dump-instr=yes',
    '--smc-check=all-non-file',
    '--cache-sim=yes',
    DATA_CACHE,
    lastLevel,
    `--callgrind-out-file=${out}`,
  ];
  // In the scratch directory: with the perf map, V8 writes a log of its code there, removed with it.
  const child = spawn('valgrind', [...args, process.execPath, ...NODE_FLAGS, bundle, String(o.users), String(calls)], {
    cwd: dir,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.on('close', (code) =>
      code === 0
        ? resolve(out)
        : reject(new Error(`callgrind run of ${calls} calls failed (${String(code)}):\n${stderr.slice(-2000)}`)),
    );
  });
}

/** A run's misses by function, its JIT code named from the perf map V8 wrote, which is then removed. */
function read(out: string): Map<string, number> {
  const text = readFileSync(out, 'utf8');
  const map = `/tmp/perf-${pidOf(text)}.map`;
  try {
    return missesBySymbol(text, readFileSync(map, 'utf8'));
  } finally {
    rmSync(map, { force: true });
  }
}

async function main(): Promise<void> {
  const o = parseOptions(process.argv.slice(2));
  if (spawnSync('valgrind', ['--version']).status !== 0)
    fail('valgrind is not installed (apt-get install -y valgrind)');
  const dir = mkdtempSync(join(tmpdir(), 'mcsim-page-walks-'));
  try {
    const bundle = bundleScaleChild(dir);
    process.stderr.write(
      `page-walks: ${o.users.toLocaleString('en-US')} users, ${o.from.toLocaleString('en-US')} and ${o.to.toLocaleString('en-US')} calls under callgrind ...\n`,
    );
    const [a, b] = await Promise.all([measure(dir, bundle, o, o.from), measure(dir, bundle, o, o.to)]);
    const before = read(a);
    const after = read(b);
    const calls = o.to - o.from;
    const perCall = new Map<string, number>();
    for (const name of new Set([...before.keys(), ...after.keys()]))
      perCall.set(name, ((after.get(name) ?? 0) - (before.get(name) ?? 0)) / calls);
    const total = [...perCall.values()].reduce((s, x) => s + x, 0);
    const what = o.llc === 0 ? 'page walks' : `lines missed in ${o.llc} MiB of cache`;
    const lines = [
      `${what} per call, calls ${o.from.toLocaleString('en-US')} to ${o.to.toLocaleString('en-US')} of ${o.users.toLocaleString('en-US')} users: ${total.toFixed(1)}`,
    ];
    for (const [category, x] of byCategory(perCall)) lines.push(`  ${category.padEnd(13)} ${x.toFixed(1).padStart(7)}`);
    lines.push(`  top ${o.top}:`);
    for (const [name, x] of [...perCall].sort((p, q) => q[1] - p[1]).slice(0, o.top))
      lines.push(`  ${x.toFixed(2).padStart(8)}  ${name.slice(0, 110)}`);
    process.stdout.write(lines.join('\n') + '\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main().catch((e: unknown) => {
  process.stderr.write(`page-walks: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
