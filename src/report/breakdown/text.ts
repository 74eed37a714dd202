import { Chalk, type ChalkInstance } from 'chalk';
import type { MetricSummary, RunResult } from '../../experiment/result.ts';
import { blocks, leadColumns, line } from '../csv.ts';
import { pointLabel } from '../figures.ts';

/**
 * `--breakdown`: where the time of each measured interval went (MetricSummary.breakdown, .steps)
 * and, for `compare`, how each part moved between two variants (Comparison.breakdown). As text
 * for people, and as tidy CSV: one row per (scenario, point, variant, metric, part).
 */

const ms = (x: number): string => x.toFixed(3);
const signed = (x: number): string => `${x > 0 ? '+' : ''}${ms(x)}`;
const BAR = 24;

/** One metric's parts, each with its mean, share and a bar; the parts add up to the mean. */
function partLines(title: string, parts: Record<string, number>, m: MetricSummary, c: ChalkInstance): string[] {
  const width = Math.max(...Object.keys(parts).map((k) => k.length), 8);
  return [
    `    ${c.dim(title)}`,
    ...Object.entries(parts).map(([name, x]) => {
      const share = m.mean > 0 ? x / m.mean : 0;
      const bar = '#'.repeat(Math.round(share * BAR));
      return `      ${name.padEnd(width)}  ${ms(x).padStart(10)}  ${(100 * share).toFixed(1).padStart(5)}%  ${c.cyan(bar)}`;
    }),
  ];
}

/** After the table of `run`: every metric's mean split by category, then by procedure step. */
export function renderBreakdownText(result: RunResult, opts: { color: boolean }): string {
  const c = new Chalk({ level: opts.color ? 1 : 0 });
  const out = [c.bold(`${result.scenario.name}: where the time goes (mean ms per sample, along its critical path)`)];
  // A block is the whole scenario, or a sweep point (labelled by its parameters).
  for (const b of blocks([result], (g) => g.variants)) {
    const label = pointLabel(b.params);
    for (const v of b.items) {
      out.push('', c.cyan(`variant ${v.name}`) + (label ? c.dim(`  at ${label}`) : ''));
      for (const [name, m] of Object.entries(v.metrics)) {
        out.push(`  ${name}: mean ${ms(m.mean)} ms over ${m.n} samples`);
        out.push(...partLines('by category', m.breakdown, m, c), ...partLines('by procedure step', m.steps, m, c));
      }
    }
  }
  return out.join('\n') + '\n';
}

/** After the table of `compare`: each comparison's mean difference split by category, with its paired interval. */
export function renderComparisonBreakdownText(result: RunResult, opts: { color: boolean }): string {
  const c = new Chalk({ level: opts.color ? 1 : 0 });
  const out = [c.bold(`${result.scenario.name}: where the difference lies (paired, by category)`)];
  for (const b of blocks([result], (g) => g.comparisons)) {
    const label = pointLabel(b.params);
    for (const x of b.items) {
      out.push('', `${x.metric}: ${x.b} - ${x.a} = ${signed(x.mean_diff)} ms` + (label ? c.dim(`  at ${label}`) : ''));
      const width = Math.max(...Object.keys(x.breakdown).map((k) => k.length), 8);
      // A category equal in every pair of samples says nothing about the difference.
      const moved = Object.entries(x.breakdown).filter(
        ([, d]) => !(d.mean_diff === 0 && d.ci95 !== null && d.ci95[0] === 0 && d.ci95[1] === 0),
      );
      if (moved.length === 0) {
        out.push(c.dim('  every category equal in every pair of samples'));
        continue;
      }
      out.push(c.dim(`  ${'category'.padEnd(width)}  ${'mean diff'.padStart(10)}  ci95 (paired)`));
      for (const [name, d] of moved) {
        const ci = d.ci95 === null ? '-' : `[${ms(d.ci95[0])}, ${ms(d.ci95[1])}]`;
        out.push(`  ${name.padEnd(width)}  ${signed(d.mean_diff).padStart(10)}  ${ci}`);
      }
    }
  }
  return out.join('\n') + '\n';
}

/** `run|sweep --breakdown --format csv`: a row per part (`category` or `step`) of every metric's mean. */
export function renderBreakdownCsv(results: readonly RunResult[]): string {
  const { head, lead } = leadColumns(results);
  let out = line([...head, 'variant', 'metric', 'mean', 'part', 'name', 'mean_ms', 'share']);
  for (const b of blocks(results, (g) => g.variants))
    for (const v of b.items)
      for (const [metric, m] of Object.entries(v.metrics))
        for (const [part, parts] of [
          ['category', m.breakdown],
          ['step', m.steps],
        ] as const)
          for (const [name, x] of Object.entries(parts))
            out += line([...lead(b), v.name, metric, m.mean, part, name, x, m.mean > 0 ? x / m.mean : 0]);
  return out;
}

/** `compare --breakdown --format csv`: a row per category of every comparison. */
export function renderComparisonBreakdownCsv(results: readonly RunResult[]): string {
  const { head, lead } = leadColumns(results);
  let out = line([...head, 'a', 'b', 'metric', 'mean_diff', 'category', 'category_mean_diff', 'ci95_lo', 'ci95_hi']);
  for (const b of blocks(results, (g) => g.comparisons))
    for (const x of b.items)
      for (const [name, d] of Object.entries(x.breakdown))
        out += line([...lead(b), x.a, x.b, x.metric, x.mean_diff, name, d.mean_diff, d.ci95?.[0], d.ci95?.[1]]);
  return out;
}
