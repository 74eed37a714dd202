import type { Service, Commencement, DataCommunication } from '../config.ts';
import type { EventHandle, Micros } from '../../kernel/index.ts';
import type { McId } from '../protocol/identity.ts';
import type { Outcome, SetupMetric } from '../measure/probes.ts';

/** What one client remembers of its private calls: the request, the attempt, the dialogs. */

export interface CallRequest {
  peer: string;
  service: Service;
  commencement: Commencement;
  floorControl: boolean;
  /** For service mcdata: the communication (a standalone SDS when absent) and a file distribution's file size. */
  data?: DataCommunication;
  fileBytes?: number;
  hangUpAfter?: Micros;
  /** Call this ID instead of the peer's primary ID (e.g. after a migration, the last one known). */
  target?: McId;
  /** Told how the attempt ended (e.g. by the migration this call re-establishes). */
  onDone?: (outcome: Outcome) => void;
}

/** Whose attempt it is, as the set-up timer's handler, one for all attempts, reaches it. */
export interface AttemptOwner {
  setupTimedOut(a: Attempt): void;
}

/** The caller's side of one private call, across redirection and KRR retries (one metric sample). */
export interface Attempt {
  readonly calls: AttemptOwner;
  readonly key: string;
  readonly req: CallRequest;
  /** What its set-up is measured as: the service's own metric. */
  readonly metric: SetupMetric;
  callId: string;
  tries: number;
  target: McId;
  kmsHint?: string;
  krrRounds: number;
  redirected: boolean;
  /** Calling a kept partner ID: the callee's primary ID, to fall back on when the ID went stale. */
  kept: McId | undefined;
  /** A file distribution over HTTP: the content reference of the uploaded file (23.282 7.5.2.2). */
  url?: string;
  /** The floor (or transmission) grant arrived before the final response. */
  granted: boolean;
  state: AttemptState;
  /**
   * The user gives up when the call is not set up in time (`calls.setupTimeout`), redirection,
   * KRR rounds and all: a timer of the model, not of 24.379.
   */
  setupTimer: EventHandle;
}

/**
 * Where the caller's attempt stands. Two names are private call control states of 24.379
 * 11.2.2.3, which that clause defines for off-network calls: on-network the situations are the
 * same, with SIP flows in place of its messages.
 * - preparing: the E2EE work of 33.180 E.3 (key discovery, PCK encapsulation and signing)
 *   before the request goes out, which 24.379 has no state for.
 * - waiting for call response (P2, 11.2.2.3.3): the request is out and its final answer awaited.
 * - awaiting floor grant: accepted, the implicit floor request not yet granted: the end of the
 *   floor participant's 'U: pending Request' (24.380 6.2.1, 6.2.4).
 * - part of ongoing call (P4, 11.2.2.3.5): established.
 * - failed: given up, its outcome reported.
 */
export type AttemptState =
  'preparing' | 'waiting for call response' | 'awaiting floor grant' | 'part of ongoing call' | 'failed';

/** A signalling dialog this client takes part in. */
export interface Leg {
  readonly callId: string;
  readonly role: 'caller' | 'callee';
  readonly peer: McId;
  readonly service: Service;
  /** The server the dialog runs through: a release goes there even after the UE moved. */
  readonly server: string;
  state: LegState;
  attempt?: Attempt;
  commencement?: Commencement;
  floorControl?: boolean;
  /** An MCData communication with a session: which one, and a file distribution's file size. */
  data?: DataCommunication;
  fileBytes?: number;
  /** When this callee sent its accept: its retransmissions give up 64*T1 later. */
  acceptedAt?: Micros;
}

/**
 * Where a dialog stands at this client, named after the private call control states of 24.379
 * 11.2.2.3 (off-network there; on-network the situations are the same, with SIP flows).
 * - waiting for call response (P2, 11.2.2.3.3): the caller's request is out.
 * - pending (P5, 11.2.2.3.6): the callee has the request and has not accepted it yet (its E2EE
 *   checks, the user's answer).
 * - part of ongoing call (P4, 11.2.2.3.5): accepted; only from here is a dialog released.
 * - waiting for release response (P3, 11.2.2.3.4): this side sent the release and awaits the answer.
 */
export type LegState =
  'waiting for call response' | 'pending' | 'part of ongoing call' | 'waiting for release response';

/** What `legs` shows for a client with no dialogs (it keeps no Map of its own then). */
const NO_LEGS: ReadonlyMap<string, Leg> = new Map();

/**
 * The bookkeeping of one client's private calls; the procedures build on it (call-release.ts,
 * callee.ts, private-calls.ts). Every collection is made on first use and dropped when it
 * empties, and the client lets go of the whole book once it is `idle`: nearly every user of a
 * large population is idle at any moment, and a call's new book then lies in memory with its
 * dialog and attempt instead of out of the cache.
 *
 * A client mostly has one dialog and one attempt at a time, kept in a field of their own; a Map
 * or Set holds them only while there are two or more, since every message looks up its dialog
 * and a collection is two more objects to reach.
 */
export class CallBook {
  /** The only dialog, when there is just one (legMap is then undefined). */
  private soleLeg: Leg | undefined = undefined;
  /** Dialogs by call id, in the order they began, when there are two or more. */
  private legMap: Map<string, Leg> | undefined = undefined;
  /** The only attempt being set up (from PTT press to established or failed), when there is just one. */
  private soleAttempt: Attempt | undefined = undefined;
  /** The attempts being set up, in the order they began, when there are two or more. */
  private attempts: Set<Attempt> | undefined = undefined;
  /** Releases under way: what to do when each ends (answered or timed out). */
  private releaseWaiters: Map<string, () => void> | undefined = undefined;
  private unconfirmed: Set<string> | undefined = undefined;
  private abandonedDialogs: Map<string, McId> | undefined = undefined;

  /**
   * Holds nothing a new book would not: no dialog, attempt, release under way, unconfirmed
   * release or abandoned dialog. The client then lets go of it (Client.releaseIdleCalls).
   */
  get idle(): boolean {
    return (
      this.soleLeg === undefined &&
      this.legMap === undefined &&
      this.soleAttempt === undefined &&
      this.attempts === undefined &&
      this.releaseWaiters === undefined &&
      (this.unconfirmed === undefined || this.unconfirmed.size === 0) &&
      (this.abandonedDialogs === undefined || this.abandonedDialogs.size === 0)
    );
  }

  /** The dialogs this client takes part in, by call id (a copy when there is one). */
  get legs(): ReadonlyMap<string, Leg> {
    const sole = this.soleLeg;
    return sole !== undefined ? new Map([[sole.callId, sole]]) : (this.legMap ?? NO_LEGS);
  }

  /** The dialog of `callId`, if this client takes part in it. */
  leg(callId: string): Leg | undefined {
    const sole = this.soleLeg;
    if (sole !== undefined) return sole.callId === callId ? sole : undefined;
    return this.legMap?.get(callId);
  }

  /** The dialogs in the order they began, as a list of their own (releasing one changes them). */
  protected legList(): Leg[] {
    const sole = this.soleLeg;
    return sole !== undefined ? [sole] : this.legMap === undefined ? [] : [...this.legMap.values()];
  }

  /** Adds a dialog, or replaces the one of the same call id where it stands (as Map.set). */
  protected addLeg(leg: Leg): void {
    const sole = this.soleLeg;
    if (this.legMap === undefined && (sole === undefined || sole.callId === leg.callId)) {
      this.soleLeg = leg;
      return;
    }
    if (sole !== undefined) {
      this.legMap = new Map([[sole.callId, sole]]);
      this.soleLeg = undefined;
    }
    (this.legMap as Map<string, Leg>).set(leg.callId, leg);
  }

  /** True when the dialog was there. */
  protected removeLeg(callId: string): boolean {
    const sole = this.soleLeg;
    if (sole !== undefined) {
      if (sole.callId !== callId) return false;
      this.soleLeg = undefined;
      return true;
    }
    const legs = this.legMap;
    if (legs === undefined || !legs.delete(callId)) return false;
    if (legs.size === 1) {
      this.soleLeg = legs.values().next().value;
      this.legMap = undefined;
    }
    return true;
  }

  protected addAttempt(a: Attempt): void {
    const sole = this.soleAttempt;
    if (this.attempts === undefined && (sole === undefined || sole === a)) {
      this.soleAttempt = a;
      return;
    }
    if (sole !== undefined) {
      this.attempts = new Set([sole]);
      this.soleAttempt = undefined;
    }
    (this.attempts as Set<Attempt>).add(a);
  }

  protected removeAttempt(a: Attempt): void {
    if (this.soleAttempt !== undefined) {
      if (this.soleAttempt === a) this.soleAttempt = undefined;
      return;
    }
    const attempts = this.attempts;
    if (attempts === undefined || !attempts.delete(a)) return;
    if (attempts.size === 1) {
      this.soleAttempt = attempts.values().next().value;
      this.attempts = undefined;
    }
  }

  /** The attempts being set up now, as a list of their own (failing one changes the set). */
  protected attemptsNow(): Attempt[] {
    const sole = this.soleAttempt;
    return sole !== undefined ? [sole] : this.attempts === undefined ? [] : [...this.attempts];
  }

  protected awaitRelease(callId: string, waiter: () => void): void {
    (this.releaseWaiters ??= new Map()).set(callId, waiter);
  }

  /** Runs `then` once the release of `callId` under way has ended (at once when none is). */
  protected afterRelease(callId: string, then: () => void): void {
    const waiter = this.releaseWaiters?.get(callId);
    if (this.releaseWaiters === undefined || waiter === undefined) return then();
    this.releaseWaiters.set(callId, () => {
      waiter();
      then();
    });
  }

  /** The release of `callId` ended (answered or timed out): its waiter, if any, is told once. */
  protected released(callId: string): void {
    const waiters = this.releaseWaiters;
    const waiter = waiters?.get(callId);
    if (waiters === undefined || waiter === undefined) return;
    waiters.delete(callId);
    if (waiters.size === 0) this.releaseWaiters = undefined;
    waiter();
  }

  /** Releases whose call end request went unanswered (lost): the peer may still hold the dialog. */
  get unconfirmedReleases(): Set<string> {
    return (this.unconfirmed ??= new Set());
  }

  /** Dialogs given up while their request was out: a late accept must still be released. */
  protected get abandoned(): Map<string, McId> {
    return (this.abandonedDialogs ??= new Map());
  }

  protected abandonedPeer(callId: string): McId | undefined {
    return this.abandonedDialogs?.get(callId);
  }
}
