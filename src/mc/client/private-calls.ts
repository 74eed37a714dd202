import { SIP_GIVE_UP } from '../../net/index.ts';
import type { Ctx } from '../actor.ts';
import { dispatch, type Routes } from '../protocol/dispatch.ts';
import { primaryIdOf, type McId } from '../protocol/identity.ts';
import type { MessageOf, PrivateCallMessage } from '../protocol/messages.ts';
import type { Outcome } from '../measure/probes.ts';
import { CallBook, type Attempt, type CallRequest, type Leg } from './call-book.ts';
import type { PrivateCallsHost } from './host.ts';

/**
 * Private calls of one client: MCPTT (23.379 10.7.2.2), MCVideo (23.281 7.2.2.3), MCData SDS
 * (23.282 7.4.2.2), the redirection towards a migrated callee (23.280 10.16.5.3) and the E2EE
 * preparation of 33.180 (key discovery, SAKKE/ECCSI work, KRR retries).
 */
export class PrivateCalls extends CallBook {
  /**
   * Timer handlers are static, with their owner in the event's argument, not arrow fields: an
   * arrow field is two closures per PrivateCalls, and the transform that runs the sources
   * (tsx, keeping function names) gives every named closure a property store of ~250 bytes.
   */
  private static releaseTimedOut(r: { calls: PrivateCalls; callId: string }): void {
    r.calls.releaseTimedOut(r.callId);
    r.calls.client.releaseIdleCalls();
  }

  private releaseTimedOut(callId: string): void {
    if (!this.removeLeg(callId)) return;
    this.unconfirmedReleases.add(callId);
    this.released(callId);
  }

  private static expire(a: Attempt): void {
    a.calls.setupTimedOut(a);
  }

  setupTimedOut(a: Attempt): void {
    this.fail(a, 'timeout');
    this.client.releaseIdleCalls();
  }

  constructor(
    private readonly client: PrivateCallsHost,
    private readonly ctx: Ctx,
  ) {
    super();
  }

  private get e2ee(): boolean {
    return this.ctx.config.security.e2ee;
  }

  /** 10.16.5.3 step 1 / 10.7.2.2.1 step 1: the user presses PTT towards a peer. */
  start(req: CallRequest): Attempt {
    const c = this.client;
    const key = this.ctx.nextId('call');
    const target = req.target ?? this.primaryIdOfPeer(req.peer);
    const a: Attempt = {
      calls: this,
      key,
      req,
      callId: key,
      tries: 0,
      target,
      krrRounds: 0,
      redirected: false,
      granted: false,
      state: 'preparing',
      timer: -1,
    };
    a.timer = this.ctx.sim.schedule(this.ctx.config.calls.setupTimeout, PrivateCalls.expire, a);
    this.addAttempt(a);
    c.emit({ type: 'callSetupStarted', key, user: c.name, at: c.now });
    this.prepare(a);
    return a;
  }

  /** The peer's primary ID; a name no user has is taken to be of the caller's own system. */
  private primaryIdOfPeer(name: string): McId {
    const peer = this.ctx.users.get(name);
    return peer === undefined ? primaryIdOf(name, this.client.user.primary) : primaryIdOf(peer.name, peer.primary);
  }

  /** With E2EE: key discovery, then PCK encapsulation and signing (33.180 E.3), then the request. */
  private prepare(a: Attempt): void {
    a.state = 'preparing';
    a.callId = a.tries === 0 ? a.key : `${a.key}.${a.tries}`;
    a.granted = false;
    a.tries++;
    if (!this.e2ee) return this.sendRequest(a, undefined);
    this.client.keys.ensure(
      a.key,
      a.target,
      a.kmsHint,
      (uri) =>
        this.client.work('sakke-encapsulate', () => this.client.work('eccsi-sign', () => this.sendRequest(a, uri))),
      (o) => this.fail(a, o),
    );
  }

  private sendRequest(a: Attempt, kmsUri: string | undefined): void {
    if (a.state !== 'preparing') return;
    const c = this.client;
    a.state = 'calling';
    this.addLeg({
      callId: a.callId,
      role: 'caller',
      peer: a.target,
      service: a.req.service,
      server: c.server,
      state: 'setup',
      attempt: a,
      commencement: a.req.commencement,
      floorControl: a.req.floorControl,
    });
    const common = {
      callId: a.callId,
      target: a.target,
      caller: c.currentId,
      e2ee: this.e2ee,
      ...(kmsUri === undefined ? {} : { kmsUri }),
    };
    if (a.req.service === 'mcdata') {
      c.send(c.server, { type: 'SdsMessage', ...common, payloadBytes: 200 });
      return;
    }
    c.send(c.server, {
      type: 'PrivateCallRequest',
      ...common,
      service: a.req.service,
      commencement: a.req.commencement,
      floorControl: a.req.floorControl,
      implicitFloorRequest: a.req.floorControl,
    });
  }

  receive(m: PrivateCallMessage): void {
    dispatch(PrivateCalls.routes, this, m, this.leg(m.callId));
  }

  /** Flows on the callee's side and releases first; the rest answers an attempt this client made. */
  private static readonly routes: Routes<PrivateCalls, PrivateCallMessage['type'], Leg | undefined> = {
    PrivateCallRequest: (p, m) => p.onIncoming(m),
    SdsMessage: (p, m) => p.onIncomingData(m),
    CallEndRequest: (p, m, leg) => {
      // 10.7.2.2.3.1: the peer releases; answer and drop the dialog. For a dialog this
      // client does not have (its request was lost), answer all the same, as SIP's 481 does,
      // so that the servers on the path close their records.
      if (leg !== undefined) p.client.countRelease(m.reason ?? 'unspecified');
      p.removeLeg(m.callId);
      p.client.send(leg?.server ?? p.client.server, { type: 'CallEndResponse', callId: m.callId, target: m.sender });
    },
    CallEndResponse: (p, m) => {
      p.removeLeg(m.callId);
      p.released(m.callId);
    },
    FloorTaken: () => undefined,
    PrivateCallRinging: PrivateCalls.callerSide((_p, a) => {
      a.state = 'ringing';
    }),
    PrivateCallResponse: PrivateCalls.callerSide((p, a, m) => {
      if (m.result !== 'accepted')
        return p.fail(a, m.reason === 'unreachable' ? 'unreachable' : m.reason === 'timeout' ? 'timeout' : 'rejected');
      (p.leg(a.callId) as Leg).state = 'connected';
      // Implicit floor request: the call is usable once the floor (MCVideo: transmission) is
      // granted. The grant rides the media plane and may overtake the response.
      if (a.req.floorControl && a.req.service !== 'mcdata' && !a.granted) a.state = 'awaiting-grant';
      else p.establish(a);
    }),
    FloorGranted: PrivateCalls.callerSide((p, a) => p.onGrant(a)),
    TransmissionGranted: PrivateCalls.callerSide((p, a) => p.onGrant(a)),
    SdsDeliveryReport: PrivateCalls.callerSide((p, a) => {
      p.removeLeg(a.callId);
      p.establish(a);
    }),
    PrivateCallRedirection: PrivateCalls.callerSide((p, a, m) => {
      // 10.16.5.3 step 3: release the first request, call the ID the migrated system assigned.
      p.removeLeg(a.callId);
      if (a.redirected) return p.fail(a, 'rejected');
      a.redirected = true;
      p.client.emit({ type: 'redirectionReceived', key: a.key, at: p.client.now });
      a.target = m.calleePartnerId;
      a.kmsHint = m.kmsUri;
      p.prepare(a);
    }),
    KmsRedirectResponse: PrivateCalls.callerSide((p, a, m) => {
      // 33.180 5.2.8: rebuild the I_MESSAGE for a KMS the callee accepts, a bounded number of times.
      p.removeLeg(a.callId);
      if (++a.krrRounds > p.ctx.config.security.maxKrrRounds) return p.fail(a, 'krr-exhausted');
      a.kmsHint = m.kmsUris[0];
      p.prepare(a);
    }),
  };

  /** A handler of an answer to the caller's current attempt; stale answers go to `closeStale`. */
  private static callerSide<T extends PrivateCallMessage>(
    handle: (p: PrivateCalls, a: Attempt, m: T) => void,
  ): (p: PrivateCalls, m: T, leg: Leg | undefined) => void {
    return (p, m, leg) => {
      const a = leg?.attempt;
      // Stale: the attempt already ended (timeout or failure); only an accepted dialog needs closing.
      if (a === undefined || a.callId !== m.callId) return p.closeStale(m);
      handle(p, a, m);
    };
  }

  private onGrant(a: Attempt): void {
    if (a.state === 'awaiting-grant') this.establish(a);
    else a.granted = true;
  }

  private establish(a: Attempt): void {
    const c = this.client;
    a.state = 'established';
    this.removeAttempt(a);
    this.ctx.sim.cancel(a.timer);
    c.emit({ type: 'callEstablished', key: a.key, at: c.now });
    a.req.onDone?.('success');
    if (a.req.hangUpAfter !== undefined && a.req.service !== 'mcdata') {
      this.ctx.sim.schedule(a.req.hangUpAfter, PrivateCalls.hangUp, { calls: this, callId: a.callId });
    }
  }

  private fail(a: Attempt, outcome: Outcome): void {
    if (a.state === 'established' || a.state === 'failed') return;
    a.state = 'failed';
    this.removeAttempt(a);
    this.ctx.sim.cancel(a.timer);
    const leg = this.leg(a.callId);
    if (leg !== undefined && (outcome === 'timeout' || outcome === 'aborted')) {
      // Giving up with the request still out: cancel the dialog (SIP CANCEL), so that a callee
      // that accepted meanwhile does not keep a call nobody holds. The request may also reach
      // the callee after the cancel did (retransmitted through a loss burst): its accept then
      // comes later still and must be closed too (RFC 3261 9.1: a 2xx after CANCEL gets a BYE).
      leg.state = 'connected';
      leg.attempt = undefined;
      this.abandoned.set(a.callId, leg.peer);
      this.releaseLeg(a.callId);
    } else {
      if (leg !== undefined) this.abandoned.set(a.callId, leg.peer);
      this.removeLeg(a.callId);
    }
    this.client.emit({ type: 'callFailed', key: a.key, outcome, at: this.client.now });
    a.req.onDone?.(outcome);
  }

  /** A late accept for an attempt already given up: end the dialog so that no call stays half-open. */
  private closeStale(m: PrivateCallMessage): void {
    const peer = this.abandonedPeer(m.callId);
    // A rejection (say, the server's own set-up timeout) does not end the matter: the request
    // may still be on its way to the callee, who may yet accept it.
    if (peer === undefined || m.type !== 'PrivateCallResponse' || m.result !== 'accepted') return;
    // The cancel's release is still under way; it may have reached the callee before the
    // request did, so close what was accepted once that release has ended.
    if (this.leg(m.callId) !== undefined) return this.afterRelease(m.callId, () => this.closeStale(m));
    this.abandoned.delete(m.callId);
    this.addLeg({
      callId: m.callId,
      role: 'caller',
      peer,
      service: 'mcptt',
      server: this.client.server,
      state: 'connected',
    });
    this.releaseLeg(m.callId);
  }

  /** 23.379 10.7.2.2.2 (manual) / 10.7.2.2.1 (automatic) at the callee. */
  private onIncoming(m: MessageOf<'PrivateCallRequest'>): void {
    const c = this.client;
    this.addLeg({
      callId: m.callId,
      role: 'callee',
      peer: m.caller,
      service: m.service,
      server: c.server,
      state: 'setup',
      commencement: m.commencement,
      floorControl: m.floorControl,
    });
    // Callee side of 33.180 E.3: verify the ECCSI signature, then SAKKE-decapsulate the PCK.
    // Continuations are methods or anonymous arrows, not named closures: the transform that
    // runs the sources (tsx, keeping names) sets the name of each named closure at run time,
    // a property store per call.
    if (m.e2ee) c.work('eccsi-verify', () => c.work('sakke-decapsulate', () => this.answer(m)));
    else this.answer(m);
  }

  private answer(m: MessageOf<'PrivateCallRequest'>): void {
    if (m.commencement === 'automatic') return this.accept(m);
    const c = this.client;
    c.send(c.server, { type: 'PrivateCallRinging', callId: m.callId, target: m.caller });
    const delay = this.ctx.config.calls.answerDelay.sample(this.ctx.streams.stream(`user/${c.name}/answer`));
    this.ctx.sim.schedule(delay, PrivateCalls.acceptLater, { calls: this, m });
  }

  private static acceptLater(r: { calls: PrivateCalls; m: MessageOf<'PrivateCallRequest'> }): void {
    r.calls.accept(r.m);
    r.calls.client.releaseIdleCalls();
  }

  private accept(m: MessageOf<'PrivateCallRequest'>): void {
    const leg = this.leg(m.callId);
    if (leg === undefined) return;
    leg.state = 'connected';
    leg.acceptedAt = this.ctx.sim.now;
    const c = this.client;
    c.send(c.server, {
      type: 'PrivateCallResponse',
      callId: m.callId,
      target: m.caller,
      result: 'accepted',
      responder: c.currentId,
    });
    if (this.ctx.net.lastArrive < 0) this.acceptUndelivered(m.callId);
  }

  /**
   * RFC 3261 13.3.1.4: the callee sends its 2xx again until the caller's ACK comes, and ends the
   * dialog with a BYE if none has come in 64*T1. The model carries no ACK, so it acts only on
   * an accept that will never reach the caller [A]: lost for good on the callee's access, or
   * refused by a crashed node on the way (McModel). It acts when those retransmissions end.
   */
  acceptUndelivered(callId: string): void {
    const at = this.leg(callId)?.acceptedAt;
    if (at === undefined) return;
    this.ctx.sim.scheduleAt(Math.max(this.ctx.sim.now, at + SIP_GIVE_UP), PrivateCalls.unacknowledged, {
      calls: this,
      callId,
    });
  }

  private static unacknowledged(r: { calls: PrivateCalls; callId: string }): void {
    r.calls.releaseLeg(r.callId);
    r.calls.client.releaseIdleCalls();
  }

  /** The holding time of an established call ran out: the caller hangs up. */
  private static hangUp(r: { calls: PrivateCalls; callId: string }): void {
    r.calls.releaseLeg(r.callId);
    r.calls.client.releaseIdleCalls();
  }

  /** 23.282 7.4.2.2: deliver and report delivery (disposition notification). */
  private onIncomingData(m: MessageOf<'SdsMessage'>): void {
    const c = this.client;
    if (m.e2ee) c.work('eccsi-verify', () => c.work('sakke-decapsulate', () => this.report(m)));
    else this.report(m);
  }

  private report(m: MessageOf<'SdsMessage'>): void {
    const c = this.client;
    c.send(c.server, { type: 'SdsDeliveryReport', callId: m.callId, target: m.caller });
  }

  /** 23.379 10.7.2.2.3.1: release one dialog, optionally saying why (seed 002). */
  releaseLeg(callId: string, reason?: 'release due to migration', done?: () => void): boolean {
    const leg = this.leg(callId);
    if (leg === undefined || leg.state !== 'connected') return false;
    leg.state = 'releasing';
    // A release that is never answered still ends, at the transaction timer, as a SIP UA
    // ends a dialog whose BYE timed out; the peer then holds a dialog nobody will close.
    const timer = this.ctx.sim.schedule(this.ctx.config.timers.transaction, PrivateCalls.releaseTimedOut, {
      calls: this,
      callId,
    });
    this.awaitRelease(callId, () => {
      this.ctx.sim.cancel(timer);
      done?.();
    });
    this.client.send(leg.server, {
      type: 'CallEndRequest',
      callId,
      target: leg.peer,
      sender: this.client.currentId,
      ...(reason === undefined ? {} : { reason }),
    });
    return true;
  }

  /** Ends a dialog on this side only, when the release cannot be sent at all. */
  dropLeg(callId: string): void {
    if (this.removeLeg(callId)) this.unconfirmedReleases.add(callId);
  }

  /** Gives up every call attempt still being set up (the UE is leaving its system). */
  abortSetups(): void {
    for (const a of this.attemptsNow()) this.fail(a, 'aborted');
  }

  /** Releases every connected dialog; returns the peers released. */
  releaseAll(reason?: 'release due to migration'): McId[] {
    const peers: McId[] = [];
    for (const leg of this.legList()) if (this.releaseLeg(leg.callId, reason)) peers.push(leg.peer);
    return peers;
  }

  connectedLegs(): Leg[] {
    return this.legList().filter((l) => l.state === 'connected');
  }
}
