import type { ModelConfig } from '../mc/config.ts';
import type { StopReason } from '../kernel/index.ts';
import type { McMessage } from '../mc/protocol/messages.ts';
import { CATEGORIES } from '../mc/measure/critical-path.ts';
import { STEP_LABELS } from '../mc/protocol/steps.ts';
import { checkInvariants } from '../mc/measure/invariants.ts';
import { McModel } from '../mc/world/model.ts';
import type { SendRecord } from '../net/index.ts';
import type { Counters } from './result.ts';

/** What one replication leaves behind: latencies of successful instances, outcome counts, counters. */
export interface ReplicationData {
  /** metric -> latencies in microseconds of its successful samples, in completion order. */
  samples: Map<string, number[]>;
  /** metric -> outcome -> count. */
  outcomes: Map<string, Map<string, number>>;
  counters: Counters;
  /**
   * metric -> category -> microseconds: where the time of its successful samples went, summed
   * over them (mc/measure/critical-path.ts); only categories that took time. The categories of a
   * metric sum to the sum of its samples.
   */
  breakdown: Map<string, Map<string, number>>;
  /** metric -> procedure step -> microseconds, the same time by step. */
  steps: Map<string, Map<string, number>>;
  /** false when the replication hit its event ceiling or was stopped: the data is partial. */
  complete: boolean;
  /** Why the kernel returned: `maxEvents` for the per-replication ceiling, `stopped` for `shouldStop`. */
  stop: StopReason;
  /** With `checkInvariants`: what the end-of-run checks found (empty when sound). */
  violations?: string[];
}

export interface ReplicationOptions {
  until?: number;
  maxEvents?: number;
  trace?: (rec: SendRecord<McMessage>) => void;
  /**
   * Asked every STOP_CHECK_SENDS messages; true stops the replication (stop `stopped`). Lets a
   * wall-clock budget end a replication running in this thread, without an event of its own,
   * so results are unchanged while it says false.
   */
  shouldStop?: () => boolean;
  /** Run the end-of-run invariant checks of src/mc/measure/invariants.ts (slower; off by default). */
  checkInvariants?: boolean;
}

const STOP_CHECK_SENDS = 1024;

/** A pure function of (model config, seed, replication index): runs it and collects. */
export function runReplication(
  config: ModelConfig,
  seed: number | string,
  replication: number,
  opts: ReplicationOptions = {},
): ReplicationData {
  const { shouldStop, checkInvariants: check, ...runOpts } = opts;
  const samples = new Map<string, number[]>();
  const outcomes = new Map<string, Map<string, number>>();
  const collect = (metric: string, latency: number, outcome: string): void => {
    let counts = outcomes.get(metric);
    if (counts === undefined) outcomes.set(metric, (counts = new Map()));
    counts.set(outcome, (counts.get(outcome) ?? 0) + 1);
    if (outcome !== 'success') return;
    let list = samples.get(metric);
    if (list === undefined) samples.set(metric, (list = []));
    list.push(latency);
  };
  // The invariant checks read the recorder's samples; otherwise numbers go straight to the maps.
  const model = new McModel(config, {
    seed,
    replication,
    breakdown: true,
    ...runOpts,
    ...(check ? {} : { onSample: collect }),
  });
  if (shouldStop !== undefined) {
    let sends = 0;
    model.net.onSend(() => {
      if (++sends % STOP_CHECK_SENDS === 0 && shouldStop()) model.sim.stop();
    });
  }
  const outcome = model.run();
  for (const s of model.recorder.samples) collect(s.metric, s.end - s.start, s.outcome);
  const c = model.net.counters;
  const breakdown = new Map<string, Map<string, number>>();
  const steps = new Map<string, Map<string, number>>();
  const nonzero = (xs: Float64Array, names: readonly string[]): Map<string, number> => {
    const out = new Map<string, number>();
    xs.forEach((us, i) => {
      if (us > 0) out.set(names[i] as string, us);
    });
    return out;
  };
  for (const [metric, tally] of model.breakdowns?.byMetric ?? []) {
    breakdown.set(metric, nonzero(tally.categories, CATEGORIES));
    steps.set(metric, nonzero(tally.steps, STEP_LABELS));
  }
  return {
    samples,
    outcomes,
    counters: {
      events: outcome.events,
      messages: c.messages,
      bytes: c.bytes,
      lost: c.lost,
      retransmissions: c.retransmissions,
    },
    breakdown,
    steps,
    complete: outcome.stop === 'empty' || outcome.stop === 'until',
    stop: outcome.stop,
    ...(check ? { violations: checkInvariants(model) } : {}),
  };
}
