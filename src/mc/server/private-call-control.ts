import type { Service } from '../config.ts';
import { SIP_GIVE_UP, type Envelope } from '../../net/index.ts';
import type { Actor, Ctx } from '../actor.ts';
import { dispatch, type Routes } from '../protocol/dispatch.ts';
import { kmsUriOf, type McId } from '../protocol/identity.ts';
import type { McMessage, MessageOf, PrivateCallMessage } from '../protocol/messages.ts';
import type { ServerHost } from './host.ts';

/** A private call as one server sees it: it may serve the caller, the callee, or both. */
export interface CallRecord {
  callId: string;
  caller: McId;
  callee: McId;
  service: Service;
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

/**
 * Private call handling of an MC service server: 23.379 10.7.2 (MCPTT), 23.281 7.2.2
 * (MCVideo), 23.282 7.4.2 (MCData SDS), and the redirection towards a migrated user
 * (23.280 10.16.5.3).
 */
export class PrivateCallControl {
  readonly records = new Map<string, CallRecord>();
  /**
   * Calls this server ended towards their callee (endUnwanted) and not yet heard answered: a
   * call end lost for good leaves the callee in the call, a network failure the invariants
   * excuse as they do a client's unanswered release. Not volatile: bookkeeping, not call state.
   */
  readonly unansweredEnds = new Set<string>();
  /**
   * Records of calls whose release passed here, in the order they passed, until its answer
   * passes back or SIP would have given the release up (64*T1): the answer goes to the node the
   * record resolved for the releaser, not looked up in the registrations, a table of every user
   * that a large population keeps out of the cache. Only a shortcut: `towards` checks the
   * registration epoch, and an answer that finds no record here is looked up.
   */
  private readonly closing = new Map<string, CallRecord>();

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
    SdsMessage: (c, m, env) => c.onSetup(m, env, 'mcdata', false),
    PrivateCallResponse: (c, m) => {
      const record = c.records.get(m.callId);
      const passed = c.towards(m.target, m, record);
      if (!passed && m.result === 'accepted') return c.endUnwanted(m);
      if (record === undefined) return;
      if (m.result !== 'accepted') return void c.records.delete(m.callId);
      record.state = 'connected';
      if (record.callerClient !== undefined && m.target === record.caller) c.grant(record);
    },
    SdsDeliveryReport: relayAndClose,
    PrivateCallRedirection: relayAndClose,
    KmsRedirectResponse: relayAndClose,
    // The release has passed this server: nothing here waits for its answer, which may
    // return by another path if the releasing user has re-registered elsewhere.
    CallEndRequest: (c, m) => {
      const record = c.relay(m);
      if (record !== undefined) c.close(record);
    },
    CallEndResponse: (c, m) => {
      if (m.target === c.server.psi) c.unansweredEnds.delete(m.callId);
      const record = c.records.get(m.callId) ?? c.closing.get(m.callId);
      c.closing.delete(m.callId);
      c.towards(m.target, m, record);
      c.records.delete(m.callId);
    },
    PrivateCallRinging: relay,
    FloorGranted: relay,
    FloorTaken: relay,
    TransmissionGranted: relay,
  };

  /** 23.379 10.7.2.2.1 step 2 at the caller's server, then towards the callee's server. */
  private onSetup(
    m: MessageOf<'PrivateCallRequest' | 'SdsMessage'>,
    env: Envelope<McMessage>,
    service: Service,
    grantsFloor: boolean,
  ): void {
    const s = this.server;
    // Every node of the model runs an actor. The role is read from the sending actor, at hand, not
    // looked up by address in the topology: a large population keeps that table out of the cache.
    const sender = env.source.recipient as Actor;
    if (sender.role === 'client') {
      if (!s.registrations.holds(m.caller, sender)) {
        s.send(env.from, refusal(m.callId, m.caller, 'caller not registered'));
        return;
      }
      this.open({
        callId: m.callId,
        caller: m.caller,
        callee: m.target,
        service,
        callerClient: sender,
        resolvedAt: s.registrations.epoch,
        grantsFloor,
        state: 'setup',
      });
    }
    if (this.ctx.topo.systemOfId(m.target) !== undefined && !s.reaches(m.target)) {
      // No interconnection towards the callee's system: nothing to route the call over.
      this.towards(m.caller, refusal(m.callId, m.caller, 'unreachable'));
      this.records.delete(m.callId);
      return;
    }
    if (s.route(m)) return;
    if (this.ctx.topo.systemOfId(m.target) === undefined) {
      this.towards(m.caller, refusal(m.callId, m.caller, 'unknown system'));
      return;
    }
    this.terminate(m, service);
  }

  /** The callee's primary or serving system. */
  private terminate(m: MessageOf<'PrivateCallRequest' | 'SdsMessage'>, service: Service): void {
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
      this.towards(m.caller, refusal(m.callId, m.caller, 'unreachable'));
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
  private endUnwanted(m: MessageOf<'PrivateCallResponse'> & { result: 'accepted' }): void {
    this.records.delete(m.callId);
    this.unansweredEnds.add(m.callId);
    this.towards(m.responder, {
      type: 'CallEndRequest',
      callId: m.callId,
      target: m.responder,
      sender: this.server.psi,
    });
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
    this.ctx.sim.schedule(this.ctx.config.calls.setupTimeout, this.expire, record);
  }

  // One handler for every record, given the record: opening a call makes no closure.
  private readonly expire = (record: CallRecord): void => {
    if (this.records.get(record.callId) !== record || record.state !== 'setup') return;
    this.records.delete(record.callId);
    this.towards(record.caller, refusal(record.callId, record.caller, 'timeout'), record);
  };

  /** The record leaves the calls in progress, and waits in `closing` for its release's answer. */
  private close(record: CallRecord): void {
    this.records.delete(record.callId);
    const now = this.ctx.sim.now;
    for (const [callId, r] of this.closing) {
      if (now - (r.closedAt as number) < SIP_GIVE_UP) break;
      this.closing.delete(callId);
    }
    record.closedAt = now;
    this.closing.set(record.callId, record);
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

/** A set-up this server refuses, answered to the caller in the callee's stead. */
function refusal(callId: string, caller: McId, reason: string): MessageOf<'PrivateCallResponse'> {
  return { type: 'PrivateCallResponse', callId, target: caller, result: 'rejected', reason };
}
