import { SIP_GIVE_UP } from '../../net/index.ts';
import { ANSWER_OF, type DataSetupType, type MessageOf } from '../protocol/messages.ts';
import { CallRelease } from './call-release.ts';
import { after } from '../measure/waits.ts';

/**
 * The callee's side of private calls at one client: answering a call, automatically or after
 * the user's answer (23.379 10.7.2.2.1 / 10.7.2.2.2), and delivering SDS (23.282 7.4.2.2), each
 * after the E2EE checks of 33.180 E.3.
 */
export class CalleeCalls extends CallRelease {
  /** 23.379 10.7.2.2.2 (manual) / 10.7.2.2.1 (automatic) at the callee. */
  protected onIncoming(m: MessageOf<'PrivateCallRequest'>): void {
    const c = this.client;
    this.addLeg({
      callId: m.callId,
      role: 'callee',
      peer: m.caller,
      service: m.service,
      server: c.server,
      state: 'pending',
      commencement: m.commencement,
      floorControl: m.floorControl,
    });
    // Callee side of 33.180 E.3: verify the ECCSI signature, then SAKKE-decapsulate the PCK.
    // Anonymous arrows, not named closures: tsx keeps function names, a property store per closure.
    if (m.e2ee) c.work('eccsi-verify', () => c.work('sakke-decapsulate', () => this.answer(m)));
    else this.answer(m);
  }

  /** Automatic commencement accepts at once; manual alerts the user, who answers after a while. */
  private answer(m: MessageOf<'PrivateCallRequest'>): void {
    if (m.commencement === 'automatic') return void this.accept(m);
    const c = this.client;
    c.send(c.server, { type: 'PrivateCallRinging', callId: m.callId, target: m.caller });
    const delay = this.ctx.config.calls.answerDelay.sample(this.ctx.streams.stream(`user/${c.name}/answer`));
    after(this.ctx.sim, delay, 'human', CalleeCalls.acceptLater, { calls: this, m });
  }

  // Static, with its owner in the event's argument: no closure made per call.
  private static acceptLater(r: { calls: CalleeCalls; m: MessageOf<'PrivateCallRequest'> }): void {
    r.calls.accept(r.m);
    r.calls.client.releaseIdleCalls();
  }

  /** Accepts a call or an MCData communication whose leg the callee still holds; false when it has gone. */
  protected accept(m: MessageOf<'PrivateCallRequest' | DataSetupType>): boolean {
    const leg = this.leg(m.callId);
    if (leg === undefined) return false;
    leg.state = 'part of ongoing call';
    leg.acceptedAt = this.ctx.sim.now;
    const c = this.client;
    c.send(c.server, {
      type: ANSWER_OF[m.type],
      callId: m.callId,
      target: m.caller,
      result: 'accepted',
      responder: c.currentId,
    });
    return true;
  }

  /**
   * RFC 3261 13.3.1.4: the callee sends its 2xx again until the caller's ACK comes, and ends the
   * dialog with a BYE if none has come in 64*T1 (off-network, 24.379's TFP4 resends the accept
   * the same way). The model carries no ACK, so it assumes one comes unless the accept will never
   * reach the caller: lost for good on any hop, or refused by a crashed node on the way (the
   * sending actor tells it). It acts when those retransmissions end.
   */
  acceptUndelivered(callId: string): void {
    const at = this.leg(callId)?.acceptedAt;
    if (at === undefined) return;
    // A plain event (measure/waits.ts): it ends a dialog nobody holds, on no measured path, and
    // a link back would keep the call's records alive for 64*T1.
    this.ctx.sim.scheduleAt(Math.max(this.ctx.sim.now, at + SIP_GIVE_UP), CalleeCalls.unacknowledged, {
      calls: this,
      callId,
    });
  }

  private static unacknowledged(r: { calls: CalleeCalls; callId: string }): void {
    r.calls.releaseLeg(r.callId);
    r.calls.client.releaseIdleCalls();
  }

  /** 23.282 7.4.2.2: deliver and report delivery (disposition notification). */
  protected onIncomingData(m: MessageOf<'SdsMessage'>): void {
    const c = this.client;
    if (m.e2ee) c.work('eccsi-verify', () => c.work('sakke-decapsulate', () => this.report(m)));
    else this.report(m);
  }

  private report(m: MessageOf<'SdsMessage'>): void {
    const c = this.client;
    c.send(c.server, { type: 'SdsDeliveryReport', callId: m.callId, target: m.caller });
  }
}
