import type { Ctx } from '../actor.ts';
import type { McId } from '../protocol/identity.ts';
import type { MessageOf } from '../protocol/messages.ts';
import { CallBook, type Leg } from './call-book.ts';
import type { PrivateCallsHost } from './host.ts';
import { after } from '../measure/waits.ts';

/**
 * The end of private calls at one client (23.379 10.7.2.2.3.1): this side releases a dialog and
 * waits for the answer, or the peer releases one and this side answers. The callee's and the
 * caller's sides of a call (callee.ts, private-calls.ts) build on it.
 */
export class CallRelease extends CallBook {
  constructor(
    protected readonly client: PrivateCallsHost,
    protected readonly ctx: Ctx,
  ) {
    super();
  }

  // Timer handlers are static, with their owner in the event's argument: an arrow field would be
  // closures made with every book, and the client makes a book for every call.
  private static releaseTimedOut(r: { calls: CallRelease; callId: string }): void {
    r.calls.releaseTimedOut(r.callId);
    r.calls.client.releaseIdleCalls();
  }

  private releaseTimedOut(callId: string): void {
    if (!this.removeLeg(callId)) return;
    this.unconfirmedReleases.add(callId);
    this.released(callId);
  }

  /**
   * 23.379 10.7.2.2.3.1: release one dialog, saying why when a migration is the cause (23.280
   * 10.16.4 step 3).
   */
  releaseLeg(callId: string, reason?: 'release due to migration', done?: () => void): boolean {
    const leg = this.leg(callId);
    if (leg === undefined || leg.state !== 'part of ongoing call') return false;
    leg.state = 'waiting for release response';
    // A release that is never answered still ends, at the transaction timer, as a SIP UA ends a
    // dialog whose BYE timed out (RFC 3261 17.1.2.2, timer F; off-network, 24.379's TFP3 ends P3
    // the same way). The peer then holds a dialog nobody will close.
    const timer = after(this.ctx.sim, this.ctx.config.timers.transaction, 'timer', CallRelease.releaseTimedOut, {
      calls: this,
      callId,
    });
    this.awaitRelease(callId, () => {
      this.ctx.sim.cancel(timer);
      done?.();
    });
    // An MCData communication ends by the communication release of 23.282 7.7.2.2.2.
    this.client.send(leg.server, {
      type: leg.service === 'mcdata' ? 'CommunicationReleaseRequest' : 'CallEndRequest',
      callId,
      target: leg.peer,
      sender: this.client.currentId,
      ...(reason === undefined ? {} : { reason }),
    });
    return true;
  }

  /**
   * 10.7.2.2.3.1: the peer releases; answer and drop the dialog. For a dialog this client does
   * not have (its request was lost), answer all the same, as SIP's 481 does, so that the
   * servers on the path close their records.
   */
  protected peerReleased(m: MessageOf<'CallEndRequest' | 'CommunicationReleaseRequest'>, leg: Leg | undefined): void {
    if (leg !== undefined) this.client.countRelease(m.reason ?? 'unspecified');
    this.removeLeg(m.callId);
    this.client.send(leg?.server ?? this.client.server, {
      type: m.type === 'CallEndRequest' ? 'CallEndResponse' : 'CommunicationReleaseResponse',
      callId: m.callId,
      target: m.sender,
    });
  }

  /** The answer to this side's release. */
  protected releaseAnswered(callId: string): void {
    this.removeLeg(callId);
    this.released(callId);
  }

  /** Ends a dialog on this side only, when the release cannot be sent at all. */
  dropLeg(callId: string): void {
    if (this.removeLeg(callId)) this.unconfirmedReleases.add(callId);
  }

  /** Releases every connected dialog; returns the peers released. */
  releaseAll(reason?: 'release due to migration'): McId[] {
    const peers: McId[] = [];
    for (const leg of this.legList()) if (this.releaseLeg(leg.callId, reason)) peers.push(leg.peer);
    return peers;
  }

  connectedLegs(): Leg[] {
    return this.legList().filter((l) => l.state === 'part of ongoing call');
  }
}
