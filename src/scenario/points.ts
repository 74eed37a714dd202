import type { LoadedScenario, SweepPoint } from './load.ts';

/** Thrown when a scenario with a sweep needs one point named; the message says how. */
export class PointError extends Error {}

const shown = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));

/**
 * The one sweep point a command that runs a single configuration (a chart, a baseline check)
 * works on: `index`, or the point whose swept values `overrides` name; undefined for a scenario
 * without a sweep. `advice` tells the user how to name one, with `{last}` (the last index) and
 * `{set}` (a `--set` naming the first point's values, which works when copied).
 */
export function pickPoint(
  loaded: LoadedScenario,
  index: number | undefined,
  overrides: Record<string, unknown>,
  advice: string,
): SweepPoint | undefined {
  const points = loaded.points;
  if (points.length === 0) {
    if (index !== undefined) throw new PointError(`--point ${index}: ${loaded.file} has no sweep`);
    return undefined;
  }
  if (index !== undefined) {
    if (!(Number.isInteger(index) && index >= 0 && index < points.length))
      throw new PointError(`--point expects a point of the sweep, 0 to ${points.length - 1}; found ${String(index)}`);
    return points[index];
  }
  const named = points.find((p) =>
    Object.entries(p.params).every(([path, v]) => path in overrides && shown(overrides[path]) === shown(v)),
  );
  if (named !== undefined) return named;
  const first = points[0] as SweepPoint;
  const set = Object.entries(first.params)
    .map(([path, v]) => `--set '${path}=${shown(v)}'`)
    .join(' ');
  throw new PointError(
    `${loaded.file}: has a sweep of ${points.length} points; ${advice.replace('{last}', String(points.length - 1)).replace('{set}', set)}`,
  );
}

/**
 * The scenario narrowed to one of its sweep points (as pickPoint picks it): that point's
 * variants, and no sweep left to run. Without a point, the scenario as it is.
 */
export function atPoint(loaded: LoadedScenario, point: SweepPoint | undefined): LoadedScenario {
  return point === undefined ? loaded : { ...loaded, variants: point.variants, points: [], sweeps: [] };
}
