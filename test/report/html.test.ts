import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MetricSummary, PointResult, RunResult, VariantResult } from '../../src/experiment/result.ts';
import { cdfOf, sweepPlots } from '../../src/report/html-data.ts';
import { renderHtmlReport } from '../../src/report/html.ts';
import { expectBadInput, mcsim } from '../cli/helpers.ts';
import { hasChromium, NO_CHROMIUM, openBrowser, openPage, screenshot } from './browser.ts';
import { tempDir } from '../fixtures/temp-dir.ts';

const metric = (mean: number): MetricSummary => ({
  unit: 'ms',
  n: 10,
  mean,
  sd: 5,
  min: mean - 10,
  p50: mean,
  p90: mean + 8,
  p95: mean + 9,
  p99: mean + 10,
  max: mean + 12,
  ci95: [mean - 3, mean + 3],
});
const variant = (name: string, mean: number, pass = true): VariantResult => ({
  name,
  params: {},
  metrics: { 'private_call.setup': metric(mean) },
  outcomes: {},
  kpis: [{ id: 'KPI2', metric: 'private_call.setup', percentile: 95, limit_ms: 1000, value_ms: mean + 9, pass }],
  standard_kpis: [{ service: 'mcptt', spec: 'TS 22.179 6.15.3', judged: ['KPI2'] }],
  counters: { events: 1, messages: 1, bytes: 1, lost: 0, retransmissions: 0 },
});
const head = { mcsim: '0.1.0', scenario: { name: 'demo <b>', file: 'demo.yaml' }, seed: 1, runs: 10, complete: true };
const point = (lat: string, a: number, b: number): PointResult => ({
  params: { 'topology.defaults.interconnect.latency': lat },
  variants: [variant('uri', a), variant('lookup', b)],
  comparisons: [],
});
const swept: RunResult = {
  ...head,
  variants: [],
  comparisons: [],
  points: [point('50ms', 300, 400), point('10ms', 200, 250)],
};
const tmp = (): string => tempDir('report');

describe('report data', () => {
  it('the CDF goes through the order statistics of the result', () => {
    expect(cdfOf('v', metric(100))).toEqual({
      variant: 'v',
      x: [90, 100, 108, 109, 110, 112],
      p: [0, 0.5, 0.9, 0.95, 0.99, 1],
    });
  });

  it('sweep curves: durations in ms on x, sorted, one mean and ci95 band per variant', () => {
    const [p] = sweepPlots(swept.points ?? []);
    expect(p?.xLabel).toBe('topology.defaults.interconnect.latency (ms)');
    expect(p?.x).toEqual([10, 50]);
    expect(p?.series.map((s) => s.label)).toEqual(['uri', 'lookup']);
    expect(p?.series[1]).toEqual({ label: 'lookup', mean: [250, 400], lo: [247, 397], hi: [253, 403] });
  });

  it('the page needs no network: uPlot and the data are inline, and text is escaped', () => {
    const html = renderHtmlReport([swept]);
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=/);
    expect(html).toContain('demo &lt;b&gt;');
    expect(html).toMatch(/uPlot/);
  });
});

describe('mcsim report', () => {
  it('bad input exits 2', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'x.json'), '{"a": 1}');
    expect(expectBadInput(mcsim('report', join(dir, 'x.json'), '-o', join(dir, 'r.html')))).toMatch(
      /not an mcsim result/,
    );
    expect(expectBadInput(mcsim('report', join(dir, 'none.json'), '-o', join(dir, 'r.html')))).toMatch(/no such file/);
  });
});

describe.skipIf(!hasChromium)(`the HTML report in headless Chromium${hasChromium ? '' : ` (${NO_CHROMIUM})`}`, () => {
  let browser: Awaited<ReturnType<typeof openBrowser>>;
  beforeAll(async () => {
    browser = await openBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('a real run and a sweep open without errors or network and draw every plot', async () => {
    const dir = tmp();
    const run = join(dir, 'run.json');
    expect(
      mcsim(
        'run',
        'scenarios/private-call-to-migrated-user.yaml',
        '--runs',
        '20',
        '--variant',
        'kms-uri-in-redirection',
        '--variant',
        'kms-lookup',
        '--json',
        '--out',
        run,
      ).code,
    ).toBe(0);
    writeFileSync(join(dir, 'sweep.json'), JSON.stringify(swept));
    const out = join(dir, 'report.html');
    const r = mcsim('report', run, join(dir, 'sweep.json'), '-o', out);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(out, 'utf8')).toMatch(/^<!doctype html>/);
    const { page, problems } = await openPage(browser, out);
    await page.waitForSelector('body[data-plots]');
    const plots = Number(await page.getAttribute('body', 'data-plots'));
    // run: kms.lookup, key_discovery, redirection, setup CDFs; sweep: one metric.
    expect(plots).toBe(5);
    const canvases = await page.$$eval('.uplot canvas', (cs) =>
      cs.map((c) => ({ w: (c as HTMLCanvasElement).width, h: (c as HTMLCanvasElement).height })),
    );
    expect(canvases).toHaveLength(5);
    expect(canvases.every((c) => c.w > 300 && c.h > 150)).toBe(true);
    // Something was drawn: the setup CDF canvas is not one flat colour.
    const colours = await page.$eval('#cdf-0-3 canvas', (c) => {
      const d =
        (c as HTMLCanvasElement)
          .getContext('2d')
          ?.getImageData(0, 0, (c as HTMLCanvasElement).width, (c as HTMLCanvasElement).height).data ?? [];
      const seen = new Set<number>();
      for (let i = 0; i < d.length; i += 4 * 7)
        seen.add(((d[i] ?? 0) << 16) | ((d[i + 1] ?? 0) << 8) | (d[i + 2] ?? 0));
      return seen.size;
    });
    expect(colours).toBeGreaterThan(3);
    expect(await page.textContent('table.comparisons')).toContain('kms-lookup − kms-uri-in-redirection');
    const png = await screenshot(page, join(dir, 'report.png'));
    expect(png.length).toBeGreaterThan(50_000);
    expect(problems).toEqual([]);
  }, 60_000);
});
