import { scaleLinear } from 'd3-scale';
import type { Comparison, PointResult, RunResult, SweepAxes, VariantResult } from '../../experiment/result.ts';
import { CATEGORIES } from '../../mc/measure/critical-path.ts';
import { valueLabel } from '../figures.ts';
import { esc } from '../sequence-svg.ts';

/**
 * Where the time goes, as stacked bars: one bar per variant (and per sweep point), split into the
 * categories of the metric's breakdown; or one bar per compared pair, split into the paired
 * difference of each category, parts that shrank drawn left of zero. Every segment carries its
 * category and value (`data-category`, `data-ms`), so what is drawn can be checked against the
 * numbers.
 */

export interface Bar {
  label: string;
  /** Category and ms, in CATEGORIES order. */
  parts: [string, number][];
}

export interface BarFigure {
  title: string;
  xLabel: string;
  bars: Bar[];
  data: Record<string, string>;
}

/** A colour per category, by family: links blue, the wire purple, queues red, processing green, crypto brown, waits grey. */
const COLOR: Record<string, string> = {
  'link.access': '#9ecae1',
  'link.core': '#4292c6',
  'link.interconnect': '#08519c',
  transmission: '#bcbddc',
  retransmission: '#6a51a3',
  'queue.client': '#fcbba1',
  'queue.server': '#fb6a4a',
  'queue.gateway': '#ef3b2c',
  'queue.idms': '#cb181d',
  'queue.cms': '#a50f15',
  'queue.kms': '#67000d',
  'processing.client': '#c7e9c0',
  'processing.server': '#74c476',
  'processing.gateway': '#41ab5d',
  'processing.idms': '#238b45',
  'processing.cms': '#006d2c',
  'processing.kms': '#00441b',
  'crypto.sakke': '#d8b365',
  'crypto.eccsi': '#8c510a',
  timer: '#969696',
  human: '#636363',
  'radio.paging': '#f1b6da',
  'radio.setup': '#c51b7d',
  idle: '#e0e0e0',
};

const PLOT_W = 360;
const ROW = 22;
const M = { right: 20, top: 40, bottom: 44 };
const LEGEND_W = 190;
/** About the width of a character of the labels' 12 px Helvetica: the labels' column fits the longest. */
const CHAR_W = 6.8;
const fmt = (x: number): string => String(Math.round(x * 100) / 100);

export function renderBars(f: BarFigure): string {
  const used = CATEGORIES.filter((c) => f.bars.some((b) => b.parts.some(([name, ms]) => name === c && ms !== 0)));
  const lo = Math.min(0, ...f.bars.map((b) => b.parts.reduce((s, [, ms]) => s + Math.min(0, ms), 0)));
  const hi = Math.max(0, ...f.bars.map((b) => b.parts.reduce((s, [, ms]) => s + Math.max(0, ms), 0)));
  const plotH = Math.max(1, f.bars.length) * ROW;
  const labels = Math.ceil(12 + CHAR_W * Math.max(8, ...f.bars.map((b) => b.label.length)));
  const W = labels + PLOT_W + M.right;
  const H = M.top + plotH + M.bottom;
  const height = Math.max(H, M.top + used.length * 18 + 12);
  const x = scaleLinear()
    .domain(lo === hi ? [0, 1] : [lo, hi])
    .range([labels, W - M.right])
    .nice();
  const px = (v: number): string => fmt(x(v));
  const attrs = Object.entries(f.data)
    .map(([k, v]) => ` data-${k}="${esc(v)}"`)
    .join('');
  const out = [
    `<svg class="figure bars" xmlns="http://www.w3.org/2000/svg" width="${W + LEGEND_W}" height="${height}" viewBox="0 0 ${W + LEGEND_W} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="12"${attrs}>`,
    `<rect width="${W + LEGEND_W}" height="${height}" fill="#fff"/>`,
    `<text x="8" y="20" font-size="14" font-weight="bold">${esc(f.title)}</text>`,
  ];
  for (const t of x.ticks(6))
    out.push(
      `<line x1="${px(t)}" x2="${px(t)}" y1="${M.top}" y2="${M.top + plotH}" stroke="#eee"/>`,
      `<text x="${px(t)}" y="${M.top + plotH + 16}" text-anchor="middle">${esc(x.tickFormat(6)(t))}</text>`,
    );
  out.push(
    `<line x1="${px(0)}" x2="${px(0)}" y1="${M.top}" y2="${M.top + plotH}" stroke="#999"/>`,
    `<text x="${(labels + W - M.right) / 2}" y="${M.top + plotH + 36}" text-anchor="middle">${esc(f.xLabel)}</text>`,
  );
  f.bars.forEach((b, i) => {
    const y = M.top + i * ROW;
    const total = b.parts.reduce((s, [, ms]) => s + ms, 0);
    out.push(
      `<g class="bar" data-label="${esc(b.label)}" data-total="${fmt(total)}">`,
      `<text x="${labels - 6}" y="${y + ROW / 2}" dy="4" text-anchor="end">${esc(b.label)}</text>`,
    );
    // Positive parts stack right from zero, negative ones (a difference that shrank) left.
    let above = 0;
    let below = 0;
    for (const [category, ms] of b.parts) {
      if (ms === 0) continue;
      const from = ms > 0 ? above : below + ms;
      if (ms > 0) above += ms;
      else below += ms;
      out.push(
        `<rect class="part" x="${px(from)}" y="${y + 3}" width="${fmt(Math.abs(x(from + Math.abs(ms)) - x(from)))}" height="${ROW - 6}" fill="${COLOR[category] ?? '#000'}" data-category="${esc(category)}" data-ms="${ms}"><title>${esc(`${category}: ${fmt(ms)} ms`)}</title></rect>`,
      );
    }
    out.push('</g>');
  });
  out.push(`<g class="legend" transform="translate(${W + 8} ${M.top})">`);
  used.forEach((c, i) =>
    out.push(
      `<rect x="0" y="${i * 18 - 9}" width="14" height="12" fill="${COLOR[c] ?? '#000'}"/>`,
      `<text x="20" y="${i * 18}" dy="1">${esc(c)}</text>`,
    ),
  );
  out.push('</g>', '</svg>');
  return out.join('\n');
}

const partsOf = (breakdown: Record<string, number>): [string, number][] =>
  CATEGORIES.filter((c) => breakdown[c] !== undefined).map((c) => [c, breakdown[c] as number]);

const diffPartsOf = (c: Comparison): [string, number][] =>
  CATEGORIES.filter((k) => c.breakdown[k] !== undefined).map((k) => [k, c.breakdown[k]?.mean_diff as number]);

/** A sweep point's label: its value on each axis. */
const pointLabel = (sweep: SweepAxes, p: PointResult): string =>
  sweep.axes.map((a, k) => valueLabel(a.values[p.at[k] as number]?.[0])).join(', ');

/** The bars of a metric's breakdown: per variant, or per sweep point and variant. */
export function breakdownBars(result: RunResult, metric: string, sweep?: SweepAxes): BarFigure {
  const bar = (label: string, v: VariantResult): Bar[] => {
    const m = v.metrics[metric];
    return m === undefined ? [] : [{ label, parts: partsOf(m.breakdown) }];
  };
  const bars =
    sweep === undefined
      ? result.variants.flatMap((v) => bar(v.name, v))
      : (result.points ?? [])
          .filter((p) => p.sweep === sweep.name)
          .flatMap((p) => p.variants.flatMap((v) => bar(`${pointLabel(sweep, p)} · ${v.name}`, v)));
  return {
    title: `${metric}: where the time goes (mean per sample)`,
    xLabel: `${metric} mean (ms), by category of its critical path`,
    bars,
    data: { kind: 'breakdown', metric, ...(sweep === undefined ? {} : { sweep: sweep.name }) },
  };
}

/** The bars of the paired differences by category: per compared pair, or per sweep point and pair. */
export function differenceBars(result: RunResult, metric: string, sweep?: SweepAxes): BarFigure {
  const bar = (label: string, c: Comparison): Bar[] => (c.metric === metric ? [{ label, parts: diffPartsOf(c) }] : []);
  const name = (c: Comparison): string => `${c.b} − ${c.a}`;
  const bars =
    sweep === undefined
      ? result.comparisons.flatMap((c) => bar(name(c), c))
      : (result.points ?? [])
          .filter((p) => p.sweep === sweep.name)
          .flatMap((p) => p.comparisons.flatMap((c) => bar(`${pointLabel(sweep, p)} · ${name(c)}`, c)));
  return {
    title: `${metric}: where the difference lies (paired, b − a)`,
    xLabel: `${metric} mean difference (ms), by category`,
    bars,
    data: { kind: 'difference-breakdown', metric, ...(sweep === undefined ? {} : { sweep: sweep.name }) },
  };
}
