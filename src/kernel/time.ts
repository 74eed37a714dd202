/** Simulation time: an integer number of microseconds (exact up to 2^53). */
export type Micros = number;

const UNIT_US: Readonly<Record<string, number>> = {
  us: 1,
  ms: 1_000,
  s: 1_000_000,
  min: 60_000_000,
  h: 3_600_000_000,
};

const DURATION = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*(us|ms|s|min|h)\s*$/;

export class DurationError extends Error {}

/**
 * Parses `"250us"`, `"20ms"`, `"1.5s"`, `"2min"`, `"1h"` into integer microseconds.
 * A bare number is refused: a unit is required so that files read unambiguously.
 */
export function parseDuration(text: string): Micros {
  const m = DURATION.exec(text);
  if (!m) {
    throw new DurationError(
      `expected a duration with a unit (us, ms, s, min, h), e.g. "20ms"; found ${JSON.stringify(text)}`,
    );
  }
  const value = Number(m[1]) * (UNIT_US[m[2] as string] as number);
  const us = Math.round(value);
  if (!Number.isSafeInteger(us)) throw new DurationError(`duration ${JSON.stringify(text)} is too large`);
  return us;
}

export const ms = (n: number): Micros => Math.round(n * 1_000);
export const toMs = (us: Micros): number => us / 1_000;

/** Shortest exact rendering with a unit, inverse of parseDuration for integral values. */
export function formatDuration(us: Micros): string {
  if (us % 1_000_000 === 0 && us !== 0) return `${us / 1_000_000}s`;
  if (us % 1_000 === 0) return `${us / 1_000}ms`;
  return `${us}us`;
}
