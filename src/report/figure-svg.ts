import { scaleLinear, scaleLog } from 'd3-scale';
import { esc } from './sequence-svg.ts';

/**
 * A line figure as SVG, for the HTML report and for papers: numeric axes (linear, or log on x)
 * with ticks from d3-scale, lines with their points, shaded bands, reference lines and a legend
 * that names every mark. Every point carries its data values (`data-x`, `data-y`), so what is
 * drawn can be checked against the numbers.
 */

export interface Point {
  x: number;
  y: number | null;
}

export interface Series {
  label: string;
  color: string;
  /** SVG stroke-dasharray; solid when absent. */
  dash?: string;
  points: Point[];
  /** A band (e.g. a 95% confidence interval) around the line, point by point. */
  band?: { lo: number | null; hi: number | null }[];
  /** Draw as a staircase (an empirical CDF), without point markers. */
  step?: boolean;
}

/** A horizontal (y) or vertical (x) line across the plot, labelled at its end. */
export interface RefLine {
  axis: 'x' | 'y';
  value: number;
  label: string;
  /** What the plot writes beside the line, when shorter than the legend's label. */
  tag?: string;
  color: string;
  /** A class on the line, for readers and tests (e.g. `limit`, `crossing`). */
  kind: string;
}

export interface LegendEntry {
  label: string;
  color: string;
  dash?: string;
}

export interface FigureSpec {
  title: string;
  xLabel: string;
  yLabel: string;
  xLog?: boolean;
  /** Tick labels for a categorical x axis (values 0..n-1); numeric ticks when absent. */
  xCategories?: string[];
  /** Pin the y range (a CDF: [0, 1]); from the data, the references and zero otherwise. */
  yDomain?: [number, number];
  series: Series[];
  refs: RefLine[];
  legend: LegendEntry[];
  /** Classes and data attributes of the figure element, e.g. { kind: 'percentile', metric: '...' }. */
  data: Record<string, string>;
}

const W = 480;
const H = 340;
const M = { left: 70, right: 20, top: 36, bottom: 54 };
/** The legend's width: room for its longest label at about 6.6 px per character of 12 px Helvetica. */
const legendWidth = (entries: readonly LegendEntry[]): number =>
  Math.max(320, 40 + Math.ceil(6.6 * Math.max(0, ...entries.map((e) => e.label.length))));
const fmt = (x: number): string => String(Math.round(x * 100) / 100);

export function renderFigure(f: FigureSpec): string {
  const legendW = legendWidth(f.legend);
  const xs = [
    ...f.series.flatMap((s) => s.points.map((p) => p.x)),
    ...f.refs.filter((r) => r.axis === 'x').map((r) => r.value),
  ];
  const ys = [
    ...f.series.flatMap((s) => [...s.points.map((p) => p.y), ...(s.band ?? []).flatMap((b) => [b.lo, b.hi])]),
    ...f.refs.filter((r) => r.axis === 'y').map((r) => r.value),
  ].filter((y): y is number => y !== null);
  const xDomain = domain(xs, f.xLog === true);
  const x = (f.xLog === true ? scaleLog() : scaleLinear()).domain(xDomain).range([M.left, W - M.right]);
  if (f.xCategories === undefined) x.nice();
  const y = scaleLinear()
    .domain(f.yDomain ?? domain([0, ...ys], false))
    .range([H - M.bottom, M.top]);
  if (f.yDomain === undefined) y.nice();
  const px = (v: number): string => fmt(x(v) as number);
  const py = (v: number): string => fmt(y(v));
  const out: string[] = [];
  const attrs = Object.entries(f.data)
    .map(([k, v]) => ` data-${k}="${esc(v)}"`)
    .join('');
  out.push(
    `<svg class="figure" xmlns="http://www.w3.org/2000/svg" width="${W + legendW}" height="${H}" viewBox="0 0 ${W + legendW} ${H}" font-family="Helvetica, Arial, sans-serif" font-size="12"${attrs}>`,
    `<rect width="${W + legendW}" height="${H}" fill="#fff"/>`,
    `<text x="${M.left}" y="20" font-size="14" font-weight="bold">${esc(f.title)}</text>`,
  );
  // Axes with their ticks and grid lines.
  const xTicks = f.xCategories?.map((_, i) => i) ?? x.ticks(f.xLog === true ? 5 : 8);
  const xText =
    f.xCategories === undefined ? x.tickFormat(f.xLog === true ? 5 : 8) : (v: number) => f.xCategories?.[v] ?? '';
  for (const t of xTicks)
    out.push(
      `<line x1="${px(t)}" x2="${px(t)}" y1="${M.top}" y2="${H - M.bottom}" stroke="#eee"/>`,
      `<text x="${px(t)}" y="${H - M.bottom + 16}" text-anchor="middle" class="x-tick">${esc(xText(t))}</text>`,
    );
  for (const t of y.ticks(6))
    out.push(
      `<line x1="${M.left}" x2="${W - M.right}" y1="${py(t)}" y2="${py(t)}" stroke="#eee"/>`,
      `<text x="${M.left - 6}" y="${py(t)}" dy="4" text-anchor="end">${esc(y.tickFormat(6)(t))}</text>`,
    );
  out.push(
    `<rect x="${M.left}" y="${M.top}" width="${W - M.left - M.right}" height="${H - M.top - M.bottom}" fill="none" stroke="#999"/>`,
    `<text x="${(M.left + W - M.right) / 2}" y="${H - 12}" text-anchor="middle">${esc(f.xLabel)}</text>`,
    `<text transform="translate(16 ${(M.top + H - M.bottom) / 2}) rotate(-90)" text-anchor="middle">${esc(f.yLabel)}</text>`,
  );
  for (const s of f.series) out.push(seriesSvg(s, px, py));
  // Labels of vertical lines stack down from the top, so that two crossings close together stay legible.
  f.refs.forEach((r) => out.push(refSvg(r, px, py, f.refs.filter((q) => q.axis === 'x').indexOf(r))));
  out.push(legendSvg(f.legend));
  out.push('</svg>');
  return out.join('\n');
}

/** The data's extent, widened when it is a single value; a log axis keeps above zero. */
function domain(values: number[], log: boolean): [number, number] {
  const kept = log ? values.filter((v) => v > 0) : values;
  if (kept.length === 0) return log ? [1, 10] : [0, 1];
  const lo = Math.min(...kept);
  const hi = Math.max(...kept);
  if (lo === hi) return log ? [lo / 2, hi * 2] : [lo - 1, hi + 1];
  return [lo, hi];
}

function seriesSvg(s: Series, px: (v: number) => string, py: (v: number) => string): string {
  const parts: string[] = [`<g class="series" data-label="${esc(s.label)}">`];
  const band = s.band;
  if (band !== undefined) {
    const kept = s.points
      .map((p, i) => ({ x: p.x, lo: band[i]?.lo ?? null, hi: band[i]?.hi ?? null }))
      .filter((b): b is { x: number; lo: number; hi: number } => b.lo !== null && b.hi !== null);
    if (kept.length > 0) {
      const upper = kept.map((b) => `${px(b.x)},${py(b.hi)}`);
      const lower = [...kept].reverse().map((b) => `${px(b.x)},${py(b.lo)}`);
      parts.push(
        `<path class="band" d="M${[...upper, ...lower].join('L')}Z" fill="${s.color}" fill-opacity="0.18" stroke="none"/>`,
      );
    }
  }
  const kept = s.points.filter((p): p is { x: number; y: number } => p.y !== null);
  if (kept.length > 0) {
    const path = s.step
      ? kept.map((p, i) => (i === 0 ? `M${px(p.x)},${py(p.y)}` : `H${px(p.x)}V${py(p.y)}`)).join('')
      : `M${kept.map((p) => `${px(p.x)},${py(p.y)}`).join('L')}`;
    parts.push(
      `<path class="line" d="${path}" fill="none" stroke="${s.color}" stroke-width="2"${s.dash === undefined ? '' : ` stroke-dasharray="${s.dash}"`}/>`,
    );
    if (s.step !== true)
      for (const p of kept)
        parts.push(`<circle cx="${px(p.x)}" cy="${py(p.y)}" r="3" fill="${s.color}" data-x="${p.x}" data-y="${p.y}"/>`);
  }
  parts.push('</g>');
  return parts.join('');
}

function refSvg(r: RefLine, px: (v: number) => string, py: (v: number) => string, stack: number): string {
  const line =
    r.axis === 'y'
      ? `<line x1="${M.left}" x2="${W - M.right}" y1="${py(r.value)}" y2="${py(r.value)}"`
      : `<line x1="${px(r.value)}" x2="${px(r.value)}" y1="${M.top}" y2="${H - M.bottom}"`;
  const label =
    r.axis === 'y'
      ? `<text x="${M.left + 6}" y="${py(r.value)}" dy="-5" fill="${r.color}">${esc(r.label)}</text>`
      : // Right of the line in the plot's left half, left of it in the right half: inside the plot.
        `<text x="${px(r.value)}" y="${M.top + 12 + 14 * Math.max(0, stack)}" ${Number(px(r.value)) > (M.left + W - M.right) / 2 ? 'dx="-4" text-anchor="end"' : 'dx="4"'} fill="${r.color}">${esc(r.tag ?? r.label)}</text>`;
  return `<g class="${esc(r.kind)}" data-${r.axis}="${r.value}">${line} stroke="${r.color}" stroke-width="1.5" stroke-dasharray="6 4"/>${label}</g>`;
}

function legendSvg(entries: readonly LegendEntry[]): string {
  const out = [`<g class="legend" transform="translate(${W + 8} ${M.top})">`];
  entries.forEach((e, i) => {
    const y = i * 18;
    out.push(
      `<line x1="0" x2="24" y1="${y}" y2="${y}" stroke="${e.color}" stroke-width="2"${e.dash === undefined ? '' : ` stroke-dasharray="${e.dash}"`}/>`,
      `<text x="30" y="${y}" dy="4">${esc(e.label)}</text>`,
    );
  });
  out.push('</g>');
  return out.join('');
}
