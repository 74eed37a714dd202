import type { Service } from '../config.ts';
import type { Envelope } from '../../net/index.ts';
import type { Actor, Ctx } from '../actor.ts';
import { dispatch, type Routes } from '../protocol/dispatch.ts';
import { kmsUriOf, type McId } from '../protocol/identity.ts';
import {
  ANSWER_OF,
  type Acceptance,
  type McMessage,
  type MessageOf,
  type PrivateCallMessage,
  type SetupAnswer,
  type SetupType,
} from '../protocol/messages.ts';
import { ClosingCalls, refusal, releaseOf, type CallRecord } from './call-record.ts';
import type { ServerHost } from './host.ts';

export type { CallRecord } from './call-record.ts';

/**
 * Private call handling of an MC service server: 23.379 10.7.2 (MCPTT), 23.281 7.2.2
 * (MCVideo), 23.282 (MCData one-to-one: SDS 7.4.2.2 and 7.4.2.5, FD 7.5.2.4-5, IPcon 7.14.2.2,
 * release 7.7.2.2), and the redirection towards a migrated user (23.280 10.16.5.3).
 */
export class PrivateCallControl {
  readonly records = new Map<string, CallRecord>();
  /**
   * Calls this server ended towards their callee (endUnwanted) and not yet heard answered: a
   * call end lost for good leaves the callee in the call, a network failure the invariants
   * excuse as they do a client's unanswered release. Not volatile: bookkeeping, not call state.
   */
  readonly unansweredEnds = new Set<string>();
  /** Records of calls whose release passed here, until its answer passes back. */
  private readonly closing = new ClosingCalls();

  constructor(
    private readonly server: ServerHost,
    private readonly ctx: Ctx,
  ) {}

  receive(m: PrivateCallMessage, env: Envelope<McMessage>): void {
    dispatch(PrivateCallControl.routes, this, m, env);
  }

  /** Set-ups open a record; in-call flows are relayed towards their target and close it as they pass. */
  private static readonly routes: Routes<PrivateCallControl, PrivateCallMessage['type'], Envelope<McMessage>> = {
    PrivateCallRequest: (c, m, env) => c.onSetup(m, env, m.service, m.floorControl && m.implicitFloorRequest),
    SdsMessage: setupData,
    SdsSessionRequest: setupData,
    FdRequest: setupData,
    IpconRequest: setupData,
    PrivateCallResponse: answer,
    SdsSessionResponse: answer,
    FdResponse: answer,
    IpconResponse: answer,
    SdsDeliveryReport: relayAndClose,
    PrivateCallRedirection: relayAndClose,
    KmsRedirectResponse: relayAndClose,
    // The release has passed this server: nothing here waits for its answer, which may
    // return by another path if the releasing user has re-registered elsewhere.
    CallEndRequest: endRequest,
    CommunicationReleaseRequest: endRequest,
    CallEndResponse: endResponse,
    CommunicationReleaseResponse: endResponse,
    PrivateCallRinging: relay,
    MsrpSend: relay,
    DownloadCompletedReport: relay,
    FloorGranted: relay,
    FloorTaken: relay,
    TransmissionGranted: relay,
  };

  /** An answer to a set-up passes: the call is connected, and its controlling server grants the floor. */
  onAnswer(m: SetupAnswer): void {
    const record = this.records.get(m.callId);
    const passed = this.towards(m.target, m, record);
    if (!passed && m.result === 'accepted') return this.endUnwanted(m);
    if (record === undefined) return;
    if (m.result !== 'accepted') return void this.records.delete(m.callId);
    record.state = 'connected';
    if (record.callerClient !== undefined && m.target === record.caller) this.grant(record);
  }

  /** The release of a call has passed this server; nothing here waits for its answer. */
  onRelease(m: MessageOf<'CallEndRequest' | 'CommunicationReleaseRequest'>): void {
    const record = this.relay(m);
    if (record !== undefined) this.close(record);
  }

  onReleaseAnswer(m: MessageOf<'CallEndResponse' | 'CommunicationReleaseResponse'>): void {
    if (m.target === this.server.psi) this.unansweredEnds.delete(m.callId);
    const closed = this.closing.take(m.callId);
    const record = this.records.get(m.callId) ?? closed;
    this.towards(m.target, m, record);
    this.records.delete(m.callId);
  }

  /** 23.379 10.7.2.2.1 step 2 at the caller's server, then towards the callee's server. */
  onSetup(m: MessageOf<SetupType>, env: Envelope<McMessage>, service: Service, grantsFloor: boolean): void {
    const s = this.server;
    // Every node of the model runs an actor. The role is read from the sending actor, at hand, not
    // looked up by address in the topology: a large population keeps that table out of the cache.
    const sender = env.source.recipient as Actor;
    if (sender.role === 'client') {
      if (!s.registrations.holds(m.caller, sender)) {
        s.send(env.from, refusal(ANSWER_OF[m.type], m.callId, m.caller, 'caller not registered'));
        return;
      }
      this.open({
        callId: m.callId,
        caller: m.caller,
        callee: m.target,
        service,
        answer: ANSWER_OF[m.type],
        callerClient: sender,
        resolvedAt: s.registrations.epoch,
        grantsFloor,
        state: 'setup',
      });
    }
    if (this.ctx.topo.systemOfId(m.target) !== undefined && !s.reaches(m.target)) {
      // No interconnection towards the callee's system: nothing to route the call over.
      this.towards(m.caller, refusal(ANSWER_OF[m.type], m.callId, m.caller, 'unreachable'));
      this.records.delete(m.callId);
      return;
    }
    if (s.route(m)) return;
    if (this.ctx.topo.systemOfId(m.target) === undefined) {
      this.towards(m.caller, refusal(ANSWER_OF[m.type], m.callId, m.caller, 'unknown system'));
      return;
    }
    this.terminate(m, service);
  }

  /** The callee's primary or serving system. */
  private terminate(m: MessageOf<SetupType>, service: Service): void {
    const s = this.server;
    const migrated = s.migrationTable.get(m.target);
    if (migrated !== undefined && migrated.status === 'migrated') {
      // 23.280 10.16.5.3 step 2: the callee migrated; step 3: redirection carrying its new ID (and KMS URI, CR 001).
      const withKms = this.ctx.config.security.kmsUri === 'redirection' && m.e2ee;
      this.towards(m.caller, {
        type: 'PrivateCallRedirection',
        callId: m.callId,
        target: m.caller,
        callingId: m.caller,
        calleePrimaryId: m.target,
        calleePartnerId: migrated.partnerId,
        ...(withKms ? { kmsUri: kmsUriOf(migrated.partnerSystem) } : {}),
        reason: 'migrated',
      });
      return;
    }
    const callee = s.registrations.get(m.target);
    if (callee === undefined) {
      this.towards(m.caller, refusal(ANSWER_OF[m.type], m.callId, m.caller, 'unreachable'));
      return;
    }
    const ownKms = kmsUriOf(s.system);
    if (m.e2ee && m.kmsUri !== ownKms) {
      // 33.180 5.2.8: the I_MESSAGE names a KMS the callee does not use; propose the right one.
      this.towards(m.caller, { type: 'KmsRedirectResponse', callId: m.callId, target: m.caller, kmsUris: [ownKms] });
      return;
    }
    const record = this.records.get(m.callId);
    // A record here was opened by the caller's set-up in this same step, at this epoch.
    if (record !== undefined) record.calleeClient = callee;
    else
      this.open({
        callId: m.callId,
        caller: m.caller,
        callee: m.target,
        service,
        answer: ANSWER_OF[m.type],
        calleeClient: callee,
        resolvedAt: s.registrations.epoch,
        grantsFloor: false,
        state: 'setup',
      });
    s.sendTo(callee, m);
  }

  /**
   * A callee accepted a call whose caller has left this system (it migrated, say) while the
   * request was held up on its way: the answer cannot be passed on, whether or not this server
   * still has the call (it may have been released, or its set-up timed out, meanwhile). The
   * caller would end such a dialog itself (RFC 3261 13.2.2.4: a 2xx it no longer wants gets a
   * BYE); out of its reach, the server does [A], towards the callee as it is registered now.
   */
  private endUnwanted(m: Acceptance): void {
    this.records.delete(m.callId);
    this.unansweredEnds.add(m.callId);
    this.towards(m.responder, releaseOf(m.type, m.callId, m.responder, this.server.psi));
  }

  /** Relays an in-call flow towards its target; returns this server's record of the call, if any. */
  relay(m: PrivateCallMessage & { callId: string; target: McId }): CallRecord | undefined {
    const record = this.records.get(m.callId);
    this.towards(m.target, m, record);
    return record;
  }

  /** Controlling role, 23.379 10.7.2.2.1 step 7: floor (or transmission) granted to the caller, taken to the callee. */
  private grant(record: CallRecord): void {
    if (!record.grantsFloor) return;
    if (record.service === 'mcvideo') {
      this.towards(
        record.caller,
        { type: 'TransmissionGranted', callId: record.callId, target: record.caller },
        record,
      );
    } else {
      this.towards(record.caller, { type: 'FloorGranted', callId: record.callId, target: record.caller }, record);
      this.towards(
        record.callee,
        { type: 'FloorTaken', callId: record.callId, target: record.callee, talker: record.caller },
        record,
      );
    }
  }

  /**
   * Sends a flow to its target: onwards to another system, or to the registered client here.
   * Whether it went. A party of `record` resolved at the current registration epoch is sent
   * to without a lookup.
   */
  towards(target: McId, msg: McMessage & { target: McId }, record?: CallRecord): boolean {
    const s = this.server;
    if (s.route(msg)) return true;
    const to = (record === undefined ? undefined : this.resolved(record, target)) ?? s.registrations.get(target);
    // The target left this system while the flow was in flight: nobody to hand it to.
    if (to === undefined) return false;
    s.sendTo(to, msg);
    return true;
  }

  /** The node `record` holds for `target`, while no registration has changed since it was resolved. */
  private resolved(record: CallRecord, target: McId): Actor | undefined {
    if (record.resolvedAt !== this.server.registrations.epoch) return undefined;
    return target === record.caller ? record.callerClient : target === record.callee ? record.calleeClient : undefined;
  }

  /**
   * A record that is not connected within the set-up time is dropped and the caller told, as
   * SIP's INVITE transaction timer (B, 64*T1) does: a lost request leaves no state behind.
   */
  private open(record: CallRecord): void {
    this.records.set(record.callId, record);
    // A plain event, no wait of a path: its expiry only ever fails a set-up (measure/waits.ts).
    this.ctx.sim.schedule(this.ctx.config.calls.setupTimeout, this.expire, record);
  }

  // One handler for every record, given the record: opening a call makes no closure.
  private readonly expire = (record: CallRecord): void => {
    if (this.records.get(record.callId) !== record || record.state !== 'setup') return;
    this.records.delete(record.callId);
    this.towards(record.caller, refusal(record.answer, record.callId, record.caller, 'timeout'), record);
  };

  /** The record leaves the calls in progress, and waits in `closing` for its release's answer. */
  private close(record: CallRecord): void {
    this.records.delete(record.callId);
    this.closing.add(record, this.ctx.sim.now);
  }

  /** Releases whose answer has not passed back here yet (at most 64*T1 old). */
  get closingCalls(): number {
    return this.closing.size;
  }

  /** A crash loses the calls in progress and the releases passing. */
  crash(): void {
    this.records.clear();
    this.closing.clear();
  }
}

// Function declarations, hoisted: the static route table above is built when the class is defined.
function relay(c: PrivateCallControl, m: PrivateCallMessage): void {
  c.relay(m);
}
function relayAndClose(c: PrivateCallControl, m: PrivateCallMessage): void {
  c.relay(m);
  c.records.delete(m.callId);
}
function setupData(c: PrivateCallControl, m: MessageOf<SetupType>, env: Envelope<McMessage>): void {
  c.onSetup(m, env, 'mcdata', false);
}
function answer(c: PrivateCallControl, m: SetupAnswer): void {
  c.onAnswer(m);
}
function endRequest(c: PrivateCallControl, m: MessageOf<'CallEndRequest' | 'CommunicationReleaseRequest'>): void {
  c.onRelease(m);
}
function endResponse(c: PrivateCallControl, m: MessageOf<'CallEndResponse' | 'CommunicationReleaseResponse'>): void {
  c.onReleaseAnswer(m);
}
