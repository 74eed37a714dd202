import type { Micros } from '../kernel/index.ts';
import type { Outcome, ProbeBus, ProbeEvent } from './probes.ts';

/** One measured interval of one procedure instance. */
export interface Sample {
  readonly metric: string;
  readonly key: string;
  readonly start: Micros;
  readonly end: Micros;
  readonly outcome: Outcome;
}

interface Edge {
  key: string;
  outcome?: Outcome;
}

/**
 * A metric is declared by the probe events that open and close it (DESIGN.md section 7 table).
 * `optional` metrics (e.g. redirection) only exist for instances that reach their end event;
 * the others record an outcome for every started instance.
 */
export interface MetricDef {
  readonly name: string;
  /** Every probe event type `start`, `end` or `discard` answers; the recorder asks about no other. */
  readonly events: readonly ProbeEvent['type'][];
  start(e: ProbeEvent): Edge | undefined;
  end(e: ProbeEvent): Edge | undefined;
  readonly optional?: boolean;
  /** For optional metrics: the event that closes an instance without a sample. */
  discard?(e: ProbeEvent): string | undefined;
}

const procedureMetric = (name: string): MetricDef => ({
  name,
  events: ['procedureStarted', 'procedureEnded'],
  start: (e) => (e.type === 'procedureStarted' && e.procedure === name ? { key: e.key } : undefined),
  end: (e) => (e.type === 'procedureEnded' && e.procedure === name ? { key: e.key, outcome: e.outcome } : undefined),
});

export const METRICS: readonly MetricDef[] = [
  {
    name: 'private_call.setup',
    events: ['callSetupStarted', 'callEstablished', 'callFailed'],
    start: (e) => (e.type === 'callSetupStarted' ? { key: e.key } : undefined),
    end: (e) =>
      e.type === 'callEstablished'
        ? { key: e.key, outcome: 'success' }
        : e.type === 'callFailed'
          ? { key: e.key, outcome: e.outcome }
          : undefined,
  },
  {
    name: 'private_call.redirection',
    events: ['callSetupStarted', 'redirectionReceived', 'callEstablished', 'callFailed'],
    optional: true,
    start: (e) => (e.type === 'callSetupStarted' ? { key: e.key } : undefined),
    end: (e) => (e.type === 'redirectionReceived' ? { key: e.key, outcome: 'success' } : undefined),
    discard: (e) => (e.type === 'callEstablished' || e.type === 'callFailed' ? e.key : undefined),
  },
  {
    name: 'private_call.key_discovery',
    events: ['keyDiscoveryStarted', 'keyDiscoveryEnded'],
    start: (e) => (e.type === 'keyDiscoveryStarted' ? { key: e.key } : undefined),
    end: (e) => (e.type === 'keyDiscoveryEnded' ? { key: e.key, outcome: e.outcome } : undefined),
  },
  procedureMetric('kms.lookup'),
  procedureMetric('migration.authorization'),
  procedureMetric('migration.deauthorization'),
  procedureMetric('registration'),
  procedureMetric('profile.retrieval'),
  procedureMetric('affiliation'),
  {
    name: 'migration.interruption',
    events: ['interruptionStarted', 'interruptionEnded'],
    start: (e) => (e.type === 'interruptionStarted' ? { key: e.key } : undefined),
    end: (e) => (e.type === 'interruptionEnded' ? { key: e.key, outcome: e.outcome } : undefined),
  },
  {
    name: 'group_call.setup',
    events: ['groupCallStarted', 'groupCallFloorGranted', 'groupCallFailed'],
    start: (e) => (e.type === 'groupCallStarted' ? { key: e.key } : undefined),
    end: (e) =>
      e.type === 'groupCallFloorGranted'
        ? { key: e.key, outcome: 'success' }
        : e.type === 'groupCallFailed'
          ? { key: e.key, outcome: e.outcome }
          : undefined,
  },
  {
    name: 'group_call.late_entry',
    events: ['lateEntryStarted', 'lateEntryMedia'],
    optional: true,
    start: (e) => (e.type === 'lateEntryStarted' ? { key: e.key } : undefined),
    end: (e) => (e.type === 'lateEntryMedia' ? { key: e.key, outcome: 'success' } : undefined),
  },
];

const NONE: readonly number[] = [];
const listeners = new WeakMap<readonly MetricDef[], Map<ProbeEvent['type'], number[]>>();

/**
 * For each probe event type, the indices of the defs that answer it, in def order: made once
 * per list of defs, so that an event asks only those (issue 8), not all of them.
 */
function listenersOf(defs: readonly MetricDef[]): Map<ProbeEvent['type'], number[]> {
  let byType = listeners.get(defs);
  if (byType === undefined) {
    const made = new Map<ProbeEvent['type'], number[]>();
    defs.forEach((def, i) => {
      for (const type of def.events) {
        let list = made.get(type);
        if (list === undefined) made.set(type, (list = []));
        if (list.at(-1) !== i) list.push(i);
      }
    });
    listeners.set(defs, (byType = made));
  }
  return byType;
}

export type SampleSink = (metric: string, latency: Micros, outcome: Outcome) => void;

/**
 * Subscribes the declared metrics to a probe bus and collects samples. Instances still open
 * at the end of a run are reported by `unfinished()` (the invariant checks use it).
 */
export class MetricRecorder {
  readonly samples: Sample[] = [];
  /** Open instances per def (same index), made at a def's first start: most never start. */
  private readonly open: (Map<string, Micros> | undefined)[];
  private readonly byType: Map<ProbeEvent['type'], number[]>;

  /**
   * With a `sink` every finished interval goes there instead of into `samples`: a long run then
   * keeps numbers, not one object per call (the scale benchmark runs a million calls).
   */
  constructor(
    bus: ProbeBus,
    private readonly defs: readonly MetricDef[] = METRICS,
    private readonly sink?: SampleSink,
  ) {
    this.open = new Array<Map<string, Micros> | undefined>(defs.length).fill(undefined);
    this.byType = listenersOf(defs);
    bus.subscribe((e) => this.observe(e));
  }

  private observe(e: ProbeEvent): void {
    const defs = this.defs;
    for (const i of this.byType.get(e.type) ?? NONE) {
      const def = defs[i] as MetricDef;
      let open = this.open[i];
      const started = def.start(e);
      if (started !== undefined) {
        if (open === undefined) this.open[i] = open = new Map();
        if (open.has(started.key)) throw new Error(`${def.name}: ${started.key} started twice`);
        open.set(started.key, e.at);
      }
      if (def.discard !== undefined) {
        const dropped = def.discard(e);
        if (dropped !== undefined) open?.delete(dropped);
      }
      const ended = def.end(e);
      if (ended !== undefined) {
        const start = open?.get(ended.key);
        if (start === undefined) {
          if (def.optional) continue;
          throw new Error(`${def.name}: ${ended.key} ended without a start`);
        }
        open?.delete(ended.key);
        if (this.sink !== undefined) this.sink(def.name, e.at - start, ended.outcome ?? 'success');
        else this.samples.push({ metric: def.name, key: ended.key, start, end: e.at, outcome: ended.outcome ?? 'success' });
      }
    }
  }

  /** Mandatory intervals started but never ended. */
  unfinished(): { metric: string; key: string }[] {
    const out: { metric: string; key: string }[] = [];
    this.defs.forEach((def, i) => {
      if (!def.optional) for (const key of this.open[i]?.keys() ?? []) out.push({ metric: def.name, key });
    });
    return out;
  }
}
