import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { KpiCrossing, RunResult } from '../../src/experiment/result.ts';
import { writeStudy } from '../fixtures/study.ts';
import { tempDir } from '../fixtures/temp-dir.ts';
import { mcsim } from './helpers.ts';

const ms = (v: unknown): number => Number(String(v).replace('ms', ''));

describe('the study: where does KPI 2 fail?', () => {
  const file = writeStudy();
  const json = mcsim('run', file, '--json');
  const result = JSON.parse(json.stdout) as RunResult;

  it('exits 1 and says on stderr, per option, the first failing point and where the limit is crossed', () => {
    expect(json.code).toBe(1);
    for (const variant of ['uri', 'lookup'])
      expect(json.stderr).toMatch(
        new RegExp(
          `KPI failed: KPI2 \\(private_call\\.setup p95 < 1000 ms\\) in ${variant}: first fails at topology\\.defaults\\.interconnect\\.latency=\\d+ms \\([\\d.]+ ms\\); crosses the limit at [\\d.]+ ms, between \\d+ms`,
        ),
      );
  });

  it('interpolates each crossing between the two points whose verdicts differ', () => {
    const crossings = result.kpi_crossings ?? [];
    expect(crossings.map((c) => c.variant).sort()).toEqual(['lookup', 'uri']);
    const verdict = (variant: string, latency: unknown): boolean | undefined =>
      result.points
        ?.find((p) => p.params['topology.defaults.interconnect.latency'] === latency)
        ?.variants.find((v) => v.name === variant)
        ?.kpis.find((k) => k.id === 'KPI2')?.pass;
    for (const c of crossings as KpiCrossing[]) {
      const before = c.last_passing?.value;
      const after = c.first_failing.value;
      expect(verdict(c.variant, before)).toBe(true);
      expect(verdict(c.variant, after)).toBe(false);
      expect(ms(after) - ms(before)).toBe(20);
      expect(c.crossing).toBeGreaterThan(ms(before));
      expect(c.crossing).toBeLessThan(ms(after));
      // The interpolated crossing is where the line through the two p95 values meets 1000 ms.
      const [y0, y1] = [c.last_passing?.value_ms as number, c.first_failing.value_ms as number];
      expect(c.crossing).toBeCloseTo(ms(before) + ((1000 - y0) * 20) / (y1 - y0), 5);
    }
    // The lookup adds two more inter-system crossings per call: it fails at a shorter distance.
    const at = (v: string): number => crossings.find((c) => c.variant === v)?.crossing as number;
    expect(at('lookup')).toBeLessThan(at('uri'));
  });

  it('the table carries a KPI verdict for every point and option, and the crossings', () => {
    const table = mcsim('run', file).stdout;
    expect(table).toContain('KPI verdicts');
    const rows = table.split('\n').filter((l) => /latency=\d+ms\s+(uri|lookup)\s+KPI2/.test(l));
    expect(rows).toHaveLength(13 * 2);
    expect(rows.filter((l) => / PASS$/.test(l)).length + rows.filter((l) => / FAIL$/.test(l)).length).toBe(26);
    expect(table).toMatch(/KPI2 \(private_call\.setup p95 < 1000 ms\) in lookup: first fails at/);
  });

  it('the CSV carries the KPI id, value, limit and verdict on the set-up rows of every point', () => {
    const dir = tempDir('study-csv');
    const csv = join(dir, 'study.csv');
    const r = mcsim('sweep', file, '--csv', csv, '--json', '--out', join(dir, 'study.json'));
    expect(r.code).toBe(1);
    const [head, ...rows] = readFileSync(csv, 'utf8').trim().split('\n');
    const col = (name: string): number => (head as string).split(',').indexOf(name);
    const setup = rows.map((l) => l.split(',')).filter((c) => c[col('metric')] === 'private_call.setup');
    expect(setup).toHaveLength(26);
    for (const c of setup) {
      expect(c[col('kpi')]).toBe('KPI2');
      expect(c[col('kpi_limit_ms')]).toBe('1000');
      expect(Number(c[col('kpi_value_ms')])).toBe(Number(c[col('p95')]));
      expect(c[col('kpi_pass')]).toBe(String(Number(c[col('p95')]) < 1000));
    }
  });
});
