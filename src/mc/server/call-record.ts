import { SIP_GIVE_UP } from '../../net/index.ts';
import type { Service } from '../config.ts';
import type { Actor } from '../actor.ts';
import type { McId } from '../protocol/identity.ts';
import type { MessageOf, SetupAnswer } from '../protocol/messages.ts';

/** A private call (or MCData communication) as one server sees it: it may serve the caller, the callee, or both. */
export interface CallRecord {
  callId: string;
  caller: McId;
  callee: McId;
  service: Service;
  /** How a refusal of this set-up is answered (23.379 private call response, or the MCData answer). */
  answer: SetupAnswer['type'];
  /**
   * The parties' clients registered here, as the registrations were at epoch `resolvedAt`. The
   * caller's is set where this server serves the caller: it then holds the controlling role (floor).
   */
  callerClient?: Actor;
  calleeClient?: Actor;
  resolvedAt: number;
  grantsFloor: boolean;
  /** Set-up until the callee accepts: a record still in set-up when SIP's Timer B would fire is dropped. */
  state: 'setup' | 'connected';
  /** When a release of the call passed this server (PrivateCallControl.closing). */
  closedAt?: number;
}

/** A set-up this server refuses, answered to the caller in the callee's stead. */
export function refusal(type: SetupAnswer['type'], callId: string, caller: McId, reason: string): SetupAnswer {
  return { type, callId, target: caller, result: 'rejected', reason };
}

/** The release that ends a dialog of this answer's kind: 23.379 call end, or 23.282 7.7.2.2.2 communication release. */
export function releaseOf(
  answer: SetupAnswer['type'],
  callId: string,
  target: McId,
  sender: McId,
): MessageOf<'CallEndRequest' | 'CommunicationReleaseRequest'> {
  const type = answer === 'PrivateCallResponse' ? 'CallEndRequest' : 'CommunicationReleaseRequest';
  return { type, callId, target, sender };
}

/**
 * Records of calls whose release passed a server, in the order they passed, until its answer
 * passes back or SIP would have given the release up (64*T1): the answer goes to the node the
 * record resolved for the releaser, not looked up in the registrations, a table of every user
 * that a large population keeps out of the cache. Only a shortcut: the server checks the
 * registration epoch, and an answer that finds no record here is looked up.
 */
export class ClosingCalls {
  private readonly byId = new Map<string, CallRecord>();

  add(record: CallRecord, now: number): void {
    for (const [callId, r] of this.byId) {
      if (now - (r.closedAt as number) < SIP_GIVE_UP) break;
      this.byId.delete(callId);
    }
    record.closedAt = now;
    this.byId.set(record.callId, record);
  }

  /** The record of `callId` if its release passed here, which it no longer holds. */
  take(callId: string): CallRecord | undefined {
    const record = this.byId.get(callId);
    this.byId.delete(callId);
    return record;
  }

  get size(): number {
    return this.byId.size;
  }

  clear(): void {
    this.byId.clear();
  }
}
