/**
 * `node --import tsx bench/compare.ts COMMIT [--rounds N] [--sizes 1000,100000] [--model]`: wall
 * time per call of `scale`'s sizes (with `--model`, of the `model` benchmark's main case,
 * model-child.ts) on COMMIT against this working tree, every process run in turns with the others
 * (interleave.ts), so both versions meet the same stretches of the machine's speed.
 * On a shared VM whose speed wanders by 20-40% over minutes, two versions 5% apart cannot be told
 * apart when run one after the other; run in turns, the rounds agree in sign.
 *
 * COMMIT is checked out into a temporary worktree with node_modules linked; this tree's
 * `bench/scale.ts` and its helpers are copied into it, so both run the same child and differ
 * only in the model. The child imports the model through bench/model-entry.ts, which finds each
 * module where the tree it sits in keeps it, so a commit from before modules moved still runs.
 * Each child runs in its own tree, so tsx compiles each version under that version's
 * tsconfig.json. A round is some 40 s of work per process. Not part of `npm run bench`.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { interleave, type ChildSpec } from './interleave.ts';
import { LONG_CALLS } from './model-case.ts';
import { modelChild } from './model-child.ts';
import { median } from './registry.ts';
import { SCALE_SIZES, scaleChild } from './scale.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** What the child needs beyond the model's sources. */
const CHILD_FILES = [
  'bench/scale.ts',
  'bench/model-child.ts',
  'bench/model-case.ts',
  'bench/model-entry.ts',
  'bench/interleave.ts',
  'bench/registry.ts',
];

interface Options {
  commit: string;
  rounds: number;
  sizes: number[];
  /** The model benchmark's main case instead of scale's sizes. */
  model: boolean;
}

function fail(message: string): never {
  process.stderr.write(`compare: ${message}\n`);
  process.exit(2);
}

function parseOptions(argv: readonly string[]): Options {
  const o: Options = { commit: '', rounds: 2, sizes: [1_000, 100_000], model: false };
  const known = SCALE_SIZES.map((s) => s.users as number);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--rounds') {
      o.rounds = Number(argv[++i]);
      if (!(Number.isInteger(o.rounds) && o.rounds > 0))
        fail(`--rounds: expected a whole number above 0, found ${String(argv[i])}`);
    } else if (a === '--sizes') {
      o.sizes = String(argv[++i]).split(',').map(Number);
      for (const u of o.sizes)
        if (!known.includes(u)) fail(`--sizes: expected users among ${known.join(', ')}, found ${u}`);
    } else if (a === '--model') o.model = true;
    else if (a.startsWith('-')) fail(`unknown option ${a}; known: --rounds, --sizes, --model`);
    else if (o.commit === '') o.commit = a;
    else fail(`one commit to compare with, found ${o.commit} and ${a}`);
  }
  if (o.commit === '') fail('name a commit to compare this working tree with');
  return o;
}

function git(args: string[]): string {
  const r = spawnSync('git', args, { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) fail(`git ${args.join(' ')}: ${r.stderr.trim()}`);
  return r.stdout.trim();
}

async function main(): Promise<void> {
  const o = parseOptions(process.argv.slice(2));
  const commit = git(['rev-parse', '--verify', `${o.commit}^{commit}`]);
  const base = join(mkdtempSync(join(tmpdir(), 'mcsim-compare-')), 'tree');
  git(['worktree', 'add', '--detach', base, commit]);
  try {
    symlinkSync(join(ROOT, 'node_modules'), join(base, 'node_modules'));
    for (const f of CHILD_FILES) {
      mkdirSync(dirname(join(base, f)), { recursive: true });
      copyFileSync(join(ROOT, f), join(base, f));
    }
    const trees = [
      { name: commit.slice(0, 7), dir: base },
      { name: 'this tree', dir: ROOT },
    ];
    // Both trees run this tree's copy of the scenario: the model is what differs.
    const scenario = join(ROOT, 'scenarios/private-call-to-migrated-user.yaml');
    // What is measured: the model's main case, or each of scale's sizes; each run in both trees.
    const cases: { label: string; what: string; child: (dir: string) => ChildSpec }[] = o.model
      ? [
          {
            label: 'model',
            what: `  model, ${LONG_CALLS} calls per replication`,
            child: (dir) => modelChild(join(dir, 'bench/model-child.ts'), scenario, dir),
          },
        ]
      : o.sizes.map((users) => ({
          label: `${users} users`,
          what: `  ${users.toLocaleString('en-US').padStart(7)} users`,
          child: (dir) => scaleChild(join(dir, 'bench/scale.ts'), users, dir),
        }));
    const specs = trees.flatMap((t) => cases.map((c) => ({ ...c.child(t.dir), label: `${t.name}, ${c.label}` })));
    const perCall: number[][] = specs.map(() => []);
    const log = (line: string): void => void process.stderr.write(line + '\n');
    for (let r = 0; r < o.rounds; r++) {
      log(`compare: round ${r + 1} of ${o.rounds} ...`);
      const done = await interleave<{ calls: number }>(specs, log);
      done.forEach((d, i) => perCall[i]?.push((d.wallSeconds * 1e6) / d.report.calls));
      log(`  ${specs.map((s, i) => `${s.label}: ${(perCall[i]?.at(-1) as number).toFixed(1)} us`).join('; ')}`);
    }
    const lines = [
      `wall time per call, us (median of ${o.rounds} rounds run in turns; each round's figures in brackets):`,
    ];
    const n = cases.length;
    cases.forEach(({ what }, k) => {
      const a = perCall[k] as number[];
      const b = perCall[n + k] as number[];
      const change = median(b.map((x, r) => x / (a[r] as number) - 1));
      const show = (xs: number[]): string => `${median(xs).toFixed(1)} [${xs.map((x) => x.toFixed(1)).join(', ')}]`;
      lines.push(
        `${what}: ${trees[0]?.name} ${show(a)}, this tree ${show(b)}: ${change >= 0 ? '+' : ''}${(100 * change).toFixed(1)}%`,
      );
    });
    if (n >= 2) {
      const ratio = (off: number): number[] =>
        (perCall[off] as number[]).map((_, r) => (perCall[off + n - 1]?.[r] as number) / (perCall[off]?.[r] as number));
      lines.push(
        `  ratio of ${o.sizes[n - 1]?.toLocaleString('en-US')} to ${o.sizes[0]?.toLocaleString('en-US')} users: ${trees[0]?.name} ${median(ratio(0)).toFixed(2)}x, this tree ${median(ratio(n)).toFixed(2)}x`,
      );
    }
    process.stdout.write(lines.join('\n') + '\n');
  } finally {
    git(['worktree', 'remove', '--force', base]);
    rmSync(join(base, '..'), { recursive: true, force: true });
  }
}

await main().catch((e: unknown) => {
  process.stderr.write(`compare: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
