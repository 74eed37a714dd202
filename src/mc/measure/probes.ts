import type { Micros } from '../../kernel/index.ts';

/** How a measured interval ended (docs/domain.md section 5): a failure is counted by kind, never as a made-up 0 ms. */
export type Outcome =
  | 'success'
  | 'rejected'
  | 'timeout'
  | 'lost'
  | 'unreachable'
  | 'no-permitted-kms'
  | 'cert-unavailable'
  | 'krr-exhausted'
  | 'aborted'
  /** A group call request that found the group's call ongoing and joined it (24.379 rejoin). */
  | 'joined'
  /** A press on a group the UE is not affiliated to (it left it to migrate, say): nothing is sent (23.379 10.6.2.3.1.1.2 pre-condition). */
  | 'not-affiliated'
  /** A kept partner ID reached a partner that no longer serves the user (A51). */
  | 'stale-id';

/** Procedures measured as request -> response at the initiator. */
export type ProcedureName =
  | 'registration'
  | 'profile.retrieval'
  | 'authentication'
  | 'affiliation'
  | 'deaffiliation'
  | 'migration.authorization'
  | 'migration.deauthorization'
  | 'migration.key_provisioning'
  | 'kms.lookup'
  | 'kms.cert';

/**
 * The set-up metric of a one-to-one communication, one per service and kind, named for what it
 * measures (docs/domain.md section 5): the 22.179 MCPTT KPIs read only the MCPTT one.
 */
export type SetupMetric =
  | 'private_call.setup'
  | 'video_call.setup'
  | 'sds.delivery'
  | 'sds_session.setup'
  | 'file_distribution.setup'
  | 'ipcon.setup';

/**
 * What actors report. Each event names one moment of a procedure; `key` ties the moments of
 * one instance together (a call attempt id, a procedure id), and matches the ids in the trace.
 */
export type ProbeEvent =
  | { type: 'callSetupStarted'; key: string; metric: SetupMetric; user: string; at: Micros }
  | { type: 'redirectionReceived'; key: string; at: Micros }
  | { type: 'callEstablished'; key: string; metric: SetupMetric; at: Micros }
  | { type: 'callFailed'; key: string; metric: SetupMetric; outcome: Outcome; at: Micros }
  /** A call placed to a kept partner ID, and how that ID was answered. */
  | { type: 'keptIdUsed'; key: string; at: Micros }
  | { type: 'keptIdEnded'; key: string; outcome: Outcome; at: Micros }
  /** The sender of a file distribution has the recipient's download completed report. */
  | { type: 'fileDelivered'; key: string; at: Micros }
  | { type: 'keyDiscoveryStarted'; key: string; at: Micros }
  | { type: 'keyDiscoveryEnded'; key: string; outcome: Outcome; at: Micros }
  | { type: 'procedureStarted'; procedure: ProcedureName; key: string; at: Micros }
  | { type: 'procedureEnded'; procedure: ProcedureName; key: string; outcome: Outcome; at: Micros }
  | { type: 'groupCallStarted'; key: string; at: Micros }
  | { type: 'groupCallFloorGranted'; key: string; at: Micros }
  | { type: 'groupCallFailed'; key: string; outcome: Outcome; at: Micros }
  /** A participant's press in its group's ongoing call: a Floor Request (24.380), answered apart from set-up. */
  | { type: 'floorRequested'; key: string; at: Micros }
  | { type: 'floorRequestEnded'; key: string; outcome: Outcome; at: Micros }
  | { type: 'lateEntryStarted'; key: string; at: Micros }
  | { type: 'lateEntryMedia'; key: string; at: Micros }
  /** A message found its UE idle (access with `rrc`): the network pages it (`paging`) or the UE sets a connection up. */
  | { type: 'rrcConnecting'; key: string; user: string; paging: boolean; at: Micros }
  | { type: 'rrcConnected'; key: string; at: Micros }
  | { type: 'interruptionStarted'; key: string; at: Micros }
  | { type: 'interruptionEnded'; key: string; outcome: Outcome; at: Micros };

export type ProbeListener = (event: ProbeEvent) => void;

/** One typed bus per simulation; behaviour emits, recorders subscribe. */
export class ProbeBus {
  private readonly listeners: ProbeListener[] = [];

  subscribe(listener: ProbeListener): void {
    this.listeners.push(listener);
  }

  emit(event: ProbeEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}
