import { z } from 'zod';
import { formatDuration, parseDuration } from '../kernel/index.ts';
import { Duration, durationProblem } from './units.ts';

/** More points than this is almost certainly a typo in a range (a step in us instead of ms). */
export const MAX_SWEEP_POINTS = 10_000;

const isDuration = (v: unknown): v is string => typeof v === 'string' && durationProblem(v) === undefined;

/**
 * `{from, to, step}`: all three durations ("10ms") or all three numbers. The end is included
 * when the steps land on it exactly.
 */
export const SweepRangeSchema = z
  .strictObject({
    from: z.union([Duration, z.number()]),
    to: z.union([Duration, z.number()]),
    step: z.union([Duration, z.number()]),
  })
  .check((ctx) => {
    const { from, to, step } = ctx.value;
    const kinds = [from, to, step].map((v) => (typeof v === 'number' ? 'number' : 'duration'));
    if (new Set(kinds).size > 1) {
      ctx.issues.push({
        code: 'custom',
        input: ctx.value,
        message: 'from, to and step must be all durations ("10ms") or all numbers',
      });
      return;
    }
    const [a, b, s] = [from, to, step].map((v) => (typeof v === 'number' ? v : parseDuration(v))) as [
      number,
      number,
      number,
    ];
    if (!(s > 0))
      ctx.issues.push({ code: 'custom', input: ctx.value, message: `step must be positive, found ${String(step)}` });
    else if (b < a)
      ctx.issues.push({
        code: 'custom',
        input: ctx.value,
        message: `to (${String(to)}) must not be below from (${String(from)})`,
      });
    else if ((b - a) / s + 1 > MAX_SWEEP_POINTS)
      ctx.issues.push({
        code: 'custom',
        input: ctx.value,
        message: `the range has more than ${MAX_SWEEP_POINTS} points`,
      });
  });

export const SweepSchema = z
  .record(
    z.string(),
    z.union([z.array(z.unknown()).min(1), SweepRangeSchema], {
      error: () => 'expected a list of values or a range {from, to, step}',
    }),
  )
  .describe('parameter path -> list of values or {from, to, step}; the points are the cartesian product');

export type SweepInput = z.infer<typeof SweepSchema>;
export type SweepRange = z.infer<typeof SweepRangeSchema>;

/** The values of one sweep parameter, in order. Durations come back as strings with a unit. */
export function sweepValues(spec: unknown[] | SweepRange): unknown[] {
  if (Array.isArray(spec)) return spec;
  const { from, to, step } = spec;
  const durations = isDuration(from);
  const [a, b, s] = [from, to, step].map((v) => (typeof v === 'number' ? v : parseDuration(v))) as [
    number,
    number,
    number,
  ];
  const out: unknown[] = [];
  // Index-based so that float steps (0.1) do not accumulate rounding error.
  for (let i = 0; ; i++) {
    const x = a + i * s;
    if (x > b + Math.abs(s) * 1e-9) break;
    out.push(durations ? formatDuration(Math.round(x)) : Number(x.toPrecision(12)));
  }
  return out;
}

/** Cartesian product of the sweep, first parameter varying slowest; [] without a sweep. */
export function sweepPoints(sweep: SweepInput | undefined): Record<string, unknown>[] {
  const entries = Object.entries(sweep ?? {});
  if (entries.length === 0) return [];
  let points: Record<string, unknown>[] = [{}];
  for (const [path, spec] of entries) {
    const values = sweepValues(spec);
    points = points.flatMap((p) => values.map((v) => ({ ...p, [path]: v })));
    if (points.length > MAX_SWEEP_POINTS) throw new RangeError(`the sweep has more than ${MAX_SWEEP_POINTS} points`);
  }
  return points;
}
