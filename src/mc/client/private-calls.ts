import { dispatch, type Routes } from '../protocol/dispatch.ts';
import { primaryIdOf, type McId } from '../protocol/identity.ts';
import type { PrivateCallMessage, SetupAnswer } from '../protocol/messages.ts';
import { isAcceptance } from '../protocol/undelivered.ts';
import type { Outcome } from '../measure/probes.ts';
import { setupMetricOf } from '../measure/metrics.ts';
import type { Attempt, CallRequest, Leg } from './call-book.ts';
import { DataCommunications, holdsSession } from './data-communications.ts';
import { keptIdEnded, useKeptId } from './kept-ids.ts';
import { after } from '../measure/waits.ts';

/**
 * Private calls of one client: MCPTT (23.379 10.7.2.2), MCVideo (23.281 7.2.2.3), MCData
 * one-to-one communications (23.282), the redirection towards a migrated callee (23.280 10.16.5.3)
 * and the E2EE preparation of 33.180 (key discovery, SAKKE/ECCSI work, KRR retries). This file
 * holds the caller's side and routes every flow; the callee's side, MCData's own flows and the
 * release are in callee.ts, data-communications.ts and call-release.ts.
 */
export class PrivateCalls extends DataCommunications {
  // The set-up timer's handler is static, one for all attempts (each names its owner): no
  // closure made per call.
  private static expire(a: Attempt): void {
    a.calls.setupTimedOut(a);
  }

  setupTimedOut(a: Attempt): void {
    this.fail(a, 'timeout');
    this.client.releaseIdleCalls();
  }

  private get e2ee(): boolean {
    return this.ctx.config.security.e2ee;
  }

  /**
   * 23.379 10.7.2.2.1 step 1 (23.280 10.16.5.3 step 1 towards a migrated user): the user presses
   * PTT towards a peer.
   */
  start(req: CallRequest): Attempt {
    const c = this.client;
    const key = this.ctx.nextId('call');
    const target = req.target ?? this.primaryIdOfPeer(req.peer);
    const a: Attempt = {
      calls: this,
      key,
      req,
      metric: setupMetricOf(req.service, req.data),
      callId: key,
      tries: 0,
      target,
      krrRounds: 0,
      redirected: false,
      kept: undefined,
      granted: false,
      state: 'preparing',
      setupTimer: -1,
    };
    // A plain event, no wait of a path: its expiry only ever fails the set-up (measure/waits.ts).
    a.setupTimer = this.ctx.sim.schedule(this.ctx.config.calls.setupTimeout, PrivateCalls.expire, a);
    this.addAttempt(a);
    c.emit({ type: 'callSetupStarted', key, metric: a.metric, user: c.name, at: c.now });
    if (this.ctx.config.calls.redirectionMemory > 0) useKeptId(c, a);
    this.prepare(a);
    return a;
  }

  /**
   * The kept partner ID went stale: its partner no longer serves the user (the user moved on or
   * went home), and answers that the ID is unreachable. The caller forgets it and calls the
   * primary ID, whose server redirects afresh or serves the user itself (A51).
   */
  private staleKeptId(a: Attempt, primaryId: McId): void {
    this.removeLeg(a.callId);
    this.client.keptIds.forget(primaryId);
    keptIdEnded(this.client, a, 'stale-id');
    a.target = primaryId;
    a.kmsHint = undefined;
    this.prepare(a);
  }

  /** The peer's primary ID; a name no user has is taken to be of the caller's own system. */
  private primaryIdOfPeer(name: string): McId {
    const peer = this.ctx.users.get(name);
    return peer === undefined ? primaryIdOf(name, this.client.user.primary) : primaryIdOf(peer.name, peer.primary);
  }

  /** With E2EE: key discovery, then PCK encapsulation and signing (33.180 E.3), then the request. */
  private prepare(a: Attempt): void {
    if (a.req.service === 'mcdata' && this.needsUpload(a))
      return this.upload(
        a,
        () => this.prepare(a),
        () => this.fail(a, 'timeout'),
      );
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
    a.state = 'waiting for call response';
    this.addLeg({
      callId: a.callId,
      role: 'caller',
      peer: a.target,
      service: a.req.service,
      server: c.server,
      state: 'waiting for call response',
      attempt: a,
      commencement: a.req.commencement,
      floorControl: a.req.floorControl,
      data: a.req.data,
      fileBytes: a.req.fileBytes,
    });
    const common = {
      callId: a.callId,
      target: a.target,
      caller: c.currentId,
      e2ee: this.e2ee,
      ...(kmsUri === undefined ? {} : { kmsUri }),
    };
    if (a.req.service === 'mcdata') return this.sendDataRequest(a, common);
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
    SdsSessionRequest: (p, m) => p.onIncomingSession(m),
    FdRequest: (p, m) => p.onIncomingSession(m),
    IpconRequest: (p, m) => p.onIncomingSession(m),
    CallEndRequest: (p, m, leg) => p.peerReleased(m, leg),
    CommunicationReleaseRequest: (p, m, leg) => p.peerReleased(m, leg),
    CallEndResponse: (p, m) => p.releaseAnswered(m.callId),
    CommunicationReleaseResponse: (p, m) => p.releaseAnswered(m.callId),
    MsrpSend: (p, m, leg) => p.onMedia(m, leg),
    DownloadCompletedReport: (p, _m, leg) => p.onDownloadReport(leg),
    FloorTaken: () => undefined,
    // The callee is alerted (24.379: the caller stays in P2 until the final response). A Ringing
    // the accept overtook on an unordered transport comes too late to change anything.
    PrivateCallRinging: PrivateCalls.callerSide(() => undefined),
    PrivateCallResponse: PrivateCalls.callerSide((p, a, m) => p.answered(a, m)),
    SdsSessionResponse: PrivateCalls.callerSide((p, a, m) => p.answered(a, m)),
    FdResponse: PrivateCalls.callerSide((p, a, m) => p.answered(a, m)),
    IpconResponse: PrivateCalls.callerSide((p, a, m) => p.answered(a, m)),
    FloorGranted: PrivateCalls.callerSide((p, a) => p.onGrant(a)),
    TransmissionGranted: PrivateCalls.callerSide((p, a) => p.onGrant(a)),
    SdsDeliveryReport: PrivateCalls.callerSide((p, a) => {
      p.removeLeg(a.callId);
      p.establish(a);
    }),
    PrivateCallRedirection: PrivateCalls.callerSide((p, a, m) => {
      // 23.280 10.16.5.3 step 3: release the first request, call the ID the migrated system assigned.
      p.removeLeg(a.callId);
      if (a.redirected) return p.fail(a, 'rejected');
      a.redirected = true;
      p.client.emit({ type: 'redirectionReceived', key: a.key, at: p.client.now });
      if (p.ctx.config.calls.redirectionMemory > 0)
        p.client.keptIds.keep(m.calleePrimaryId, m.calleePartnerId, m.kmsUri, p.client.now);
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

  /** The callee's (or a server's) final answer to the attempt's request. */
  private answered(a: Attempt, m: SetupAnswer): void {
    if (m.result !== 'accepted') {
      if (a.kept !== undefined && m.reason === 'unreachable') return this.staleKeptId(a, a.kept);
      return this.fail(a, m.reason === 'unreachable' ? 'unreachable' : m.reason === 'timeout' ? 'timeout' : 'rejected');
    }
    if (a.kept !== undefined) keptIdEnded(this.client, a, 'success');
    (this.leg(a.callId) as Leg).state = 'part of ongoing call';
    // Implicit floor request (24.380 6.2.1): the call is usable once the floor (MCVideo:
    // transmission) is granted. The grant rides the media plane and may overtake the response.
    if (a.req.floorControl && a.req.service !== 'mcdata' && !a.granted) a.state = 'awaiting floor grant';
    else this.establish(a);
  }

  private onGrant(a: Attempt): void {
    if (a.state === 'awaiting floor grant') this.establish(a);
    else a.granted = true;
  }

  private establish(a: Attempt): void {
    const c = this.client;
    a.state = 'part of ongoing call';
    this.removeAttempt(a);
    this.ctx.sim.cancel(a.setupTimer);
    // A standalone SDS has no acceptance: its delivery report answers the kept ID.
    if (a.kept !== undefined) keptIdEnded(c, a, 'success');
    c.emit({ type: 'callEstablished', key: a.key, metric: a.metric, at: c.now });
    a.req.onDone?.('success');
    if (a.req.hangUpAfter !== undefined && (a.req.service !== 'mcdata' || holdsSession(a.req.data))) {
      after(this.ctx.sim, a.req.hangUpAfter, 'human', PrivateCalls.hangUp, { calls: this, callId: a.callId });
    }
    if (a.req.service === 'mcdata') this.dataEstablished(a);
  }

  private fail(a: Attempt, outcome: Outcome): void {
    if (a.state === 'part of ongoing call' || a.state === 'failed') return;
    a.state = 'failed';
    if (a.kept !== undefined) keptIdEnded(this.client, a, outcome);
    this.removeAttempt(a);
    this.ctx.sim.cancel(a.setupTimer);
    const leg = this.leg(a.callId);
    if (leg !== undefined && (outcome === 'timeout' || outcome === 'aborted')) {
      // Giving up with the request still out: cancel the dialog (SIP CANCEL), so that a callee
      // that accepted meanwhile does not keep a call nobody holds. The request may also reach
      // the callee after the cancel did (retransmitted through a loss burst): its accept then
      // comes later still and must be closed too (RFC 3261 9.1: a 2xx after CANCEL gets a BYE).
      // The model sends the cancel as a release, which starts from an ongoing call.
      leg.state = 'part of ongoing call';
      leg.attempt = undefined;
      this.abandoned.set(a.callId, leg.peer);
      this.releaseLeg(a.callId);
    } else {
      if (leg !== undefined) this.abandoned.set(a.callId, leg.peer);
      this.removeLeg(a.callId);
    }
    this.client.emit({ type: 'callFailed', key: a.key, metric: a.metric, outcome, at: this.client.now });
    a.req.onDone?.(outcome);
  }

  /** A late accept for an attempt already given up: end the dialog so that no call stays half-open. */
  private closeStale(m: PrivateCallMessage): void {
    const peer = this.abandonedPeer(m.callId);
    // A rejection (say, the server's own set-up timeout) does not end the matter: the request
    // may still be on its way to the callee, who may yet accept it.
    if (peer === undefined || !isAcceptance(m)) return;
    // The cancel's release is still under way; it may have reached the callee before the
    // request did, so close what was accepted once that release has ended.
    if (this.leg(m.callId) !== undefined) return this.afterRelease(m.callId, () => this.closeStale(m));
    this.abandoned.delete(m.callId);
    this.addLeg({
      callId: m.callId,
      role: 'caller',
      peer,
      service: m.type === 'PrivateCallResponse' ? 'mcptt' : 'mcdata',
      server: this.client.server,
      state: 'part of ongoing call',
    });
    this.releaseLeg(m.callId);
  }

  /** The holding time of an established call ran out: the caller hangs up. */
  private static hangUp(r: { calls: PrivateCalls; callId: string }): void {
    r.calls.releaseLeg(r.callId);
    r.calls.client.releaseIdleCalls();
  }

  /** Gives up every call attempt still being set up (the UE is leaving its system). */
  abortSetups(): void {
    for (const a of this.attemptsNow()) this.fail(a, 'aborted');
  }
}
