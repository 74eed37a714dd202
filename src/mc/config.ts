import type { Distribution, Micros } from '../kernel/index.ts';
import type { GilbertElliott, LinkSpec } from '../net/index.ts';

/** An MC system's name (A, B, C...); its domain and node addresses derive from it (protocol/identity.ts). */
export type SystemId = string;
export type Service = 'mcptt' | 'mcvideo' | 'mcdata';
export type Commencement = 'automatic' | 'manual';
/**
 * The one-to-one MCData communication a call of service mcdata is (23.282): a standalone SDS over
 * the signalling plane (7.4.2.2), an SDS session (7.4.2.5), file distribution over HTTP (7.5.2.4)
 * or over the media plane (7.5.2.5), or a point-to-point IP connectivity session (7.14.2.2).
 */
export type DataCommunication = 'sds' | 'sds-session' | 'fd-http' | 'fd-media' | 'ipcon';

/** Functional entities a node can be (docs/domain.md section 2). */
export type Role = 'client' | 'server' | 'gateway' | 'idms' | 'cms' | 'kms';
export const ROLES: readonly Role[] = ['client', 'server', 'gateway', 'idms', 'cms', 'kms'];

export interface ProcessingConfig {
  workers: number;
  default: Distribution;
  /** Per message type or internal task (e.g. `sakke-encapsulate`). */
  byKind: ReadonlyMap<string, Distribution>;
}

/**
 * Radio state of an access link (TS 36.331 5.3, TS 38.331 5.3): a UE is connected until
 * `inactivity` passes without a message to or from it, then idle (with `resume`: inactive). An
 * idle UE sets a connection up before its first uplink message; for downlink traffic the network
 * pages it at its next paging occasion, one per `pagingCycle`, and the set-up follows.
 */
export interface RrcConfig {
  inactivity: Micros;
  pagingCycle: Micros;
  /** RRC connection set-up: random access, RRCSetup (RRCConnectionSetup), service request. */
  setup: Distribution;
  /** RRC resume from RRC_INACTIVE (TS 38.331 5.3.13), replacing `setup` once the UE has been connected. */
  resume?: Distribution;
}

export interface SystemConfig {
  id: SystemId;
  /** Topology hiding: an MC gateway server sits on every inter-system path (10.14.2). */
  hiding: boolean;
  access: LinkSpec;
  core: LinkSpec;
  /** Radio state of the access links of the clients this system serves; none when absent. */
  rrc?: RrcConfig;
  processing: Readonly<Record<Role, ProcessingConfig>>;
  /** Partner's initial check (10.6.3.3.1 step 2): primary systems whose users it accepts. */
  acceptsMigrantsFrom: readonly SystemId[];
  /** Primary's check (step 6): partner systems its users may migrate to. */
  allowsMigrationTo: readonly SystemId[];
  /** External KMSs this system's KMS holds certificates of and may name in a lookup (33.180 5.3). */
  permittedKms: readonly SystemId[];
  /** Whether a partner server sends de-authorization steps 3-10 to the primary (optional in 10.6.3.3.2). */
  deauthorizeTowardsPrimary: boolean;
}

export interface UserConfig {
  name: string;
  primary: SystemId;
  /** Where the user is at t=0; a user starting in a partner system is already migrated there. */
  serving: SystemId;
  /** Migration profiles the user holds; the primary refuses any other (step 6). */
  migrationProfiles: readonly string[];
  /** Users whose migration the primary refuses regardless of profile. */
  migrationForbidden: boolean;
  groups: readonly string[];
  /** The user's own access link (e.g. a wired dispatcher console), instead of the system's radio access. */
  access?: LinkSpec;
  /** The UE's own radio state; null: none (a wired console); absent: its serving system's. */
  rrc?: RrcConfig | null;
}

export interface GroupConfig {
  id: string;
  /** The system whose GMS defines the group and whose server controls its calls. */
  home: SystemId;
}

/**
 * Where a caller finds a migrated callee's KMS URI: in the redirection (23.280 table 10.16.5.2-1),
 * by a KMS discovery lookup (33.180 D.2.7), or preconfigured in its profile (the open question of
 * the editor's note in 23.280 10.16.5.3).
 */
export type KmsUriSource = 'redirection' | 'lookup' | 'profile';

export interface SecurityConfig {
  e2ee: boolean;
  kmsUri: KmsUriSource;
  /** Systems whose KMS certificates clients hold from the start (besides their home KMS's). */
  cachedCertificates: readonly SystemId[];
  /**
   * 33.180 D.2.7 does not say how a Home KMS knows the KMS of a user migrated elsewhere (assumption
   * A18 in docs/domain.md): when true it asks the KMS of the domain that issued the target ID; when
   * false it answers alone.
   */
  kmsLookupFederated: boolean;
  /** Upper bound on KMS redirect (SIP 488 + KRR) rounds before the call fails. */
  maxKrrRounds: number;
  /** The caller's profile names a stale KMS URI for migrated users, provoking a KRR (33.180 5.2.8). */
  staleProfileKmsUri: boolean;
}

export interface CallDefaults {
  service: Service;
  commencement: Commencement;
  floorControl: boolean;
  /** What a call of service mcdata is. */
  mcdata: DataCommunication;
  /** Size of the file a file distribution sends. */
  fileBytes: number;
  /** How long a caller keeps a migrated callee's partner ID after a redirection; 0: not at all. */
  redirectionMemory: Micros;
  answerDelay: Distribution;
  setupTimeout: Micros;
}

export interface TimersConfig {
  /** Guard timer of every request/response exchange an actor starts. */
  transaction: Micros;
  /** Longest a migration interruption is waited for before it ends with outcome timeout. */
  interruption: Micros;
  /**
   * Hang time of group calls: how long the floor of a group call stays idle before its
   * controlling server releases the call (23.379 10.6.2.3.1.1.3, "hang time expiry").
   */
  hangTime: Micros;
}

/** Poisson private-call arrivals between random users (a caller never calls itself). */
export interface PrivateCallLoad {
  kind: 'privateCallLoad';
  at: Micros;
  /** Mean arrivals per second. */
  rate: number;
  duration: Micros;
  /** Who may call and be called; every user when empty. */
  users: readonly string[];
  service: Service;
  commencement: Commencement;
  floorControl: boolean;
  /** For service mcdata: the communication and, for a file distribution, the file's size. */
  data?: DataCommunication;
  fileBytes?: number;
  /** Holding time of each call, drawn per call; held until the run ends when absent. */
  hangUpAfter?: Distribution;
}

/**
 * Poisson group call arrivals: each picks one of `groups` (every group when empty) and
 * one of its members, who presses PTT on it and talks for `holdFor` (drawn per press); the hang
 * timer then releases the call. A press on a group whose call is ongoing joins it (outcome
 * `joined`).
 */
export interface GroupCallLoad {
  kind: 'groupCallLoad';
  at: Micros;
  /** Mean arrivals per second. */
  rate: number;
  duration: Micros;
  groups: readonly string[];
  holdFor: Distribution;
}

/** Poisson jobs that hold a worker of a node: the rest of the traffic a real server carries. */
export interface BackgroundLoad {
  system: SystemId;
  role: Exclude<Role, 'client'>;
  rate: number;
}

/** Faults a timeline can inject, each for a window of simulated time. */
export type Fault =
  | { type: 'linkDown'; between: [string, string] }
  | { type: 'lossBurst'; between: [string, string]; burst: GilbertElliott }
  | { type: 'crash'; node: string }
  | { type: 'mute'; node: string };

export interface FaultAction {
  kind: 'fault';
  at: Micros;
  duration: Micros;
  fault: Fault;
}

export type Action =
  | {
      kind: 'privateCall';
      at: Micros;
      from: string;
      to: string;
      service: Service;
      commencement: Commencement;
      floorControl: boolean;
      /** For service mcdata: the communication and, for a file distribution, the file's size. */
      data?: DataCommunication;
      fileBytes?: number;
      /** Release the call this long after it is established (never when absent). */
      hangUpAfter?: Micros;
    }
  | { kind: 'release'; at: Micros; user: string }
  | { kind: 'migrate'; at: Micros; user: string; to: SystemId; profile: string }
  /** detectMigrationNeed on access loss: armed at `at`, fires when the user's access link goes down. */
  | { kind: 'migrateOnAccessLoss'; at: Micros; user: string; to: SystemId; profile: string }
  | { kind: 'accessLinkDown'; at: Micros; user: string }
  | PrivateCallLoad
  | FaultAction
  | GroupCallLoad
  /** `holdFor`: the talk burst, after which the floor is released; held for good when absent. */
  | { kind: 'groupCall'; at: Micros; from: string; group: string; holdFor?: Micros }
  | { kind: 'affiliate'; at: Micros; user: string; group: string }
  | { kind: 'deaffiliate'; at: Micros; user: string; group: string };

export interface ModelConfig {
  systems: readonly SystemConfig[];
  interconnects: readonly { a: SystemId; b: SystemId; link: LinkSpec }[];
  linkOverrides: readonly { from: string; to: string; link: LinkSpec }[];
  users: readonly UserConfig[];
  groups: readonly GroupConfig[];
  security: SecurityConfig;
  calls: CallDefaults;
  timers: TimersConfig;
  /** Bytes per message type: every type has one (protocol/sizes.ts holds the defaults). */
  sizes: Readonly<Record<string, number>>;
  timeline: readonly Action[];
  background: readonly BackgroundLoad[];
  /** Simulated-time limit of a replication (background load runs until then). */
  until?: Micros;
}
