/**
 * The lookup's penalty split into its parts, read from the study's own result (out/result.json):
 * at each swept inter-system latency, the paired difference kms-lookup − kms-uri-in-redirection of
 * private_call.setup by category of the critical path, and the latency at which the interconnect's
 * part passes half of it. Between two sweep points each part is taken as linear in the latency
 * (the sweep is constant per point), so the crossing is where the interconnect part meets the rest.
 */
import { readFileSync } from 'node:fs';
import type { RunResult } from '../../src/experiment/result.ts';

const METRIC = 'private_call.setup';
const A = 'kms-uri-in-redirection';
const B = 'kms-lookup';
const INTERCONNECT = 'link.interconnect';

const result = JSON.parse(readFileSync(process.argv[2] as string, 'utf8')) as RunResult;
const sweep = result.sweeps?.[0];
if (sweep === undefined) throw new Error('expected the study swept');
const axis = sweep.axes[0];
const rows = (result.points ?? []).map((p) => {
  const c = p.comparisons.find((x) => x.metric === METRIC && x.a === A && x.b === B);
  if (c === undefined) throw new Error(`no comparison ${B} − ${A} at point ${p.at.join(',')}`);
  const ms = Number.parseFloat(String(axis?.values[p.at[0] as number]?.[0]));
  const parts = Object.fromEntries(Object.entries(c.breakdown).map(([k, d]) => [k, d.mean_diff]));
  return { ms, total: c.mean_diff, parts };
});
const categories = [...new Set(rows.flatMap((r) => Object.keys(r.parts)))].filter((k) =>
  rows.some((r) => r.parts[k] !== 0),
);
const f = (x: number): string => x.toFixed(1);
console.log(`${METRIC}: ${B} − ${A}, paired mean difference by category (ms)`);
console.log(['latency', 'total', ...categories, 'interconnect share'].join(' | '));
for (const r of rows)
  console.log(
    [
      `${r.ms}ms`,
      f(r.total),
      ...categories.map((k) => f(r.parts[k] ?? 0)),
      `${((100 * (r.parts[INTERCONNECT] ?? 0)) / r.total).toFixed(0)}%`,
    ].join(' | '),
  );
const over = (r: (typeof rows)[number]): number => 2 * (r.parts[INTERCONNECT] ?? 0) - r.total;
const k = rows.findIndex((r) => over(r) > 0);
if (k < 0) console.log('the interconnect part stays under half of the penalty over the whole sweep');
else if (k === 0)
  console.log(`the interconnect part is over half of the penalty from the first point, ${rows[0]?.ms} ms`);
else {
  const [lo, hi] = [rows[k - 1], rows[k]] as [(typeof rows)[number], (typeof rows)[number]];
  const at = lo.ms + ((hi.ms - lo.ms) * -over(lo)) / (over(hi) - over(lo));
  console.log(
    `the interconnect part passes half of the penalty at ${at.toFixed(1)} ms of one-way inter-system latency (between ${lo.ms} and ${hi.ms} ms)`,
  );
}
