/**
 * Reading validated quantity strings into numbers. Kept apart from the zod schemas in units.ts:
 * a replication worker builds models from scenarios the parent already validated, and starting
 * it without zod (some hundred modules) saves most of its start-up.
 */
import {
  compileDistribution,
  DurationError,
  parseDuration,
  type Distribution,
  type DistributionSpec,
} from '../../kernel/index.ts';

export const RATE = /^\s*(\d+(?:\.\d+)?)\s*\/\s*(s|min|h)\s*$/;
const RATE_UNIT: Record<string, number> = { s: 1, min: 60, h: 3600 };

/** Events per second. */
export function parseRate(text: string): number {
  const m = RATE.exec(text) as RegExpExecArray;
  return Number(m[1]) / (RATE_UNIT[m[2] as string] as number);
}

export const BANDWIDTH = /^\s*(\d+(?:\.\d+)?)\s*(bps|kbps|Mbps|Gbps)\s*$/;
const BW_UNIT: Record<string, number> = { bps: 1, kbps: 1e3, Mbps: 1e6, Gbps: 1e9 };

/** Bits per second. */
export function parseBandwidth(text: string): number {
  const m = BANDWIDTH.exec(text) as RegExpExecArray;
  return Number(m[1]) * (BW_UNIT[m[2] as string] as number);
}

export const BYTES = /^\s*(\d+(?:\.\d+)?)\s*(B|kB|MB|GB)\s*$/;
const BYTE_UNIT: Record<string, number> = { B: 1, kB: 1e3, MB: 1e6, GB: 1e9 };

/** Bytes (decimal units: 1 kB = 1000 B). */
export function parseBytes(text: string): number {
  const m = BYTES.exec(text) as RegExpExecArray;
  return Math.round(Number(m[1]) * (BYTE_UNIT[m[2] as string] as number));
}

/** A distribution the schema has validated (units.ts), compiled. */
export const toDistribution = (d: DistributionSpec): Distribution => compileDistribution(d);

/**
 * A swept value as a number on a plot's axis, with its unit: a duration in ms, a rate per second,
 * a plain number; undefined for a value with no order (a boolean, an object).
 */
export function numericValue(v: unknown): { x: number; unit: string } | undefined {
  if (typeof v === 'number') return { x: v, unit: '' };
  if (typeof v !== 'string') return undefined;
  if (RATE.test(v)) return { x: parseRate(v), unit: '/s' };
  try {
    return { x: parseDuration(v) / 1000, unit: 'ms' };
  } catch (e) {
    if (e instanceof DurationError) return undefined;
    throw e;
  }
}
