import { describe, expect, it } from 'vitest';
import type { Comparison, MetricSummary, RunResult, VariantResult } from '../../src/experiment/result.ts';
import { csvField, renderComparisonsCsv, renderCsv } from '../../src/report/csv.ts';
import { renderJson } from '../../src/report/json.ts';
import { renderComparisonTable, renderTable } from '../../src/report/table.ts';

const metric = (mean: number, ci95: [number, number] | null): MetricSummary => ({
  unit: 'ms',
  n: 4,
  mean,
  sd: 1,
  min: mean - 1,
  p50: mean,
  p90: mean + 1,
  p95: mean + 1,
  p99: mean + 1,
  max: mean + 1,
  ci95,
  quantiles: Array.from({ length: 101 }, (_, p) => (p < 50 ? mean - 1 : p === 50 ? mean : mean + 1)),
  breakdown: { 'link.access': mean },
  steps: { '23.379 10.7.2.2.1 PrivateCallRequest': mean },
});
const variant = (name: string, mean: number): VariantResult => ({
  name,
  params: {},
  replications: { completed: 4, cut: 0 },
  metrics: { 'private_call.setup': metric(mean, [mean - 2, mean + 2]) },
  outcomes: { private_call: { success: 4 } },
  kpis: [],
  standard_kpis: [{ service: 'mcptt', spec: 'TS 22.179 6.15.3', judged: [] }],
  counters: { events: 1, messages: 1, bytes: 1, lost: 0, retransmissions: 0 },
});
const comparison = (diff: number, ci95: [number, number] | null): Comparison => ({
  metric: 'private_call.setup',
  a: 'near',
  b: 'far',
  mean_diff: diff,
  ci95,
  paired: true,
  unpaired_ci95: ci95 === null ? null : [ci95[0] - 9, ci95[1] + 9],
  significant: ci95 !== null && (ci95[0] > 0 || ci95[1] < 0),
  n: 4,
  breakdown: { 'link.access': { mean_diff: diff, ci95 } },
});
const head = {
  mcsim: '0.1.0',
  schemaVersion: 2 as const,
  scenario: { name: 'demo, "quoted"', file: 'demo.yaml' },
  seed: 1,
  runs: 4,
  complete: true,
  stopped: null,
  replications: { planned: 8, completed: 8, cut: 0 },
};
const plain: RunResult = {
  ...head,
  variants: [variant('near', 100), variant('far', 150)],
  comparisons: [comparison(50, [45, 55])],
};
const swept: RunResult = {
  ...head,
  variants: [],
  comparisons: [],
  points: [
    {
      sweep: 'sweep',
      at: [0],
      params: { 'topology.defaults.interconnect.latency': '10ms' },
      variants: [variant('near', 100)],
      comparisons: [comparison(1, [-2, 4])],
    },
    {
      sweep: 'sweep',
      at: [1],
      params: { 'topology.defaults.interconnect.latency': '20ms' },
      variants: [variant('near', 120)],
      comparisons: [comparison(3, null)],
    },
  ],
};

describe('csv', () => {
  it('quotes fields as RFC 4180 says', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField(null)).toBe('');
    expect(csvField({ uniform: ['1ms', '2ms'] })).toBe('"{""uniform"":[""1ms"",""2ms""]}"');
  });

  it('one row per variant and metric without a sweep', () => {
    expect(renderCsv([plain]).split('\n')).toEqual([
      'scenario,variant,metric,unit,n,mean,sd,ci95_lo,ci95_hi,p50,p90,p95,p99,min,max,kpi,kpi_percentile,kpi_value_ms,kpi_limit_ms,kpi_pass',
      '"demo, ""quoted""",near,private_call.setup,ms,4,100,1,98,102,100,101,101,101,99,101,,,,,',
      '"demo, ""quoted""",far,private_call.setup,ms,4,150,1,148,152,150,151,151,151,149,151,,,,,',
      '',
    ]);
  });

  it('a point column and one column per swept parameter with a sweep', () => {
    const rows = renderCsv([swept]).trim().split('\n');
    expect(rows[0]).toBe(
      'scenario,point,topology.defaults.interconnect.latency,variant,metric,unit,n,mean,sd,ci95_lo,ci95_hi,p50,p90,p95,p99,min,max,kpi,kpi_percentile,kpi_value_ms,kpi_limit_ms,kpi_pass',
    );
    expect(rows.slice(1)).toEqual([
      '"demo, ""quoted""",0,10ms,near,private_call.setup,ms,4,100,1,98,102,100,101,101,101,99,101,,,,,',
      '"demo, ""quoted""",1,20ms,near,private_call.setup,ms,4,120,1,118,122,120,121,121,121,119,121,,,,,',
    ]);
  });

  it('comparisons leave empty cells where an interval is missing', () => {
    const rows = renderComparisonsCsv([swept]).trim().split('\n');
    expect(rows[0]).toBe(
      'scenario,point,topology.defaults.interconnect.latency,a,b,metric,n,mean_diff,ci95_lo,ci95_hi,unpaired_ci95_lo,unpaired_ci95_hi,significant',
    );
    expect(rows[2]?.endsWith(',near,far,private_call.setup,4,3,,,,,false')).toBe(true);
  });
});

describe('table and json', () => {
  it('the compare table says whether each difference is significant and how much pairing helped', () => {
    const text = renderComparisonTable(plain, { color: false });
    expect(text).toContain(
      'private_call.setup: far - near = +50 ms, 95% CI [45, 55] (paired t, n=4): significant; 2.8x narrower than unpaired',
    );
    const sweptText = renderComparisonTable(swept, { color: false });
    expect(sweptText).toContain('at topology.defaults.interconnect.latency=10ms');
    expect(sweptText).toContain('= +1 ms, 95% CI [-2, 4] (paired t, n=4): not significant');
    expect(sweptText).toContain('= +3 ms, 95% CI - (paired t, n=4): too few paired replications to judge');
  });

  it('the run table shows a sweep as one row per point, variant and metric', () => {
    const lines = renderTable(swept, { color: false }).split('\n');
    expect(
      lines.filter((l) => /^topology\.defaults\.interconnect\.latency=\d+ms +near +private_call\.setup/.test(l)),
    ).toHaveLength(2);
    expect(renderTable(plain, { color: false })).toContain('variant far');
  });

  it('json is the result itself, two-space indented, with a trailing newline', () => {
    const text = renderJson(plain);
    expect(JSON.parse(text)).toEqual(plain);
    expect(text.startsWith('{\n  "mcsim": "0.1.0"')).toBe(true);
    expect(text.endsWith('}\n')).toBe(true);
  });
});
