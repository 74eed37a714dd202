import { z } from 'zod';
import { DurationError, parseDuration } from '../../kernel/index.ts';
import { BANDWIDTH, BYTES, parseBandwidth, parseRate, RATE } from './quantities.ts';

const show = (v: unknown): string => {
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 60 ? `${s.slice(0, 57)}...` : s;
};

/** Why `text` is not a usable duration, or undefined when it is one. */
export function durationProblem(text: string): string | undefined {
  if (/^\s*-/.test(text)) return `expected a non-negative duration, found ${show(text)}`;
  try {
    parseDuration(text);
    return undefined;
  } catch (e) {
    return e instanceof DurationError ? e.message : String(e);
  }
}

/** A duration with a unit, non-negative: "250us", "20ms", "1.5s". */
export const Duration = z
  .string({ error: (i) => `expected a duration with a unit such as "20ms", found ${show(i.input)}` })
  .check((ctx) => {
    const message = durationProblem(ctx.value);
    if (message !== undefined) ctx.issues.push({ code: 'custom', input: ctx.value, message });
  })
  .meta({ id: 'Duration', description: 'a non-negative time with its unit: "250us", "20ms", "1.5s", "2min", "1h"' });

const DIST_FORMS =
  'a duration ("20ms") or one of {constant}, {uniform: [lo, hi]}, {exponential: mean}, {normal: {mean, sd}}, {lognormal: {median, p95}}, {empirical: [[value, weight], ...]}';

/** A delay distribution (docs/scenario-guide.md), validated with a precise message per form. */
export const DistributionSchema = z
  .union(
    [
      Duration,
      z.strictObject({ constant: Duration.describe('always this') }),
      z
        .strictObject({ uniform: z.tuple([Duration, Duration]).describe('any value between the two, equally likely') })
        .refine((d) => parseDuration(d.uniform[0]) <= parseDuration(d.uniform[1]), {
          message: 'uniform: the first bound must not exceed the second',
        }),
      z.strictObject({ exponential: Duration.describe('exponential with this mean') }),
      z.strictObject({
        normal: z
          .strictObject({ mean: Duration, sd: Duration })
          .describe('normal truncated at 0: a negative draw is drawn again'),
      }),
      z
        .strictObject({
          lognormal: z
            .strictObject({ median: Duration, p95: Duration })
            .describe('lognormal through its median and 95th percentile: a long tail, as measured delays have'),
        })
        .refine(
          (d) =>
            parseDuration(d.lognormal.median) > 0 &&
            parseDuration(d.lognormal.p95) >= parseDuration(d.lognormal.median),
          { message: 'lognormal: needs 0 < median <= p95' },
        ),
      z.strictObject({
        empirical: z
          .array(z.tuple([Duration, z.number().positive()]))
          .min(1)
          .describe('[value, weight] pairs: each value with probability weight / sum of weights'),
      }),
    ],
    { error: (i) => distributionProblem(i.input) },
  )
  .meta({
    id: 'Distribution',
    description:
      'a delay, drawn afresh for every message or job from its own random stream: a Duration (constant), or exactly one of the forms below; lognormal is given by its median and 95th percentile',
  });
/** Names the likely mistake first: a bad duration string or a bare number is the common one. */
function distributionProblem(input: unknown): string {
  if (typeof input === 'string') return durationProblem(input) ?? `expected ${DIST_FORMS}; found ${show(input)}`;
  if (typeof input === 'number')
    return `expected a duration with a unit such as "${input}ms", found the bare number ${input}`;
  return `expected ${DIST_FORMS}; found ${show(input)}`;
}

export type DistributionInput = z.infer<typeof DistributionSchema>;

/** `none`, or a duration: how long something lasts when it is kept at all. */
export const NoneOrDuration = z
  .string({ error: (i) => `expected "none" or a duration such as "30s", found ${show(i.input)}` })
  .check((ctx) => {
    if (ctx.value === 'none') return;
    const problem = durationProblem(ctx.value);
    if (problem !== undefined)
      ctx.issues.push({
        code: 'custom',
        input: ctx.value,
        message: `expected "none" or ${problem.replace(/^expected /, '')}`,
      });
  });

/** A size in bytes with a unit: "500kB", "2MB" (decimal units). */
export const Bytes = z
  .string({ error: (i) => `expected a size such as "2MB", found ${show(i.input)}` })
  .check((ctx) => {
    if (!BYTES.test(ctx.value)) {
      ctx.issues.push({
        code: 'custom',
        input: ctx.value,
        message: `expected a size such as "2MB" (B, kB, MB, GB), found ${show(ctx.value)}`,
      });
    }
  })
  .meta({ id: 'Bytes', description: 'a size with its unit, decimal: "800B", "500kB", "2MB", "1GB"' });

/** A mean rate of events, e.g. "50/s", "3/min"; "0/s" is none at all. */
export const Rate = z
  .string()
  .check((ctx) => {
    if (!RATE.test(ctx.value) || !(parseRate(ctx.value) >= 0)) {
      ctx.issues.push({
        code: 'custom',
        input: ctx.value,
        message: `expected a rate such as "50/s" (per s, min or h), found ${show(ctx.value)}`,
      });
    }
  })
  .meta({ id: 'Rate', description: 'a mean number of events per s, min or h: "50/s", "30/min"; "0/s" is none' });

export const Bandwidth = z
  .string()
  .check((ctx) => {
    if (!BANDWIDTH.test(ctx.value) || parseBandwidth(ctx.value) <= 0) {
      ctx.issues.push({
        code: 'custom',
        input: ctx.value,
        message: `expected a bandwidth such as "10Mbps" (bps, kbps, Mbps, Gbps), found ${show(ctx.value)}`,
      });
    }
  })
  .meta({ id: 'Bandwidth', description: 'bits per second with a unit: "64kbps", "10Mbps", "1Gbps"' });
