import type { Micros } from '../../kernel/index.ts';
import type { UserConfig, SystemId } from '../config.ts';
import type { McId } from '../protocol/identity.ts';
import type { McMessage } from '../protocol/messages.ts';
import type { Outcome, ProbeEvent } from '../measure/probes.ts';
import type { CallRequest, Leg } from './call-book.ts';

/**
 * What the parts of a client (private calls, key ring, migration, service continuity, group
 * calls) use of the client that owns them. A part holds its client by this type, and reaches
 * another part by one of the small interfaces below, so that only client.ts, which makes the
 * parts, imports them.
 */
export interface ClientHost {
  /** The user's name, which is the client's address. */
  readonly name: string;
  readonly user: UserConfig;
  readonly primaryId: McId;
  /** The ID the user communicates with now: primary, or partner-issued while migrated. */
  currentId: McId;
  /** The system whose server serves the UE now. */
  serving: SystemId;
  registered: boolean;
  /** The address of the serving system's server. */
  readonly server: string;
  readonly now: Micros;
  send(to: string, msg: McMessage): void;
  /** Sends a request and waits for the message with the same procId, or times out. */
  request(
    to: string,
    msg: McMessage & { procId: string },
    onResponse: (msg: McMessage, from: string) => void,
    onTimeout: () => void,
  ): void;
  emit(event: ProbeEvent): void;
  /** Internal work (SAKKE, ECCSI) that holds one of the UE's workers. */
  work(kind: string, then: () => void): void;
}

/** What the private calls need of the key ring: the callee's KMS URI, with that KMS's certificate held. */
export interface KmsKeys {
  /** Calls `done(kmsUri)` once the URI and its certificate are held, or `fail(outcome)`. */
  ensure(
    key: string,
    target: McId,
    hint: string | undefined,
    done: (kmsUri: string) => void,
    fail: (o: Outcome) => void,
  ): void;
}

/** A migrated callee's partner ID, and the KMS URI its redirection named, as a caller keeps them. */
export interface KeptId {
  readonly partnerId: McId;
  readonly kmsUri: string | undefined;
}

/** The partner IDs a caller keeps after redirections, by the callee's primary ID (`calls.redirectionMemory`). */
export interface KeptIds {
  get(primaryId: McId, now: Micros): KeptId | undefined;
  keep(primaryId: McId, partnerId: McId, kmsUri: string | undefined, now: Micros): void;
  forget(primaryId: McId): void;
}

/** The client as its private calls see it. */
export interface PrivateCallsHost extends ClientHost {
  readonly keys: KmsKeys;
  /** Kept partner IDs; asked only when `calls.redirectionMemory` is on. */
  readonly keptIds: KeptIds;
  /** Counts a release reason a peer gave (the client keeps the counts: it lets go of the calls part between calls). */
  countRelease(reason: string): void;
  /** Lets go of the calls part if it holds nothing; asked once a flow or timer of the part has been handled. */
  releaseIdleCalls(): void;
}

/** What service continuity needs of the private calls: to end them in the old system and call again from the new. */
export interface OngoingPrivateCalls {
  abortSetups(): void;
  connectedLegs(): Leg[];
  releaseLeg(callId: string, reason?: 'release due to migration', done?: () => void): boolean;
  dropLeg(callId: string): void;
  start(req: CallRequest): void;
}

/** What service continuity needs of the group calls: to leave the groups in the old system and join again. */
export interface GroupMembership {
  readonly affiliated: ReadonlySet<McId>;
  /** Group calls the client takes part in: group -> call id. */
  readonly inCall: ReadonlyMap<McId, string>;
  affiliate(
    groupId: McId,
    opts?: { lateEntry?: boolean; onMedia?: (o: Outcome) => void },
    done?: (o: Outcome) => void,
  ): void;
  deaffiliate(groupId: McId, done?: (o: Outcome) => void, via?: string): void;
  forget(groupId: McId): void;
}

export interface MigrationPlan {
  to: SystemId;
  profile: string;
}

export type MigrationResult = { ok: true } | { ok: false; outcome: Outcome; failedAt: string };

/** What service continuity needs of the migration procedure. */
export interface MigrationRunner {
  /** `leaving` is the system the UE registered in before, when it already attached elsewhere. */
  run(plan: MigrationPlan, done: (r: MigrationResult) => void, leaving?: SystemId): void;
}

/** The client as service continuity sees it: its private calls, its groups and its migration. */
export interface ContinuityHost extends ClientHost {
  readonly calls: OngoingPrivateCalls;
  readonly groups: GroupMembership;
  readonly migration: MigrationRunner;
}
