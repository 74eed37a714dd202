import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordSequence, type Sequence } from '../../src/report/sequence.ts';
import { renderSequenceSvg, stretches } from '../../src/report/sequence-svg.ts';
import { renderMermaid } from '../../src/report/sequence-text.ts';
import { loadScenario } from '../../src/scenario/load.ts';
import { hasChromium, NO_CHROMIUM, openBrowser, openPage, screenshot } from '../report/browser.ts';
import { expectBadInput, mcsim, ROOT } from './helpers.ts';
import { tempDir } from '../fixtures/temp-dir.ts';

const FILE = join(ROOT, 'scenarios/private-call-to-migrated-user.yaml');
const tmp = (): string => tempDir('chart');

/** Indexes of the steps the spec figure shows, found in the chart's own message list. */
function steps(seq: Sequence) {
  const m = seq.messages;
  const first = m.findIndex((x) => x.type === 'PrivateCallRequest' && x.from === 'alice');
  const redirection = m.findIndex((x) => x.type === 'PrivateCallRedirection' && x.to === 'alice');
  const lookup = m.findIndex((x) => x.type === 'KmsLookupRequest' && x.from === 'alice');
  const lookupAnswer = m.findIndex((x) => x.type === 'KmsLookupResponse' && x.to === 'alice');
  const second = m.findIndex((x, i) => i > redirection && x.type === 'PrivateCallRequest' && x.from === 'alice');
  const towardsB = m.findIndex((x, i) => i > second && x.type === 'PrivateCallRequest' && x.to === 'serverB');
  return { first, redirection, lookup, lookupAnswer, second, towardsB };
}

describe('sequence chart of private-call-to-migrated-user', () => {
  const loaded = loadScenario(FILE);
  const lookup = recordSequence(loaded, { variant: 'kms-lookup' });
  const uri = recordSequence(loaded, { variant: 'kms-uri-in-redirection' });

  it('lookup variant: first request, redirection, KMS lookup, then the new call to B, in time order', () => {
    const s = steps(lookup);
    expect(s.first).toBe(0);
    expect(s.redirection).toBeGreaterThan(s.first);
    expect(s.lookup).toBeGreaterThan(s.redirection);
    expect(s.lookupAnswer).toBeGreaterThan(s.lookup);
    expect(s.second).toBeGreaterThan(s.lookupAnswer);
    expect(s.towardsB).toBeGreaterThan(s.second);
    const times = lookup.messages.map((m) => m.t);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    // Lifelines grouped by system, the caller's first; bob drawn where he is served (B).
    expect(lookup.nodes.map((n) => n.system)).toEqual(['C', 'C', 'C', 'C', 'A', 'A', 'B', 'B', 'B', 'B']);
    expect(lookup.nodes.find((n) => n.name === 'bob')?.system).toBe('B');
  });

  it('KMS URI variant: no lookup between the redirection and the new call', () => {
    const s = steps(uri);
    expect(s.lookup).toBe(-1);
    expect(s.second).toBeGreaterThan(s.redirection);
  });

  it('the SVG draws the arrows top to bottom in time order, labelled with names and send times', () => {
    const svg = renderSequenceSvg(lookup);
    const arrows = [
      ...svg.matchAll(
        /<g class="msg(?: path)?" data-index="(\d+)" data-type="(\w+)"[^>]*data-t="([\d.]+)"[^>]*>.*?<line x1="[\d.]+" y1="([\d.]+)"/g,
      ),
    ].map((m) => ({ type: m[2], t: Number(m[3]), y: Number(m[4]) }));
    expect(arrows).toHaveLength(lookup.messages.length);
    const ys = arrows.map((a) => a.y);
    expect(ys).toEqual([...ys].sort((a, b) => a - b));
    const s = steps(lookup);
    for (const i of [s.first, s.redirection, s.lookup, s.second]) {
      const m = lookup.messages[i];
      expect(svg).toContain(`>${m?.type}<tspan fill="#777" font-size="9"> ${m?.t}</tspan>`);
    }
    expect(svg).toContain('MC system C');
    expect(svg).toMatch(/data-metric="private_call.setup" data-outcome="success"/);
  });

  it('Mermaid text is a sequenceDiagram with boxes per system and timed arrows', () => {
    const text = renderMermaid(lookup);
    expect(text.startsWith('sequenceDiagram\n')).toBe(true);
    expect(text).toContain('box transparent MC system B');
    expect(text).toMatch(/participant p0 as alice/);
    expect(text).toMatch(/p0->>p1: (★ )?PrivateCallRequest at [\d.]+, arrives [\d.]+/);
    expect(text).toMatch(/p0->>p3: (★ )?KmsLookupRequest at/);
    // Every measured interval is a note where it ends, with its length and span.
    const setup = lookup.intervals.find((i) => i.metric === 'private_call.setup');
    expect(text).toContain(
      `Note over p0,p${lookup.nodes.length - 1}: private_call.setup ${Math.round(((setup?.end ?? 0) - (setup?.start ?? 0)) * 1000) / 1000} ms (0 to ${setup?.end}`,
    );
  });

  it('cuts a long quiet lead-in like any other idle gap', () => {
    const late = recordSequence(loadScenario(FILE, { 'timeline[0].at': '3s' }), { variant: 'kms-lookup' });
    const parts = stretches(late);
    expect(parts[0]).toEqual({ from: 0, to: 0 });
    // The activity starts with the set-up interval, at the PTT press 3 s in.
    expect(parts[1]?.from).toBe(3000);
    expect(late.messages[0]?.t).toBeGreaterThan(3000);
    expect(renderSequenceSvg(late)).toMatch(/<g class="gap" data-from="0" data-to="3000"/);
  });

  it('lost messages and timeouts are marked', () => {
    const lossy = loadScenario(FILE, {
      'topology.defaults.interconnect': { latency: '10ms', loss: 1, transport: 'unreliable' },
    });
    const seq = recordSequence(lossy, { variant: 'kms-uri-in-redirection' });
    expect(seq.messages.some((m) => m.arrive === null)).toBe(true);
    expect(seq.intervals.some((i) => i.outcome === 'timeout')).toBe(true);
    const svg = renderSequenceSvg(seq);
    expect(svg).toMatch(/<g class="msg lost"/);
    expect(svg).toMatch(/<g class="timeout" data-metric="[\w.]+"/);
    expect(renderMermaid(seq)).toMatch(/-x.*LOST/);
    expect(renderMermaid(seq)).toMatch(/Note over .*TIMEOUT/);
  });
});

describe('mcsim chart', () => {
  it('writes svg, html and mmd by the -o extension; bad input exits 2', () => {
    const dir = tmp();
    const r = mcsim('chart', FILE, '--variant', 'kms-lookup', '-o', join(dir, 'c.svg'));
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(dir, 'c.svg'), 'utf8')).toMatch(/^<svg xmlns/);
    expect(mcsim('chart', FILE, '-o', join(dir, 'c.mmd')).code).toBe(0);
    expect(readFileSync(join(dir, 'c.mmd'), 'utf8')).toMatch(/^sequenceDiagram/);
    expect(expectBadInput(mcsim('chart', FILE, '-o', join(dir, 'c.png')))).toMatch(/\.svg, \.mmd or \.html/);
    expect(expectBadInput(mcsim('chart', FILE, '--variant', 'nope'))).toMatch(/unknown variant "nope"/);
  });

  it('a scenario with a sweep: a point by --point or by naming its values with --set; the advice works as written', () => {
    const study = 'examples/headline-study/study.yaml';
    const advice = expectBadInput(mcsim('chart', study));
    expect(advice).toMatch(
      /has a sweep of \d+ points; chart one with --point 0 to --point \d+, or name its swept values/,
    );
    const suggested = /e\.g\. --set '([^']+)'/.exec(advice)?.[1] as string;
    const bySet = mcsim('chart', study, '--set', suggested);
    expect(bySet.code, bySet.stderr).toBe(0);
    const byIndex = mcsim('chart', study, '--point', '0');
    expect(byIndex.stdout).toBe(bySet.stdout);
    // Another point is another chart: a longer inter-system latency moves every crossing.
    expect(mcsim('chart', study, '--point', '3').stdout).not.toBe(byIndex.stdout);
    expect(expectBadInput(mcsim('chart', study, '--point', '99'))).toMatch(
      /--point expects a point of the sweep, 0 to \d+; found 99/,
    );
    expect(expectBadInput(mcsim('chart', FILE, '--point', '0'))).toMatch(/has no sweep/);
  });
});

describe.skipIf(!hasChromium)(`the SVG in headless Chromium${hasChromium ? '' : ` (${NO_CHROMIUM})`}`, () => {
  let browser: Awaited<ReturnType<typeof openBrowser>>;
  beforeAll(async () => {
    browser = await openBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('renders without errors: every arrow visible, labels in time order down the page', async () => {
    const dir = tmp();
    const file = join(dir, 'lookup.svg');
    expect(mcsim('chart', FILE, '--variant', 'kms-lookup', '-o', file).code).toBe(0);
    const { page, problems } = await openPage(browser, file);
    const boxes = await page.$$eval('g.msg', (gs) =>
      gs.map((g) => {
        const b = (g as SVGGraphicsElement).getBBox();
        return {
          type: g.getAttribute('data-type'),
          t: Number(g.getAttribute('data-t')),
          y: b.y,
          w: b.width,
          h: b.height,
        };
      }),
    );
    expect(boxes.length).toBeGreaterThan(20);
    expect(boxes.every((b) => b.w > 0 && b.h > 0)).toBe(true);
    const lookupAt = boxes.findIndex((b) => b.type === 'KmsLookupRequest');
    const redirectAt = boxes.findIndex((b) => b.type === 'PrivateCallRedirection');
    expect((boxes[lookupAt]?.y ?? 0) > (boxes[redirectAt]?.y ?? Infinity)).toBe(true);
    const png = await screenshot(page, join(dir, 'lookup.png'));
    expect(png.length).toBeGreaterThan(20_000);
    expect(problems).toEqual([]);
  }, 60_000);
});
