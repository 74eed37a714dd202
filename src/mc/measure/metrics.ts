import type { Micros } from '../../kernel/index.ts';
import type { DataCommunication, Service } from '../config.ts';
import type { Outcome, ProbeBus, ProbeEvent, SetupMetric } from './probes.ts';

/** One measured interval of one procedure instance. */
export interface Sample {
  readonly metric: string;
  readonly key: string;
  readonly start: Micros;
  readonly end: Micros;
  readonly outcome: Outcome;
}

/**
 * A metric is declared by the probe events that open and close it (docs/domain.md section 5 says
 * where each starts and ends).
 * `optional` metrics (e.g. redirection) only exist for instances that reach their end event;
 * the others record an outcome for every started instance.
 */
export interface MetricDef {
  readonly name: string;
  /** Every probe event type `start`, `end` or `discard` answers; the recorder asks about no other. */
  readonly events: readonly ProbeEvent['type'][];
  /** Whether `e` opens an instance (keyed by `e.key`). */
  start(e: ProbeEvent): boolean;
  /**
   * How `e` closes the instance `e.key`, or undefined when it does not: an outcome rather than
   * an object, so that a probe event allocates nothing here: every call emits several.
   */
  end(e: ProbeEvent): Outcome | undefined;
  readonly optional?: boolean;
  /** For optional metrics: whether `e` closes the instance `e.key` without a sample. */
  discard?(e: ProbeEvent): boolean;
}

const procedureMetric = (name: string): MetricDef => ({
  name,
  events: ['procedureStarted', 'procedureEnded'],
  start: (e) => e.type === 'procedureStarted' && e.procedure === name,
  end: (e) => (e.type === 'procedureEnded' && e.procedure === name ? e.outcome : undefined),
});

/** A connection set-up of an idle UE: for a downlink message (paging wait included) or for its own uplink one. */
function radioMetric(name: string, paging: boolean): MetricDef {
  return {
    name,
    events: ['rrcConnecting', 'rrcConnected'],
    optional: true,
    start: (e) => e.type === 'rrcConnecting' && e.paging === paging,
    end: (e) => (e.type === 'rrcConnected' ? 'success' : undefined),
  };
}

const DATA_SETUP: Readonly<Record<DataCommunication, SetupMetric>> = {
  sds: 'sds.delivery',
  'sds-session': 'sds_session.setup',
  'fd-http': 'file_distribution.setup',
  'fd-media': 'file_distribution.setup',
  ipcon: 'ipcon.setup',
};

/** The set-up metric of a one-to-one communication of `service` (for MCData, of the communication `data`). */
export function setupMetricOf(service: Service, data: DataCommunication = 'sds'): SetupMetric {
  return service === 'mcptt' ? 'private_call.setup' : service === 'mcvideo' ? 'video_call.setup' : DATA_SETUP[data];
}

/** From the press to the communication established (or the SDS delivered), for one service. */
const setupMetric = (name: SetupMetric): MetricDef => ({
  name,
  events: ['callSetupStarted', 'callEstablished', 'callFailed'],
  start: (e) => e.type === 'callSetupStarted' && e.metric === name,
  end: (e) =>
    e.type === 'callEstablished' && e.metric === name
      ? 'success'
      : e.type === 'callFailed' && e.metric === name
        ? e.outcome
        : undefined,
});

export const METRICS: readonly MetricDef[] = [
  setupMetric('private_call.setup'),
  setupMetric('video_call.setup'),
  setupMetric('sds.delivery'),
  setupMetric('sds_session.setup'),
  setupMetric('file_distribution.setup'),
  setupMetric('ipcon.setup'),
  {
    // From the press to the download completed report; only distributions that get one record.
    name: 'file_distribution.delivery',
    events: ['callSetupStarted', 'fileDelivered', 'callFailed'],
    optional: true,
    start: (e) => e.type === 'callSetupStarted' && e.metric === 'file_distribution.setup',
    end: (e) => (e.type === 'fileDelivered' ? 'success' : undefined),
    discard: (e) => e.type === 'callFailed' && e.metric === 'file_distribution.setup',
  },
  {
    name: 'private_call.redirection',
    events: ['callSetupStarted', 'redirectionReceived', 'callEstablished', 'callFailed'],
    optional: true,
    start: (e) => e.type === 'callSetupStarted',
    end: (e) => (e.type === 'redirectionReceived' ? 'success' : undefined),
    discard: (e) => e.type === 'callEstablished' || e.type === 'callFailed',
  },
  {
    name: 'private_call.key_discovery',
    events: ['keyDiscoveryStarted', 'keyDiscoveryEnded'],
    start: (e) => e.type === 'keyDiscoveryStarted',
    end: (e) => (e.type === 'keyDiscoveryEnded' ? e.outcome : undefined),
  },
  procedureMetric('kms.lookup'),
  {
    // From the press of a call placed to a kept partner ID to that ID's answer (A51).
    name: 'private_call.kept_id',
    events: ['keptIdUsed', 'keptIdEnded'],
    start: (e) => e.type === 'keptIdUsed',
    end: (e) => (e.type === 'keptIdEnded' ? e.outcome : undefined),
  },
  procedureMetric('migration.authorization'),
  procedureMetric('migration.deauthorization'),
  procedureMetric('migration.key_provisioning'),
  procedureMetric('registration'),
  procedureMetric('profile.retrieval'),
  procedureMetric('affiliation'),
  {
    name: 'migration.interruption',
    events: ['interruptionStarted', 'interruptionEnded'],
    start: (e) => e.type === 'interruptionStarted',
    end: (e) => (e.type === 'interruptionEnded' ? e.outcome : undefined),
  },
  {
    name: 'group_call.setup',
    events: ['groupCallStarted', 'groupCallFloorGranted', 'groupCallFailed'],
    start: (e) => e.type === 'groupCallStarted',
    end: (e) => (e.type === 'groupCallFloorGranted' ? 'success' : e.type === 'groupCallFailed' ? e.outcome : undefined),
  },
  {
    name: 'group_call.floor_request',
    events: ['floorRequested', 'floorRequestEnded'],
    start: (e) => e.type === 'floorRequested',
    end: (e) => (e.type === 'floorRequestEnded' ? e.outcome : undefined),
  },
  {
    name: 'group_call.late_entry',
    events: ['lateEntryStarted', 'lateEntryMedia'],
    optional: true,
    start: (e) => e.type === 'lateEntryStarted',
    end: (e) => (e.type === 'lateEntryMedia' ? 'success' : undefined),
  },
  radioMetric('rrc.paging', true),
  radioMetric('rrc.setup', false),
];

const NONE: readonly number[] = [];
const listeners = new WeakMap<readonly MetricDef[], Map<ProbeEvent['type'], number[]>>();

/**
 * For each probe event type, the indices of the defs that answer it, in def order: made once
 * per list of defs, so that an event asks only those, not all of them.
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

/** Told of every successful sample as it ends, while its end event runs (the breakdown walks back from there). */
export type SuccessHook = (metric: string, key: string, start: Micros, end: Micros) => void;

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
    private readonly onSuccess?: SuccessHook,
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
      if (def.start(e)) {
        if (open === undefined) this.open[i] = open = new Map();
        if (open.has(e.key)) throw new Error(`${def.name}: ${e.key} started twice`);
        open.set(e.key, e.at);
      }
      if (def.discard?.(e) === true) open?.delete(e.key);
      const outcome = def.end(e);
      if (outcome !== undefined) {
        const start = open?.get(e.key);
        if (start === undefined) {
          if (def.optional) continue;
          throw new Error(`${def.name}: ${e.key} ended without a start`);
        }
        open?.delete(e.key);
        if (outcome === 'success') this.onSuccess?.(def.name, e.key, start, e.at);
        if (this.sink !== undefined) this.sink(def.name, e.at - start, outcome);
        else this.samples.push({ metric: def.name, key: e.key, start, end: e.at, outcome });
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
