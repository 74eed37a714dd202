import { z } from 'zod';
import { formatDuration, parseDuration } from '../kernel/index.ts';
import { parseRate, RATE } from './format/quantities.ts';
import { Duration, durationProblem, Rate } from './format/units.ts';

/** More points than this is almost certainly a typo in a range (a step in us instead of ms). */
export const MAX_SWEEP_POINTS = 10_000;

const isDuration = (v: unknown): v is string => typeof v === 'string' && durationProblem(v) === undefined;
const isRate = (v: unknown): v is string => typeof v === 'string' && RATE.test(v);

/** The kind of a range's bounds, and their values in its unit (us, per second, or plain numbers). */
function rangeNumbers(from: unknown, to: unknown, step: unknown): { kind: string; values: number[] } | undefined {
  const all = [from, to, step];
  if (all.every((v) => typeof v === 'number')) return { kind: 'number', values: all as number[] };
  if (all.every(isDuration)) return { kind: 'duration', values: all.map((v) => parseDuration(v as string)) };
  if (all.every(isRate)) return { kind: 'rate', values: all.map((v) => parseRate(v as string)) };
  return undefined;
}

/**
 * `{from, to, step}`: all three durations ("10ms"), rates ("50/s") or numbers. The end is included
 * when the steps land on it exactly.
 */
export const SweepRangeSchema = z
  .strictObject({
    from: z.union([Duration, Rate, z.number()]).describe('the first value'),
    to: z.union([Duration, Rate, z.number()]).describe('the last value, included when the steps land on it'),
    step: z.union([Duration, Rate, z.number()]).describe('the distance between values, above zero'),
  })
  .check((ctx) => {
    const { from, to, step } = ctx.value;
    const issue = (message: string): void => void ctx.issues.push({ code: 'custom', input: ctx.value, message });
    const range = rangeNumbers(from, to, step);
    if (range === undefined)
      return issue('from, to and step must be all durations ("10ms"), all rates ("50/s") or all numbers');
    const [a, b, s] = range.values as [number, number, number];
    if (!(s > 0)) issue(`step must be positive, found ${String(step)}`);
    else if (b < a) issue(`to (${String(to)}) must not be below from (${String(from)})`);
    else if ((b - a) / s + 1 > MAX_SWEEP_POINTS) issue(`the range has more than ${MAX_SWEEP_POINTS} points`);
  });

const SweepValuesSchema = z
  .union([z.array(z.unknown()).min(1), SweepRangeSchema], {
    error: () => 'expected a list of values or a range {from, to, step}',
  })
  .meta({
    id: 'SweepValues',
    description:
      'the values a parameter takes: a list, or a range whose from, to and step are all durations, all rates or all numbers',
  });

/** `experiment.sweep`: parameter path -> values; the points are the cartesian product. */
export const SweepSchema = z
  .record(z.string(), SweepValuesSchema)
  .describe('parameter path -> list of values or {from, to, step}; the points are the cartesian product');

/** One of `experiment.sweeps`: axes varied independently, and parameters that move together. */
export const NamedSweepSchema = z
  .strictObject({
    description: z.string().optional().describe('one line shown with the sweep'),
    vary: z
      .record(z.string(), SweepValuesSchema)
      .optional()
      .describe('parameter path -> values: an axis each, the points their cartesian product'),
    zip: z
      .record(z.string(), SweepValuesSchema)
      .optional()
      .describe('parameter path -> values, all lists of one length: one axis along which they move together'),
    label: z.string().optional().describe('the name of the zipped axis (default: its first path)'),
  })
  .refine((s) => Object.keys(s.vary ?? {}).length + Object.keys(s.zip ?? {}).length > 0, {
    message: 'expected parameters in vary or zip',
  });

export type SweepInput = z.infer<typeof SweepSchema>;
export type SweepRange = z.infer<typeof SweepRangeSchema>;
export type NamedSweepInput = z.infer<typeof NamedSweepSchema>;

/** The values of one sweep parameter, in order; durations and rates come back as strings with a unit. */
export function sweepValues(spec: unknown[] | SweepRange): unknown[] {
  if (Array.isArray(spec)) return spec;
  const range = rangeNumbers(spec.from, spec.to, spec.step);
  if (range === undefined) return [];
  const [a, b, s] = range.values as [number, number, number];
  const out: unknown[] = [];
  // Index-based so that float steps (0.1) do not accumulate rounding error.
  for (let i = 0; ; i++) {
    const x = a + i * s;
    if (x > b + Math.abs(s) * 1e-9) break;
    if (range.kind === 'duration') out.push(formatDuration(Math.round(x)));
    else if (range.kind === 'rate') out.push(`${Number(x.toPrecision(12))}/s`);
    else out.push(Number(x.toPrecision(12)));
  }
  return out;
}

/** One axis of a sweep: one parameter, or several moving together (zip); values[i] has one per path. */
export interface Axis {
  label: string;
  paths: string[];
  values: unknown[][];
}

export interface SweepDef {
  name: string;
  axes: Axis[];
}

/** One point of a sweep: which sweep, the value of each parameter, and its index along each axis. */
export interface PointParams {
  sweep: string;
  params: Record<string, unknown>;
  at: number[];
}

/**
 * The sweeps of an experiment, in order: `experiment.sweep` (named "sweep") first, then each of
 * `experiment.sweeps`. Throws a RangeError naming the sweep when zipped lists differ in length.
 */
export function sweepDefs(
  experiment: { sweep?: SweepInput; sweeps?: Record<string, NamedSweepInput> } | undefined,
): SweepDef[] {
  const defs: SweepDef[] = [];
  const single = (path: string, spec: unknown[] | SweepRange): Axis => ({
    label: path,
    paths: [path],
    values: sweepValues(spec).map((v) => [v]),
  });
  if (experiment?.sweep !== undefined && Object.keys(experiment.sweep).length > 0)
    defs.push({ name: 'sweep', axes: Object.entries(experiment.sweep).map(([p, s]) => single(p, s)) });
  for (const [name, s] of Object.entries(experiment?.sweeps ?? {})) {
    const axes = Object.entries(s.vary ?? {}).map(([p, spec]) => single(p, spec));
    const zipped = Object.entries(s.zip ?? {}).map(([p, spec]) => [p, sweepValues(spec)] as const);
    if (zipped.length > 0) {
      const length = (zipped[0] as (typeof zipped)[number])[1].length;
      const odd = zipped.find(([, values]) => values.length !== length);
      if (odd !== undefined)
        throw new RangeError(
          `sweep "${name}": zipped ${odd[0]} has ${odd[1].length} values, ${zipped[0]?.[0]} has ${length}`,
        );
      axes.push({
        label:
          s.label ?? (zipped.length === 1 ? zipped[0]![0] : `${zipped[0]![0]} (+${zipped.length - 1} moving with it)`),
        paths: zipped.map(([p]) => p),
        values: Array.from({ length }, (_, i) => zipped.map(([, values]) => values[i])),
      });
    }
    defs.push({ name, axes });
  }
  return defs;
}

/** The points of a sweep: the cartesian product of its axes, the first axis varying slowest. */
export function pointsOf(def: SweepDef): PointParams[] {
  let points: PointParams[] = [{ sweep: def.name, params: {}, at: [] }];
  for (const axis of def.axes) {
    points = points.flatMap((p) =>
      axis.values.map((row, i) => ({
        sweep: def.name,
        params: { ...p.params, ...Object.fromEntries(axis.paths.map((path, k) => [path, row[k]])) },
        at: [...p.at, i],
      })),
    );
    if (points.length > MAX_SWEEP_POINTS)
      throw new RangeError(`sweep "${def.name}" has more than ${MAX_SWEEP_POINTS} points`);
  }
  return points;
}
