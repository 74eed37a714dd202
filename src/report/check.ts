import { Chalk } from 'chalk';
import type { CheckReport, KpiRow, MetricRow } from './baseline.ts';

const num = (x: number | null): string => (x === null ? '-' : x.toFixed(3));
const change = (x: number | null): string => (x === null ? '-' : `${x > 0 ? '+' : ''}${x.toFixed(2)}%`);
const verdict = (x: boolean | null): string => (x === null ? '-' : x ? 'PASS' : 'FAIL');

function columns(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows
    .map((r) =>
      r
        .map((c, i) => (i >= 3 && i <= 6 ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/**
 * The diff table of `mcsim check`: every checked number with before, after and change, failures
 * first, so the line that broke CI is the first one a reader sees.
 */
export function renderCheckTable(r: CheckReport, opts: { color?: boolean } = {}): string {
  const c = new Chalk({ level: opts.color ? 1 : 0 });
  const bad = (s: MetricRow['status'] | KpiRow['status']): boolean =>
    s === 'regressed' || s === 'improved' || s === 'missing' || s === 'flipped';
  const order = <T extends { status: MetricRow['status'] | KpiRow['status'] }>(xs: readonly T[]): T[] => [
    ...xs.filter((x) => bad(x.status)),
    ...xs.filter((x) => !bad(x.status)),
  ];
  const paint = (s: string): string =>
    bad(s as MetricRow['status']) ? c.red(s) : s === 'new' ? c.yellow(s) : c.green(s);
  const head = ['scenario', 'variant', 'metric (ms)', 'before', 'after', 'change', '± allowed', 'status'];
  const rows = order(r.metrics).map((m) => [
    m.scenario,
    m.variant,
    `${m.metric} ${m.stat}`,
    num(m.before),
    num(m.after),
    change(m.change_pct),
    num(m.allowed_ms),
    m.status,
  ]);
  const kpiHead = ['scenario', 'variant', 'kpi', 'before', 'after', '', '', 'status'];
  const kpiRows = order(r.kpis).map((k) => [
    k.scenario,
    k.variant,
    k.kpi,
    verdict(k.before),
    verdict(k.after),
    '',
    '',
    k.status,
  ]);
  const color = (table: string): string =>
    table
      .split('\n')
      .map((line, i) => (i === 0 ? c.bold(line) : line.replace(/(\S+)$/, (s) => paint(s))))
      .join('\n');
  const parts = [color(columns([head, ...rows]))];
  if (kpiRows.length > 0) parts.push(color(columns([kpiHead, ...kpiRows])));
  const checked = r.metrics.filter((m) => m.status !== 'new').length + r.kpis.filter((k) => k.status !== 'new').length;
  parts.push(
    r.failures === 0
      ? c.green(`check passed: ${checked} values within tolerance`)
      : c.red(`check FAILED: ${r.failures} of ${checked} values moved beyond tolerance, vanished or flipped`),
  );
  return `${parts.join('\n\n')}\n`;
}

const xml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * JUnit XML as CI systems read it (Jenkins, GitLab, GitHub test reporters): one suite per
 * scenario, one test case per variant and metric (both statistics) and per KPI verdict.
 */
export function renderJUnit(r: CheckReport, opts: { seconds?: number } = {}): string {
  const cases = new Map<string, string[]>();
  const add = (suite: string, text: string): void => {
    const list = cases.get(suite) ?? [];
    list.push(text);
    cases.set(suite, list);
  };
  const failures = new Map<string, number>();
  const fail = (suite: string): void => {
    failures.set(suite, (failures.get(suite) ?? 0) + 1);
  };
  const byMetric = new Map<string, MetricRow[]>();
  for (const m of r.metrics) {
    if (m.status === 'new') continue;
    const key = `${m.scenario}\u0000${m.variant}\u0000${m.metric}`;
    byMetric.set(key, [...(byMetric.get(key) ?? []), m]);
  }
  for (const rows of byMetric.values()) {
    const first = rows[0] as MetricRow;
    const broken = rows.filter((m) => m.status !== 'ok');
    const name = `${first.variant} ${first.metric}`;
    const detail = rows
      .map(
        (m) =>
          `${m.stat}: before ${num(m.before)} ms, after ${num(m.after)} ms, change ${change(m.change_pct)}, allowed ±${num(m.allowed_ms)} ms: ${m.status}`,
      )
      .join('\n');
    if (broken.length === 0)
      add(first.scenario, `    <testcase classname="${xml(first.scenario)}" name="${xml(name)}"/>`);
    else {
      fail(first.scenario);
      const message = `${first.metric} ${broken.map((m) => `${m.stat} ${m.status} (${change(m.change_pct)})`).join(', ')}`;
      add(
        first.scenario,
        `    <testcase classname="${xml(first.scenario)}" name="${xml(name)}">\n      <failure message="${xml(message)}" type="${xml(broken[0]?.status ?? '')}">${xml(detail)}</failure>\n    </testcase>`,
      );
    }
  }
  for (const k of r.kpis) {
    if (k.status === 'new') continue;
    const name = `${k.variant} ${k.kpi}`;
    if (k.status === 'ok') add(k.scenario, `    <testcase classname="${xml(k.scenario)}" name="${xml(name)}"/>`);
    else {
      fail(k.scenario);
      const message = `${k.kpi} verdict ${k.status}: before ${verdict(k.before)}, after ${verdict(k.after)}`;
      add(
        k.scenario,
        `    <testcase classname="${xml(k.scenario)}" name="${xml(name)}">\n      <failure message="${xml(message)}" type="${k.status}"/>\n    </testcase>`,
      );
    }
  }
  const total = [...cases.values()].reduce((s, l) => s + l.length, 0);
  const time = (opts.seconds ?? 0).toFixed(3);
  const suites = [...cases].map(
    ([suite, list]) =>
      `  <testsuite name="${xml(suite)}" tests="${list.length}" failures="${failures.get(suite) ?? 0}" errors="0" skipped="0">\n${list.join('\n')}\n  </testsuite>`,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="mcsim check" tests="${total}" failures="${r.failures > 0 ? [...failures.values()].reduce((s, n) => s + n, 0) : 0}" errors="0" time="${time}">\n${suites.join('\n')}\n</testsuites>\n`;
}
