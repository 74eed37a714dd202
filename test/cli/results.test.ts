import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/experiment/result.ts';
import { mcsim } from './helpers.ts';
import { tempDir } from '../fixtures/temp-dir.ts';

const P = 'scenarios/private-call.yaml';
const FIXTURE = 'test/fixtures/migrated-call.yaml';
const tmp = (): string => tempDir('cli');

describe('mcsim run output', () => {
  it('--json prints exactly one JSON document on stdout, in the shape of docs/results.md', () => {
    const r = mcsim('run', P, '--runs', '5', '--json');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as RunResult;
    expect(Object.keys(doc)).toEqual([
      'mcsim',
      'schemaVersion',
      'scenario',
      'seed',
      'runs',
      'complete',
      'stopped',
      'replications',
      'variants',
      'comparisons',
    ]);
    expect(doc).toMatchObject({ complete: true, stopped: null, replications: { planned: 5, completed: 5, cut: 0 } });
    expect(doc.runs).toBe(5);
    const v = doc.variants[0];
    expect(v?.name).toBe('default');
    expect(Object.keys(v ?? {})).toEqual([
      'name',
      'params',
      'replications',
      'metrics',
      'outcomes',
      'kpis',
      'standard_kpis',
      'counters',
    ]);
    expect(v?.replications).toEqual({ completed: 5, cut: 0 });
    expect(Object.keys(v?.metrics['private_call.setup'] ?? {})).toEqual([
      'unit',
      'n',
      'mean',
      'sd',
      'min',
      'p50',
      'p90',
      'p95',
      'p99',
      'max',
      'ci95',
      'quantiles',
      'breakdown',
      'steps',
    ]);
    const m = v?.metrics['private_call.setup'];
    // The distribution at every whole percent: p0 is the minimum, p100 the maximum, p50 the median.
    expect(m?.quantiles).toHaveLength(101);
    expect([m?.quantiles[0], m?.quantiles[50], m?.quantiles[95], m?.quantiles[100]]).toEqual([
      m?.min,
      m?.p50,
      m?.p95,
      m?.max,
    ]);
    expect(r.stdout.endsWith('}\n')).toBe(true);
  });

  it('the same seed twice gives byte-identical JSON', () => {
    const a = mcsim('run', P, '--runs', '20', '--seed', '9', '--json');
    const b = mcsim('run', P, '--runs', '20', '--seed', '9', '--json');
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
  });

  it('two seeds with random delays give different samples', () => {
    const setup = (seed: string): unknown =>
      (JSON.parse(mcsim('run', P, '--runs', '20', '--seed', seed, '--json').stdout) as RunResult).variants[0]?.metrics[
        'private_call.setup'
      ];
    const a = setup('1') as { mean: number; p50: number };
    const b = setup('2') as { mean: number; p50: number };
    expect(a.mean).not.toBe(b.mean);
    expect(a.p50).not.toBe(b.p50);
  });

  it('--out and --trace are written whole and leave no temporary file', () => {
    const dir = tmp();
    const out = join(dir, 'result.json');
    const trace = join(dir, 'trace.jsonl');
    const r = mcsim('run', P, '--runs', '3', '--json', '--out', out, '--trace', trace);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect((JSON.parse(readFileSync(out, 'utf8')) as RunResult).runs).toBe(3);
    const lines = readFileSync(trace, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { run: number; type: string });
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((l) => l.run === 0)).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(['result.json', 'trace.jsonl']);
  });

  it('a failing run writes neither --out nor --trace', () => {
    const dir = tmp();
    const r = mcsim(
      'run',
      'test/fixtures/bad/negative-delay.yaml',
      '--out',
      join(dir, 'r.json'),
      '--trace',
      join(dir, 't.jsonl'),
    );
    expect(r.code).toBe(2);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('--format csv prints one row per variant and metric', () => {
    const r = mcsim('run', FIXTURE, '--runs', '3', '--format', 'csv');
    const rows = r.stdout.trim().split('\n');
    expect(rows[0]).toBe(
      'scenario,variant,metric,unit,n,mean,sd,ci95_lo,ci95_hi,p50,p90,p95,p99,min,max,kpi,kpi_percentile,kpi_value_ms,kpi_limit_ms,kpi_pass',
    );
    // KPI 2 is judged on the set-up: its verdict rides on that metric's rows, and only there.
    const setupRow = rows.find((l) => l.includes(',private_call.setup,'))?.split(',') ?? [];
    expect(setupRow.slice(-5, -3)).toEqual(['KPI2', '95']);
    expect(setupRow.slice(-2)).toEqual(['1000', 'true']);
    expect(rows.find((l) => l.includes(',kms.lookup,'))?.endsWith(',,,,,')).toBe(true);
    expect(rows.filter((l) => l.includes(',private_call.setup,')).map((l) => l.split(',')[1])).toEqual([
      'kms-uri-in-redirection',
      'kms-lookup',
    ]);
  });

  it('--set changes the model, typed by the schema', () => {
    const mean = (...extra: string[]): number =>
      (JSON.parse(mcsim('run', P, '--runs', '5', '--json', ...extra).stdout) as RunResult).variants[0]?.metrics[
        'private_call.setup'
      ]?.mean as number;
    expect(mean('--set', 'topology.systems.A.access.latency=100ms')).toBeGreaterThan(mean() + 200);
  });

  it('KPI failure exits 1', () => {
    const r = mcsim('run', P, '--runs', '3', '--set', 'experiment.kpis[0].limit=1ms');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/KPI2 \(private_call\.setup p95 < 1 ms\): .* FAIL/);
    // The exit code comes with a line on stderr naming the failing KPI and where.
    expect(r.stderr).toMatch(/KPI failed: KPI2 \(private_call\.setup p95 < 1 ms\): [\d.]+ ms FAIL in default/);
  });
});

describe('mcsim compare and sweep', () => {
  it('compare prints the paired difference with both intervals in the JSON', () => {
    const r = mcsim('compare', FIXTURE, '--metric', 'private_call.setup', '--json');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as RunResult;
    expect(doc.comparisons).toHaveLength(1);
    const c = doc.comparisons[0];
    expect(c).toMatchObject({
      metric: 'private_call.setup',
      a: 'kms-uri-in-redirection',
      b: 'kms-lookup',
      paired: true,
      significant: true,
      n: 30,
    });
    const [lo, hi] = c?.ci95 as [number, number];
    const [ulo, uhi] = c?.unpaired_ci95 as [number, number];
    expect(lo).toBeGreaterThan(0);
    expect(hi - lo).toBeLessThan(uhi - ulo);
  });

  it('compare prints a verdict per metric in the table', () => {
    const r = mcsim('compare', FIXTURE, '--runs', '10');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /private_call\.setup: kms-lookup - kms-uri-in-redirection = \+\d+\.\d+ ms, 95% CI \[.*\] \(paired t, n=10\): significant/,
    );
  });

  it('sweep writes a tidy CSV and the JSON with one entry per point', () => {
    const dir = tmp();
    const sweep = 'experiment.sweep={"topology.interconnects[0].latency": {from: 10ms, to: 90ms, step: 40ms}}';
    const csvFile = join(dir, 'sweep.csv');
    const r = mcsim('sweep', FIXTURE, '--runs', '5', '--set', sweep, '--json', '--csv', csvFile);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as RunResult;
    expect(doc.variants).toEqual([]);
    expect(doc.points?.map((p) => p.params)).toEqual(
      ['10ms', '50ms', '90ms'].map((v) => ({ 'topology.interconnects[0].latency': v })),
    );
    const rows = readFileSync(csvFile, 'utf8').trim().split('\n');
    expect(rows[0]).toBe(
      'scenario,point,topology.interconnects[0].latency,variant,metric,unit,n,mean,sd,ci95_lo,ci95_hi,p50,p90,p95,p99,min,max,kpi,kpi_percentile,kpi_value_ms,kpi_limit_ms,kpi_pass',
    );
    const setup = rows.filter((l) => l.includes(',private_call.setup,')).map((l) => l.split(','));
    expect(setup.map((c) => [c[2], c[3]])).toEqual([
      ['10ms', 'kms-uri-in-redirection'],
      ['10ms', 'kms-lookup'],
      ['50ms', 'kms-uri-in-redirection'],
      ['50ms', 'kms-lookup'],
      ['90ms', 'kms-uri-in-redirection'],
      ['90ms', 'kms-lookup'],
    ]);
    // The lookup crosses the interconnect, so its penalty grows with the distance to the KMS.
    const penalty = (doc.points ?? []).map(
      (p) => p.comparisons.find((c) => c.metric === 'private_call.setup')?.mean_diff as number,
    );
    expect(penalty[1]).toBeGreaterThan((penalty[0] as number) + 20);
    expect(penalty[2]).toBeGreaterThan((penalty[1] as number) + 20);
    expect(existsSync(`${csvFile}.tmp`)).toBe(false);
  });

  it('sweep prints CSV on stdout by default', () => {
    const r = mcsim(
      'sweep',
      FIXTURE,
      '--runs',
      '2',
      '--variant',
      'kms-lookup',
      '--set',
      'experiment.sweep={"security.maxKrrRounds": [1, 2]}',
    );
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toMatch(/^scenario,point,security\.maxKrrRounds,variant,metric/);
    expect(r.stdout).toMatch(/\n.*,1,2,kms-lookup,private_call\.setup,ms,2,/);
  });
});

describe('mcsim list and schema', () => {
  it('list shows every bundled scenario with its description and variants', () => {
    const r = mcsim('list');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/scenarios\/private-call\.yaml\n {2}MCPTT on-network private call in one system/);
  });

  it('schema prints a JSON Schema that knows the sweep', () => {
    const doc = JSON.parse(mcsim('schema').stdout) as {
      properties: { experiment: { properties: Record<string, unknown> } };
    };
    expect(Object.keys(doc.properties.experiment.properties)).toEqual(
      expect.arrayContaining(['runs', 'seed', 'variants', 'sweep', 'kpis', 'compare']),
    );
  });
});
