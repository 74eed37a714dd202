import type { Micros } from '../../kernel/index.ts';
import { CriticalPath, newTally, type Tally } from './critical-path.ts';

/**
 * Per metric, where the time of its successful samples went (critical-path.ts), summed over the
 * samples of one replication in microseconds: divided by the sample count, the mean of each part.
 */
export class Breakdowns {
  readonly byMetric = new Map<string, Tally>();
  private readonly path = new CriticalPath();

  /** Adds the sample (start, end] of `metric`, whose end event's record is `cause`. */
  add(metric: string, cause: unknown, start: Micros, end: Micros): void {
    let into = this.byMetric.get(metric);
    if (into === undefined) this.byMetric.set(metric, (into = newTally()));
    this.path.walk(cause, start, end, into);
  }
}
