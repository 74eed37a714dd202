import type { SystemId } from '../config.ts';
import type { EventHandle, Simulator } from '../../kernel/index.ts';
import type { McId } from '../protocol/identity.ts';
import type { McMessage, MessageOf } from '../protocol/messages.ts';
import type { RecentCalls } from '../protocol/recent-calls.ts';

/** An ongoing group call as its controlling (home) server holds it. */
export interface HomeCall {
  callId: string;
  groupId: McId;
  /** 23.379 10.6.2.3.1.1.3: the initiator leaving the call releases it. */
  initiator: McId;
  /**
   * Who holds the floor: the call is in 'G: Floor Taken' (24.380 6.3.4.4); undefined in
   * 'G: Floor Idle' (6.3.4.3), while T4 runs.
   */
  talker: McId | undefined;
  /**
   * Members served by the home system that the call invited or that joined it: the release
   * goes to each of them, answered or not (a UE without the dialog still answers, as 481).
   */
  local: Set<McId>;
  /** Systems whose servers take part (participating function) besides the home system. */
  participating: Set<SystemId>;
  /**
   * Timer T4 (Inactivity) of the floor control server, running in 'G: Floor Idle' (24.380
   * 6.3.4.3): its expiry is the hang time expiry that releases the call (23.379 10.6.2.3.1.1.3).
   */
  t4: EventHandle | undefined;
}

/** An ongoing group call as a participating server in another system holds it. */
export interface JoinedCall {
  callId: string;
  talker?: McId;
  /** Members this server brought in by late entry itself, awaiting their response. */
  lateEntries: Set<McId>;
  /** Members served here that the call reached through this server: whom a release goes to. */
  participants: Set<McId>;
}

export type FloorMessage = MessageOf<
  'FloorGranted' | 'FloorTaken' | 'FloorIdle' | 'FloorDeny' | 'FloorRequest' | 'FloorRelease'
>;
export type ReleaseMessage = MessageOf<'GroupCallReleaseRequest' | 'GroupCallReleaseResponse'>;

/** What the parts of a server's group control share: its tables and how a flow reaches a member. */
export interface GroupCallTables {
  /** Home role: group -> affiliated member -> the system serving it (23.280 10.8). */
  readonly affiliations: Map<McId, Map<McId, SystemId>>;
  /** Home role: the ongoing call of each group. */
  readonly homeCalls: Map<McId, HomeCall>;
  /** Participating role: the call of each group this server takes part in. */
  readonly joined: Map<McId, JoinedCall>;
  /** Calls a later call of the same group replaced here before their release arrived. */
  readonly superseded: Map<string, JoinedCall>;
  /** Calls released here lately: an invitation or answer of one that the network held up is stale. */
  readonly released: RecentCalls;
  /** To a member: onwards to its system, or to its client here. */
  toMember(member: McId, msg: McMessage & { target: McId }): void;
  /** A member's system, as its ID names it (a partner-issued ID names the partner). */
  systemOf(member: McId): SystemId;
}

/** Stops T4 of a call: the floor is taken, or the call ends (24.380 6.3.3: floor control ends with it). */
export function stopT4(sim: Simulator, call: HomeCall): void {
  if (call.t4 !== undefined) sim.cancel(call.t4);
  call.t4 = undefined;
}
