import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../cli/helpers.ts';
import { RESULT_SCHEMA_VERSION } from '../../src/experiment/result.ts';
import { tempDir } from '../fixtures/temp-dir.ts';
import { readCiDoc } from './ci-doc.ts';

// mcsim as a user gets it: this checkout packed with `npm pack` (whose prepack compiles dist/),
// the tarball installed into an empty project, then used there with plain Node, as docs/ci.md
// and docs/api.md say. Slow (a TypeScript build and an install), so one file, run once.

// `npm test` hands its children npm_config_* variables, among them local_prefix (this checkout):
// an npm started with them would install into the checkout. A consumer has no tsx loader either.
const env: NodeJS.ProcessEnv = {
  ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k) && k !== 'NODE_OPTIONS')),
  FORCE_COLOR: '0',
};

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(cwd: string, cmd: string, args: string[]): Ran {
  const r = spawnSync(cmd, args, { cwd, env, encoding: 'utf8', timeout: 600_000, maxBuffer: 1 << 26 });
  if (r.error !== undefined) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
/** A command line as a user types it (globs included). */
const shell = (cwd: string, line: string): Ran => run(cwd, 'sh', ['-c', line]);
const node = (cwd: string, ...args: string[]): Ran => run(cwd, process.execPath, args);
const ok = (r: Ran): Ran => {
  if (r.code !== 0) throw new Error(`exit ${String(r.code)}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  return r;
};

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
const doc = readCiDoc();

let packed: string[];
let project: string;

beforeAll(() => {
  const out = tempDir('pack');
  const hadDist = existsSync(join(ROOT, 'dist'));
  // A failing build fails npm pack (prepack) and so this test, with tsc's messages; postpack
  // then does not run, so what the build left is removed here.
  const p = run(ROOT, 'npm', ['pack', '--json', '--pack-destination', out]);
  if (p.code !== 0 && !hadDist) rmSync(join(ROOT, 'dist'), { recursive: true, force: true });
  ok(p);
  const info = JSON.parse(p.stdout.slice(p.stdout.indexOf('['))) as { filename: string; files: { path: string }[] }[];
  packed = info[0]?.files.map((f) => f.path) ?? [];
  // postpack removes what prepack built; a checkout never keeps a dist/ of its own.
  if (!hadDist) expect(existsSync(join(ROOT, 'dist')), 'dist/ left in the checkout').toBe(false);

  project = tempDir('consumer');
  writeFileSync(join(project, 'package.json'), '{ "name": "consumer", "private": true, "type": "module" }\n');
  const tarball = join(out, info[0]?.filename ?? '');
  ok(run(project, 'npm', ['install', tarball, '--prefer-offline', '--no-audit', '--no-fund']));
  mkdirSync(join(project, 'scenarios'));
  writeFileSync(join(project, doc.scenario.path), doc.scenario.text);
  writeFileSync(join(project, 'my.yaml'), doc.scenario.text);
}, 900_000);

describe('mcsim packed and installed into an empty project', { timeout: 600_000 }, () => {
  it('the tarball holds the compiled library, its types, the command, docs and scenarios, and no sources or tests', () => {
    const unwanted = packed.filter(
      (f) =>
        /^(test|bench|\.ci|examples|src|node_modules|baselines)\//.test(f) || (/\.ts$/.test(f) && !/\.d\.ts$/.test(f)),
    );
    expect(unwanted).toEqual([]);
    const needed = ['dist/index.js', 'dist/index.d.ts', 'dist/cli/main.js', 'dist/experiment/worker.js'];
    needed.push(
      'bin/mcsim.js',
      'bin/heap.mjs',
      'package.json',
      'README.md',
      'CHANGELOG.md',
      'docs/api.md',
      'docs/ci.md',
    );
    if (existsSync(join(ROOT, 'LICENSE'))) needed.push('LICENSE');
    for (const f of needed) expect(packed, f).toContain(f);
  });

  it('`npx mcsim run --json` and the API imported from a plain .mjs give the same result, with workers too', () => {
    const cli = ok(shell(project, 'npx mcsim run my.yaml --json'));
    writeFileSync(
      join(project, 'api.mjs'),
      `import { writeFileSync } from 'node:fs';
import { loadScenario, renderJson, resultOf, runScenario, startRun } from 'mcsim';
writeFileSync('api.json', renderJson(await runScenario('my.yaml')));
const run = await startRun(loadScenario('my.yaml'), { workers: 2, parallelThresholdMs: 0 });
writeFileSync('api-workers.json', renderJson(resultOf(run)));
console.log(run.workers);
`,
    );
    const api = ok(node(project, 'api.mjs'));
    expect(api.stdout.trim()).toBe('2');
    const fromApi = readFileSync(join(project, 'api.json'), 'utf8');
    expect(JSON.parse(fromApi)).toEqual(JSON.parse(cli.stdout));
    expect(fromApi).toBe(cli.stdout);
    expect(readFileSync(join(project, 'api-workers.json'), 'utf8')).toBe(cli.stdout);
    expect(JSON.parse(cli.stdout)).toMatchObject({
      mcsim: pkg.version,
      schemaVersion: RESULT_SCHEMA_VERSION,
      runs: 20,
    });
  });

  it('a strict TypeScript project (NodeNext) type-checks against the declarations, which are not any', () => {
    writeFileSync(
      join(project, 'tsconfig.json'),
      '{ "compilerOptions": { "target": "ES2022", "module": "NodeNext", "moduleResolution": "NodeNext", "strict": true, "noEmit": true }, "files": ["consumer.ts", "wrong.ts"] }\n',
    );
    writeFileSync(
      join(project, 'consumer.ts'),
      `import { loadScenario, runScenario, ScenarioError, type MetricSummary, type RunResult } from 'mcsim';
try {
  const result: RunResult = await runScenario(loadScenario('my.yaml'), { runs: 2, signal: AbortSignal.timeout(60_000) });
  const setup: MetricSummary | undefined = result.variants[0]?.metrics['private_call.setup'];
  console.log(setup?.p95, result.schemaVersion);
} catch (e) {
  if (e instanceof ScenarioError) console.error(e.file, e.message);
}
`,
    );
    // One tsc run for both files (it takes some 10 s): the only error is the deliberate one.
    writeFileSync(
      join(project, 'wrong.ts'),
      `import { runScenario } from 'mcsim';\nexport const seed: number = (await runScenario('my.yaml')).seed;\n`,
    );
    const tsc = node(project, join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', '.');
    expect(tsc.code).toBe(2);
    expect(tsc.stdout.trim().split('\n')[0]).toMatch(
      /^wrong\.ts\(2,14\): error TS2322: Type 'string \| number' is not assignable to type 'number'\.$/,
    );
    expect(tsc.stdout).not.toMatch(/consumer\.ts|node_modules/);
  });

  it('the CI gate of docs/ci.md: a first baseline, a passing check, a failing one naming the metric, --update', () => {
    // Both jobs run the check of section 4 and upload the JUnit file it writes.
    const junit = /--junit (\S+)/.exec(doc.check)?.[1] ?? '';
    expect(junit).not.toBe('');
    expect(doc.github.steps.map((s) => s.run)).toContain(doc.check);
    const upload = doc.github.steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'));
    expect(upload?.with?.['path']).toBe(junit);
    expect(upload?.if).toBe('always()');
    expect(
      doc.github.steps.find((s) => s.uses?.startsWith('mikepenz/action-junit-report@'))?.with?.['report_paths'],
    ).toBe(junit);
    expect(doc.gitlab.script).toContain(doc.check);
    expect(doc.gitlab.artifacts).toEqual({ when: 'always', reports: { junit } });

    ok(shell(project, doc.baseline));
    const passed = ok(shell(project, doc.check));
    expect(passed.stdout).toMatch(/check passed/);
    expect(readFileSync(join(project, junit), 'utf8')).toMatch(/<testsuites [^>]*failures="0"/);

    // A's server takes 10 ms longer per message. It handles the call request and the accepting
    // response on their way (docs/domain.md 4.7 steps 1 and 5-6), so every set-up takes 20 ms more.
    const slower = doc.scenario.text.replace('server: { default: 2ms }', 'server: { default: 12ms }');
    expect(slower).not.toBe(doc.scenario.text);
    writeFileSync(join(project, doc.scenario.path), slower);
    const failed = shell(project, doc.check);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/default\s+private_call\.setup mean .* regressed/);
    const report = readFileSync(join(project, junit), 'utf8');
    expect(report).toMatch(/<failure message="private_call\.setup mean regressed \([^)]*\), p95 regressed/);
    for (const stat of ['mean', 'p95']) {
      const [, before, after] = new RegExp(`${stat}: before ([\\d.]+) ms, after ([\\d.]+) ms`).exec(report) ?? [];
      expect(Number(after) - Number(before)).toBeCloseTo(2 * 10, 6);
    }

    ok(shell(project, doc.update));
    expect(ok(shell(project, doc.check)).stdout).toMatch(/check passed/);
  });

  it('the examples in examples/api run against the installed package', () => {
    const dir = join(ROOT, 'examples', 'api');
    const examples = readdirSync(dir).filter((f) => f.endsWith('.mjs'));
    expect(examples.sort()).toEqual(['ci-gate.mjs', 'compare.mjs', 'run.mjs']);
    for (const f of examples) copyFileSync(join(dir, f), join(project, f));
    writeFileSync(join(project, 'my.yaml'), doc.scenario.text);
    const result = JSON.parse(ok(shell(project, 'npx mcsim run my.yaml --json')).stdout) as {
      variants: { name: string; metrics: Record<string, { p95: number; n: number }> }[];
    };
    const lines = ok(node(project, 'run.mjs', 'my.yaml')).stdout;
    for (const v of result.variants)
      for (const [metric, m] of Object.entries(v.metrics))
        expect(lines).toContain(`${v.name}  ${metric}  p95 ${m.p95} ms  (n ${m.n})`);
    expect(lines).toMatch(/default {2}KPI2 {2}p95 [\d.]+ ms < 1000 ms: PASS/);

    const two = 'node_modules/mcsim/scenarios/private-call-to-migrated-user.yaml';
    const compared = JSON.parse(ok(shell(project, `npx mcsim compare ${two} --runs 4 --json`)).stdout) as {
      comparisons: { metric: string; a: string; b: string; mean_diff: number }[];
    };
    const printed = ok(node(project, 'compare.mjs', two, '4')).stdout;
    expect(compared.comparisons.length).toBeGreaterThan(0);
    for (const c of compared.comparisons) expect(printed).toContain(`${c.metric}: ${c.b} - ${c.a} = ${c.mean_diff} ms`);

    expect(ok(node(project, 'ci-gate.mjs', 'gate.json', 'my.yaml')).stdout).toMatch(/first baseline of 1 scenario/);
    expect(ok(node(project, 'ci-gate.mjs', 'gate.json')).stdout).toMatch(/check passed/);
    writeFileSync(join(project, 'my.yaml'), doc.scenario.text.replace('default: 2ms', 'default: 5ms'));
    const gate = node(project, 'ci-gate.mjs', 'gate.json');
    expect(gate.code).toBe(1);
    expect(gate.stdout).toMatch(/private_call\.setup mean .* regressed/);
  });

  it('an installation without compiled code (a git dependency) says how to install instead of a stack trace', () => {
    const bare = join(project, 'bare', 'bin');
    mkdirSync(bare, { recursive: true });
    for (const f of ['mcsim.js', 'heap.mjs'])
      copyFileSync(join(project, 'node_modules', 'mcsim', 'bin', f), join(bare, f));
    const r = node(project, join(bare, 'mcsim.js'), '--version');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'mcsim: this installation has no compiled code (dist/); install mcsim from a tarball made with npm pack (docs/ci.md)\n',
    );
  });
});
