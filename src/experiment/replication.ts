import type { ModelConfig } from '../mc/config.ts';
import type { McMessage } from '../mc/protocol/messages.ts';
import { CATEGORIES } from '../mc/measure/critical-path.ts';
import { STEP_LABELS } from '../mc/protocol/steps.ts';
import { checkInvariants } from '../mc/measure/invariants.ts';
import { McModel } from '../mc/world/model.ts';
import type { SendRecord } from '../net/index.ts';
import type { Counters, CutReason } from './result.ts';

export type { CutReason } from './result.ts';

/** What a replication held when it was cut: the memory guard names the largest. */
export interface Census {
  /** Private calls held (one caller's dialog each). */
  calls: number;
  /** Messages and tasks waiting for a worker at the nodes. */
  jobs: number;
  /** Events pending in the kernel's queue. */
  events: number;
  /** Latency samples kept. */
  samples: number;
  /** Simulated time reached, us. */
  now: number;
}

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
  /** false when the replication was cut: its data covers its start only. */
  complete: boolean;
  /** Why it was cut, when it was. */
  cut?: CutReason;
  /** Of a replication cut by the memory guard: what it held. */
  census?: Census;
  /** With `checkInvariants`: what the end-of-run checks found (empty when sound). */
  violations?: string[];
}

export interface ReplicationOptions {
  until?: number;
  maxEvents?: number;
  trace?: (rec: SendRecord<McMessage>) => void;
  /**
   * Asked between steps (a batch of the build, SLICE_EVENTS events of the run): a reason cuts the
   * replication there, keeping what it measured so far. A request to stop (a signal, a wall-clock
   * budget, the heap running out) so reaches a replication of any length without an event of its
   * own, and results are unchanged while it says nothing.
   */
  shouldCut?: () => CutReason | undefined;
  /** Run the end-of-run invariant checks of src/mc/measure/invariants.ts (slower; off by default). */
  checkInvariants?: boolean;
}

/**
 * Kernel events per step of a run: some 5-50 ms of work, so a stop request is seen within a
 * fraction of a second, at a cost per step (a call, a look at the stop request) lost among the
 * events' own.
 */
export const SLICE_EVENTS = 1 << 14;

/**
 * One replication, run a step at a time: building the model in batches of users, then slices
 * of SLICE_EVENTS events. A pure function of (model config, seed, replication index) however it
 * is sliced: a slice ends between two events, and the next takes up at the following one.
 */
export class ReplicationRun {
  private readonly model: McModel;
  private readonly samples = new Map<string, number[]>();
  private readonly outcomes = new Map<string, Map<string, number>>();
  private readonly maxEvents: number;
  /** The kernel's limits for the next slice: made once, its budget set per slice. */
  private readonly limits: { maxEvents: number; until?: number };
  private sampled = 0;
  private built = false;
  private over = false;
  private cut: CutReason | undefined = undefined;

  constructor(
    config: ModelConfig,
    seed: number | string,
    replication: number,
    private readonly opts: ReplicationOptions = {},
  ) {
    const { until, trace, checkInvariants: check } = opts;
    this.maxEvents = opts.maxEvents ?? Infinity;
    this.limits = until === undefined ? { maxEvents: SLICE_EVENTS } : { maxEvents: SLICE_EVENTS, until };
    // The invariant checks read the recorder's samples; otherwise numbers go straight to the maps.
    this.model = new McModel(
      config,
      {
        seed,
        replication,
        breakdown: true,
        ...(until === undefined ? {} : { until }),
        ...(trace === undefined ? {} : { trace }),
        ...(check
          ? {}
          : { onSample: (m: string, latency: number, outcome: string) => this.collect(m, latency, outcome) }),
      },
      true,
    );
  }

  private collect(metric: string, latency: number, outcome: string): void {
    let counts = this.outcomes.get(metric);
    if (counts === undefined) this.outcomes.set(metric, (counts = new Map()));
    counts.set(outcome, (counts.get(outcome) ?? 0) + 1);
    if (outcome !== 'success') return;
    let list = this.samples.get(metric);
    if (list === undefined) this.samples.set(metric, (list = []));
    list.push(latency);
    this.sampled++;
  }

  /** Runs one step; true when the replication is over (finished or cut). */
  step(): boolean {
    if (this.over) return true;
    const cut = this.opts.shouldCut?.();
    if (cut !== undefined) return this.end(cut);
    // A small model is built whole in its first step, which then goes on to run.
    if (!this.built && !(this.built = this.model.buildStep())) return false;
    const sim = this.model.sim;
    const left = this.maxEvents - sim.eventsRun;
    this.limits.maxEvents = Math.min(SLICE_EVENTS, left);
    if (sim.run(this.limits) !== 'maxEvents') return this.end(undefined);
    return left <= SLICE_EVENTS ? this.end('max-events') : false;
  }

  private end(cut: CutReason | undefined): true {
    this.over = true;
    this.cut = cut;
    return true;
  }

  /** What the model holds now: calls, pending events, samples. */
  census(): Census {
    const samples = this.opts.checkInvariants ? this.model.recorder.samples.length : this.sampled;
    const model = this.model;
    return {
      calls: model.heldCalls(),
      jobs: model.queuedJobs(),
      events: model.sim.pending,
      samples,
      now: model.sim.now,
    };
  }

  /** The data of the replication, once over. */
  data(): ReplicationData {
    if (!this.over) throw new Error('data() of a replication still running');
    const model = this.model;
    const cut = this.cut;
    const census = cut === 'memory' ? this.census() : undefined;
    for (const s of model.recorder.samples) this.collect(s.metric, s.end - s.start, s.outcome);
    const c = model.net.counters;
    const data: ReplicationData = {
      samples: this.samples,
      outcomes: this.outcomes,
      counters: {
        events: model.sim.eventsRun,
        messages: c.messages,
        bytes: c.bytes,
        lost: c.lost,
        retransmissions: c.retransmissions,
      },
      breakdown: new Map(),
      steps: new Map(),
      complete: cut === undefined,
    };
    for (const [metric, tally] of model.breakdowns?.byMetric ?? []) {
      data.breakdown.set(metric, nonzero(tally.categories, CATEGORIES));
      data.steps.set(metric, nonzero(tally.steps, STEP_LABELS));
    }
    if (cut !== undefined) data.cut = cut;
    if (census !== undefined) data.census = census;
    if (this.opts.checkInvariants && this.built) data.violations = checkInvariants(model);
    return data;
  }
}

/** The parts of a tally that took time, by name. */
function nonzero(xs: readonly number[], names: readonly string[]): Map<string, number> {
  const out = new Map<string, number>();
  for (let i = 0; i < xs.length; i++) if ((xs[i] as number) > 0) out.set(names[i] as string, xs[i] as number);
  return out;
}

/** A pure function of (model config, seed, replication index): runs it and collects. */
export function runReplication(
  config: ModelConfig,
  seed: number | string,
  replication: number,
  opts: ReplicationOptions = {},
): ReplicationData {
  const run = new ReplicationRun(config, seed, replication, opts);
  while (!run.step());
  return run.data();
}

/**
 * As runReplication, awaiting `pause` between steps: in a thread that must stay responsive (to
 * a signal handler, say), a replication of any length then lets it run every few milliseconds.
 */
export async function runReplicationAsync(
  config: ModelConfig,
  seed: number | string,
  replication: number,
  opts: ReplicationOptions,
  pause: () => Promise<void>,
): Promise<ReplicationData> {
  const run = new ReplicationRun(config, seed, replication, opts);
  while (!run.step()) await pause();
  return run.data();
}
