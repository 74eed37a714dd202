import { isMarked, type Sequence } from './sequence.ts';
import { esc, renderSequenceSvg } from './sequence-svg.ts';

const fmt = (x: number): string => (Math.round(x * 1000) / 1000).toString();
/** Mermaid colours no single arrow: the messages on the marked sample's critical path carry this. */
const PATH_MARK = '★';

/**
 * Mermaid `sequenceDiagram` text for Markdown (GitHub, GitLab render it). Mermaid cannot draw to
 * scale, so every arrow carries its send time; participants get short ids because user names may
 * hold `-`, which Mermaid would read as part of an arrow.
 */
export function renderMermaid(seq: Sequence): string {
  const id = new Map(seq.nodes.map((n, i) => [n.name, `p${i}`]));
  const text = (s: string): string => s.replace(/[;#:\n]/g, ' ');
  const lines = [
    'sequenceDiagram',
    `    %% ${text(seq.scenario)}, variant ${text(seq.variant)}, seed ${String(seq.seed)}, replication ${seq.run}; times in ms`,
  ];
  for (const system of new Set(seq.nodes.map((n) => n.system))) {
    lines.push(`    box transparent MC system ${text(system)}`);
    for (const n of seq.nodes.filter((x) => x.system === system))
      lines.push(`        participant ${id.get(n.name) ?? ''} as ${text(n.name)}`);
    lines.push('    end');
  }
  // Messages and interval ends in time order, so a timeout note sits where it happened.
  const items: { t: number; line: string }[] = seq.messages.map((m) => {
    const from = id.get(m.from) ?? '';
    const to = id.get(m.to) ?? '';
    if (m.arrive === null) return { t: m.t, line: `    ${from}-x${to}: ${m.type} at ${fmt(m.t)} LOST` };
    const retx = m.retransmissions > 0 ? ` (${m.retransmissions} retransmissions)` : '';
    const mark = m.onPath ? `${PATH_MARK} ` : '';
    return { t: m.t, line: `    ${from}->>${to}: ${mark}${m.type} at ${fmt(m.t)}, arrives ${fmt(m.arrive)}${retx}` };
  });
  const first = seq.nodes[0]?.name ?? '';
  const last = seq.nodes[seq.nodes.length - 1]?.name ?? '';
  // Each measured interval is a note where it ends: what it measured, from when, how it ended.
  for (const iv of seq.intervals) {
    const marked = isMarked(seq, iv);
    const span = `${iv.metric} ${fmt(iv.end - iv.start)} ms (${fmt(iv.start)} to ${fmt(iv.end)})${marked ? `, its critical path marked ${PATH_MARK}` : ''}`;
    items.push({
      t: iv.end,
      line: `    Note over ${id.get(first) ?? ''},${id.get(last) ?? ''}: ${iv.outcome === 'success' ? span : `${iv.outcome.toUpperCase()} ${span}`}`,
    });
  }
  items.sort((a, b) => a.t - b.t);
  lines.push(...items.map((i) => i.line));
  if (seq.omitted > 0) lines.push(`    %% ${seq.omitted} later messages not drawn`);
  return `${lines.join('\n')}\n`;
}

/** A self-contained page around the SVG, with the measured intervals as a table. */
export function renderSequenceHtml(seq: Sequence): string {
  const rows = seq.intervals
    .map(
      (i) =>
        `<tr class="${i.outcome === 'success' ? '' : 'bad'}"><td>${esc(i.metric)}</td><td>${fmt(i.start)}</td><td>${fmt(i.end)}</td><td>${fmt(i.end - i.start)}</td><td>${esc(i.outcome)}</td></tr>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>${esc(seq.scenario)} · ${esc(seq.variant)} · sequence chart</title>
<style>
body { font-family: Helvetica, Arial, sans-serif; margin: 16px; color: #222; }
table { border-collapse: collapse; margin: 12px 0; font-size: 13px; }
td, th { border: 1px solid #ccc; padding: 3px 8px; text-align: right; }
td:first-child, th:first-child { text-align: left; }
tr.bad td { color: #c62828; }
.legend { font-size: 13px; color: #444; }
</style></head><body>
<h1>${esc(seq.scenario)}</h1>
<p class="legend">Variant <b>${esc(seq.variant)}</b>, seed ${esc(String(seq.seed))}, replication ${seq.run}. Time runs down to scale (ms);
an arrow's slope is its transit time. Dashed red arrows ending in a cross were lost; orange arrows needed retransmissions;
bars on the right are the measured intervals (green success, red otherwise). Arrows on a yellow band are the critical
path of the slowest successful interval (outlined in yellow): the chain of messages its time was spent on. Hover an arrow for its details.</p>
${renderSequenceSvg(seq)}
<h2>Measured intervals (ms)</h2>
<table><tr><th>metric</th><th>start</th><th>end</th><th>duration</th><th>outcome</th></tr>
${rows}
</table>
</body></html>
`;
}
