import { isMarked, type SeqMessage, type Sequence } from './sequence.ts';

/**
 * A sequence chart drawn to scale, as OMNeT++'s sequence chart does: time runs down at a constant
 * number of pixels per ms, so an arrow's slope is its transit time and a gap is a processing or
 * waiting time. Lifelines are grouped under their MC system, as in the 3GPP figures.
 */

const COL = 132;
const LEFT = 78;
const TOP = 96;
const RIGHT_PAD = 24;
const BAR = 14;
const SYSTEM_FILL = ['#eef3fb', '#f4f0fa', '#eef8f0', '#fbf3ea', '#f2f2f2'];

export const esc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const fmt = (x: number): string => (Math.round(x * 1000) / 1000).toString();
const px = (x: number): string => (Math.round(x * 10) / 10).toString();

/** A tick step of 1, 2 or 5 times a power of ten giving about `count` ticks over `span`. */
export function tickStep(span: number, count: number): number {
  const raw = span / Math.max(1, count);
  const p = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((k) => k * p).find((s) => s >= raw) ?? 10 * p;
}

/** A stretch of time drawn to scale; between two stretches lies an idle gap drawn as a break. */
export interface Stretch {
  from: number;
  to: number;
  /** y of `from`. */
  y: number;
}

export interface ChartLayout {
  width: number;
  height: number;
  pxPerMs: number;
  stretches: Stretch[];
  x: (node: string) => number;
  y: (t: number) => number;
}

/** Idle time longer than this (no message in flight) is cut out, as OMNeT++ compresses idle gaps. */
export const IDLE_CUT_MS = 1000;
const BREAK_PX = 44;

/**
 * Stretches of activity around sends and arrivals. Gaps over IDLE_CUT_MS between them (a user
 * thinking, a call held for seconds, a message stuck in SIP retransmissions) become fixed-height
 * breaks, so a migration 5 s after the call set-up does not leave a page of empty lifelines; an
 * arrow that spans a break crosses it.
 */
export function stretches(seq: Sequence): { from: number; to: number }[] {
  const spans = [
    ...seq.messages.flatMap((m) => [m.t, m.arrive ?? m.t]),
    ...seq.intervals.flatMap((i) => [i.start, i.end]),
  ].sort((a, b) => a - b);
  // A long quiet lead-in (a call placed seconds into the run) is cut like any other idle gap.
  const out: { from: number; to: number }[] = (spans[0] ?? 0) > IDLE_CUT_MS ? [{ from: 0, to: 0 }] : [];
  for (const t of spans) {
    const last = out[out.length - 1];
    if (last !== undefined && t - last.to <= IDLE_CUT_MS) last.to = Math.max(last.to, t);
    else out.push({ from: out.length === 0 ? 0 : t, to: t });
  }
  if (out.length === 0) out.push({ from: 0, to: 1 });
  return out;
}

/** Enough height that arrows rarely touch (about 30 px per message), at one scale in every stretch. */
export function layout(seq: Sequence): ChartLayout {
  const parts = stretches(seq);
  const busy = Math.max(
    1,
    parts.reduce((s, p) => s + (p.to - p.from), 0),
  );
  const target = Math.min(6000, Math.max(500, seq.messages.length * 30));
  const pxPerMs = target / busy;
  const placed: Stretch[] = [];
  let y = TOP;
  for (const p of parts) {
    if (placed.length > 0) y += BREAK_PX;
    placed.push({ ...p, y });
    y += (p.to - p.from) * pxPerMs;
  }
  const index = new Map(seq.nodes.map((n, i) => [n.name, i]));
  const metricCols = new Set(seq.intervals.map((i) => i.metric)).size;
  const yOf = (t: number): number => {
    for (let i = 0; i < placed.length; i++) {
      const s = placed[i] as Stretch;
      if (t <= s.to || i === placed.length - 1) return s.y + (Math.max(t, s.from) - s.from) * pxPerMs;
      const next = placed[i + 1] as Stretch;
      // Inside a break: spread over it, so an interval crossing a gap still has a length.
      if (t < next.from) return s.y + (s.to - s.from) * pxPerMs + ((t - s.to) / (next.from - s.to)) * BREAK_PX;
    }
    return TOP;
  };
  return {
    width: LEFT + seq.nodes.length * COL + metricCols * (BAR + 18) + RIGHT_PAD + 150,
    height: y + 60,
    pxPerMs,
    stretches: placed,
    x: (node) => LEFT + ((index.get(node) ?? 0) + 0.5) * COL,
    y: yOf,
  };
}

function header(seq: Sequence, l: ChartLayout): string[] {
  const out: string[] = [];
  const systems = [...new Set(seq.nodes.map((n) => n.system))];
  systems.forEach((s, i) => {
    const cols = seq.nodes.map((n, j) => [n, j] as const).filter(([n]) => n.system === s);
    const first = cols[0]?.[1] ?? 0;
    const x0 = LEFT + first * COL + 3;
    const w = cols.length * COL - 6;
    out.push(
      `<rect class="system" x="${px(x0)}" y="8" width="${px(w)}" height="${px(l.height - 16)}" rx="6" fill="${SYSTEM_FILL[i % SYSTEM_FILL.length]}"/>`,
    );
    out.push(
      `<text class="system-name" x="${px(x0 + w / 2)}" y="28" text-anchor="middle" font-weight="bold">MC system ${esc(s)}</text>`,
    );
  });
  for (const n of seq.nodes) {
    const x = l.x(n.name);
    out.push(
      `<line class="lifeline" x1="${px(x)}" y1="${TOP - 20}" x2="${px(x)}" y2="${px(l.height - 24)}" stroke="#9aa3ad" stroke-dasharray="4 4"/>`,
    );
    out.push(
      `<rect x="${px(x - COL / 2 + 10)}" y="40" width="${COL - 20}" height="30" rx="4" fill="#fff" stroke="#4a5968"/>`,
    );
    out.push(`<text class="node" x="${px(x)}" y="60" text-anchor="middle">${esc(n.name)}</text>`);
  }
  return out;
}

function axis(l: ChartLayout): string[] {
  const busy = l.stretches.reduce((sum, p) => sum + (p.to - p.from), 0);
  const step = tickStep(busy, (l.height - TOP) / 60);
  const out = [`<text x="${LEFT - 10}" y="${TOP - 24}" text-anchor="end" font-size="11" fill="#555">time (ms)</text>`];
  l.stretches.forEach((s, i) => {
    for (let t = Math.ceil(s.from / step) * step; t <= s.to + 1e-9; t += step) {
      const y = l.y(t);
      out.push(
        `<line class="grid" x1="${LEFT - 6}" y1="${px(y)}" x2="${px(l.width - RIGHT_PAD)}" y2="${px(y)}" stroke="#000" stroke-opacity="0.06"/>`,
      );
      out.push(
        `<text class="tick" x="${LEFT - 10}" y="${px(y + 4)}" text-anchor="end" font-size="11" fill="#555">${fmt(t)}</text>`,
      );
    }
    const next = l.stretches[i + 1];
    if (next === undefined) return;
    const yb = s.y + (s.to - s.from) * l.pxPerMs + BREAK_PX / 2;
    const zig = Array.from(
      { length: Math.ceil((l.width - RIGHT_PAD - 8) / 8) },
      (_, k) => `l8,${k % 2 === 0 ? -5 : 5}`,
    ).join(' ');
    out.push(
      `<g class="gap" data-from="${fmt(s.to)}" data-to="${fmt(next.from)}"><rect x="0" y="${px(yb - 12)}" width="${px(l.width)}" height="24" fill="#fff" fill-opacity="0.85"/>` +
        `<path d="M8,${px(yb)} ${zig}" fill="none" stroke="#9aa3ad"/>` +
        `<text x="${LEFT + 8}" y="${px(yb - 8)}" font-size="11" fill="#555" font-style="italic">${fmt(next.from - s.to)} ms without signalling (not to scale)</text></g>`,
    );
  });
  return out;
}

const PATH_COLOR = '#ffb300';

function arrow(m: SeqMessage, i: number, l: ChartLayout): string {
  const x1 = l.x(m.from);
  const x2 = l.x(m.to);
  const y1 = l.y(m.t);
  const lost = m.arrive === null;
  // A lost message stops half-way with a cross, like a dropped packet in OMNeT++.
  const xe = lost ? (x1 + x2) / 2 : x2;
  const ye = lost ? y1 + 6 : l.y(m.arrive as number);
  const color = lost ? '#c62828' : m.retransmissions > 0 ? '#b26a00' : '#1f3b57';
  const dir = x2 >= x1 ? 1 : -1;
  const lx = (x1 + xe) / 2;
  const ly = (y1 + ye) / 2 - 4;
  const note = lost ? ' LOST' : m.retransmissions > 0 ? ` (${m.retransmissions} retx)` : '';
  const title = `${m.type} ${m.from} → ${m.to}: sent ${fmt(m.t)} ms, ${lost ? 'lost' : `arrived ${fmt(m.arrive as number)} ms`}, ${m.size} bytes${m.ids.call ? `, call ${m.ids.call}` : ''}${m.ids.proc ? `, ${m.ids.proc}` : ''}`;
  const parts = [
    `<g class="msg${lost ? ' lost' : ''}${m.onPath ? ' path' : ''}" data-index="${i}" data-type="${esc(m.type)}" data-from="${esc(m.from)}" data-to="${esc(m.to)}" data-t="${fmt(m.t)}"${lost ? '' : ` data-arrive="${fmt(m.arrive as number)}"`}>`,
    `<title>${esc(title)}${m.onPath ? ', on the critical path' : ''}</title>`,
    // The critical path of the marked sample: a wide band under the arrow, its colour kept.
    m.onPath
      ? `<line class="path-mark" x1="${px(x1)}" y1="${px(y1)}" x2="${px(xe)}" y2="${px(ye)}" stroke="${PATH_COLOR}" stroke-width="7" stroke-opacity="0.5" stroke-linecap="round"/>`
      : '',
    `<line x1="${px(x1)}" y1="${px(y1)}" x2="${px(xe)}" y2="${px(ye)}" stroke="${color}" stroke-width="1.4"${lost ? ' stroke-dasharray="5 3"' : ` marker-end="url(#head-${m.retransmissions > 0 ? 'retx' : 'ok'})"`}/>`,
    `<circle cx="${px(x1)}" cy="${px(y1)}" r="2" fill="${color}"/>`,
  ];
  if (lost)
    parts.push(
      `<path d="M${px(xe - 5)},${px(ye - 5)} l10,10 M${px(xe - 5)},${px(ye + 5)} l10,-10" stroke="#c62828" stroke-width="2"/>`,
    );
  parts.push(
    `<text class="label" x="${px(lx)}" y="${px(ly)}" text-anchor="middle" font-size="11" fill="${color}" transform="rotate(${px((Math.atan2(ye - y1, xe - x1 || dir) * 180) / Math.PI + (dir < 0 ? 180 : 0))} ${px(lx)} ${px(ly + 4)})">${esc(m.type)}${note}<tspan fill="#777" font-size="9"> ${fmt(m.t)}</tspan></text>`,
    '</g>',
  );
  return parts.join('');
}

/** Measured intervals as bars right of the lifelines, one column per metric; timeouts in red across the chart. */
function intervals(seq: Sequence, l: ChartLayout): string[] {
  const metrics = [...new Set(seq.intervals.map((i) => i.metric))];
  const x0 = LEFT + seq.nodes.length * COL + 10;
  const out: string[] = [];
  seq.intervals.forEach((iv) => {
    const x = x0 + metrics.indexOf(iv.metric) * (BAR + 18);
    const ok = iv.outcome === 'success';
    const color = ok ? '#2e7d32' : '#c62828';
    const y1 = l.y(iv.start);
    const y2 = Math.max(l.y(iv.end), y1 + 2);
    const marked = isMarked(seq, iv);
    out.push(
      `<g class="interval${marked ? ' path' : ''}" data-metric="${esc(iv.metric)}" data-outcome="${esc(iv.outcome)}" data-start="${fmt(iv.start)}" data-end="${fmt(iv.end)}"><title>${esc(`${iv.metric}: ${fmt(iv.end - iv.start)} ms (${iv.outcome})`)}</title>` +
        `<rect x="${px(x)}" y="${px(y1)}" width="${BAR}" height="${px(y2 - y1)}" fill="${color}" fill-opacity="0.25" stroke="${marked ? PATH_COLOR : color}"${marked ? ' stroke-width="3"' : ''}/>` +
        `<text x="${px(x + BAR + 3)}" y="${px(y1 + 2)}" font-size="10" fill="${color}" transform="rotate(90 ${px(x + BAR + 3)} ${px(y1 + 2)})">${esc(iv.metric)} ${fmt(iv.end - iv.start)} ms${ok ? '' : ` ${esc(iv.outcome)}`}</text></g>`,
    );
    if (iv.outcome === 'timeout') {
      out.push(
        `<g class="timeout" data-metric="${esc(iv.metric)}" data-t="${fmt(iv.end)}"><line x1="${LEFT}" y1="${px(y2)}" x2="${px(x + BAR)}" y2="${px(y2)}" stroke="#c62828" stroke-dasharray="8 4"/>` +
          `<text x="${LEFT + 4}" y="${px(y2 - 4)}" font-size="11" fill="#c62828" font-weight="bold">timeout: ${esc(iv.metric)} at ${fmt(iv.end)} ms</text></g>`,
      );
    }
  });
  return out;
}

export function renderSequenceSvg(seq: Sequence): string {
  const l = layout(seq);
  const title = `${seq.scenario} · variant ${seq.variant} · seed ${String(seq.seed)} · replication ${seq.run}${seq.omitted > 0 ? ` · first ${seq.messages.length} messages (${seq.omitted} more not drawn)` : ''}`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${Math.ceil(l.width)}" height="${Math.ceil(l.height)}" viewBox="0 0 ${Math.ceil(l.width)} ${Math.ceil(l.height)}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
    `<title>${esc(title)}</title>`,
    `<defs>${[
      ['ok', '#1f3b57'],
      ['retx', '#b26a00'],
    ]
      .map(
        ([id, c]) =>
          `<marker id="head-${id}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="${c}"/></marker>`,
      )
      .join('')}</defs>`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    ...header(seq, l),
    ...axis(l),
    ...seq.messages.map((m, i) => arrow(m, i, l)),
    ...intervals(seq, l),
    `<text x="${LEFT}" y="${px(l.height - 8)}" font-size="11" fill="#555">${esc(title)}</text>`,
    '</svg>',
    '',
  ].join('\n');
}
