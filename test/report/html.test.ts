import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/experiment/result.ts';
import { renderHtmlReport } from '../../src/report/html.ts';
import { writeStudy } from '../fixtures/study.ts';
import { expectBadInput, mcsim } from '../cli/helpers.ts';
import { hasChromium, NO_CHROMIUM, openBrowser, openPage, screenshot } from './browser.ts';
import { tempDir } from '../fixtures/temp-dir.ts';

const tmp = (): string => tempDir('report');

/** The study's sweep (three systems, URI vs lookup, 10..250 ms), as `mcsim run --json` writes it. */
function studyResult(dir: string): string {
  const out = join(dir, 'study.json');
  const r = mcsim('run', writeStudy(), '--json', '--out', out);
  expect(r.code).toBe(1);
  return out;
}

describe('the report of a sweep', () => {
  const dir = tmp();
  const file = studyResult(dir);
  const result = JSON.parse(readFileSync(file, 'utf8')) as RunResult;
  const html = renderHtmlReport([result]);

  it('is one page with no script and nothing fetched, and escapes text', () => {
    expect(html).not.toMatch(/<script|<link[^>]+href=|<img[^>]+src=/);
    const named = renderHtmlReport([{ ...result, scenario: { ...result.scenario, name: 'demo <b>' } }]);
    expect(named).toContain('demo &lt;b&gt;');
  });

  it('states where KPI 2 first fails for each option, with the crossing', () => {
    expect(html).toMatch(
      /KPI2 \(private_call\.setup p95 &lt; 1000 ms\) in lookup: first fails at .*crosses the limit at/,
    );
    expect(html).toMatch(/KPI2 \(private_call\.setup p95 &lt; 1000 ms\) in uri: first fails at/);
  });

  it('report --figure writes one figure as SVG: the p95 against the limit, or the paired difference', () => {
    const p95 = join(dir, 'p95.svg');
    expect(mcsim('report', file, '--figure', 'private_call.setup:p95', '-o', p95).code).toBe(0);
    const svg = readFileSync(p95, 'utf8');
    expect(svg).toMatch(/^<svg class="figure" xmlns/);
    expect(svg).toMatch(/<g class="limit" data-y="1000">/);
    expect(svg).toMatch(/<g class="crossing" data-x="[\d.]+">/);
    const diff = join(dir, 'diff.svg');
    expect(mcsim('report', file, '--figure', 'private_call.setup:diff', '-o', diff).code).toBe(0);
    expect(readFileSync(diff, 'utf8')).toMatch(/<path class="band"/);
    expect(expectBadInput(mcsim('report', file, '--figure', 'nope', '-o', p95))).toMatch(
      /no metric "nope" in this result/,
    );
    expect(
      expectBadInput(mcsim('report', file, '--figure', 'private_call.setup:p95', '-o', join(dir, 'f.png'))),
    ).toMatch(/a figure is written as SVG/);
  });
});

describe('mcsim report input', () => {
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

  it("the study's page: a p95 figure with the 1000 ms limit, a difference figure with its band, x proportional to the swept values, no errors", async () => {
    const dir = tmp();
    const out = join(dir, 'report.html');
    const r = mcsim('report', studyResult(dir), '-o', out);
    expect(r.code, r.stderr).toBe(0);
    const { page, problems } = await openPage(browser, out);
    const p95 = page.locator('svg.figure[data-kind="percentile"][data-metric="private_call.setup"][data-stat="p95"]');
    expect(await p95.count()).toBe(1);
    expect(await p95.locator('g.limit').getAttribute('data-y')).toBe('1000');
    // Each option's p95 at every swept latency, at x positions proportional to the latency.
    const points = await p95
      .locator('g.series circle')
      .evaluateAll((cs) =>
        cs.map((c) => ({ x: Number(c.getAttribute('data-x')), cx: (c as SVGCircleElement).cx.baseVal.value })),
      );
    expect(points).toHaveLength(13 * 2);
    const [a, b] = [points[0], points[12]] as [{ x: number; cx: number }, { x: number; cx: number }];
    const pxPerMs = (b.cx - a.cx) / (b.x - a.x);
    expect(pxPerMs).toBeGreaterThan(0);
    for (const p of points) expect(Math.abs(p.cx - (a.cx + (p.x - a.x) * pxPerMs))).toBeLessThan(0.02);
    expect(points.map((p) => p.x).slice(0, 13)).toEqual(Array.from({ length: 13 }, (_, i) => 10 + 20 * i));
    const diff = page.locator('svg.figure[data-kind="difference"][data-metric="private_call.setup"]');
    expect(await diff.count()).toBe(1);
    expect(await diff.locator('path.band').count()).toBe(1);
    expect(await diff.locator('g.series').getAttribute('data-label')).toBe('lookup − uri');
    // The legend names the curves, the limit and the crossings.
    const legend = await p95.locator('g.legend').textContent();
    expect(legend).toMatch(/uri.*lookup.*KPI2 limit: p95 < 1000 ms/);
    const png = await screenshot(page, join(dir, 'report.png'));
    expect(png.length).toBeGreaterThan(50_000);
    expect(problems).toEqual([]);
  }, 60_000);

  it('a run without a sweep: an empirical CDF per metric from its quantiles', async () => {
    const dir = tmp();
    const run = join(dir, 'run.json');
    expect(mcsim('run', 'scenarios/private-call.yaml', '--runs', '50', '--json', '--out', run).code).toBe(0);
    const out = join(dir, 'report.html');
    expect(mcsim('report', run, '-o', out).code).toBe(0);
    const { page, problems } = await openPage(browser, out);
    const cdf = page.locator('svg.figure[data-kind="ecdf"][data-metric="private_call.setup"]');
    expect(await cdf.locator('path.line').count()).toBe(1);
    expect(await cdf.locator('g.limit').getAttribute('data-x')).toBe('1000');
    expect(problems).toEqual([]);
  }, 60_000);
});
