import { match, P } from 'ts-pattern';
import type { Ctx } from '../actor.ts';
import { serverPsi, type McId, type SystemId } from '../protocol/identity.ts';
import type { McMessage, MessageOf } from '../protocol/messages.ts';
import { RecentCalls } from '../protocol/recent-calls.ts';
import type { Server } from './server.ts';
import {
  GroupFloorControl,
  type FloorMessage,
  type GroupCallTables,
  type HomeCall,
  type JoinedCall,
  type ReleaseMessage,
} from './group-floor.ts';

export type { HomeCall, JoinedCall } from './group-floor.ts';

export type GroupMessage =
  | MessageOf<
      | 'GroupAffiliationRequest'
      | 'GroupAffiliationResponse'
      | 'GroupDeaffiliationRequest'
      | 'GroupDeaffiliationResponse'
      | 'GroupCallRequest'
      | 'GroupCallResponse'
    >
  | FloorMessage
  | ReleaseMessage;

/**
 * Group affiliation (23.280 10.8) and pre-arranged group calls (23.379 10.6.2.3.1.1) with late
 * entry (10.6.2.3.1.1.4). The server of the group's home system controls the group: it keeps
 * the affiliations and the call. A server of another system relays for its users (10.8.3.2)
 * and, once it takes part in a call, brings its own late joiners in without asking the home.
 */
export class GroupControl implements GroupCallTables {
  /** Home role: group -> affiliated member -> the system serving it. */
  readonly affiliations = new Map<McId, Map<McId, SystemId>>();
  /** Home role: group -> member -> the `seq` of its last (de-)affiliation applied. */
  private readonly lastSeq = new Map<McId, Map<McId, number>>();
  readonly homeCalls = new Map<McId, HomeCall>();
  /** Participating role. */
  readonly joined = new Map<McId, JoinedCall>();
  readonly superseded = new Map<string, JoinedCall>();
  readonly released = new RecentCalls();
  /** Floor control, hang timer and release of the calls (23.379 10.6.2.3.1.1.3). */
  readonly floor: GroupFloorControl;

  constructor(
    private readonly server: Server,
    private readonly ctx: Ctx,
  ) {
    this.floor = new GroupFloorControl(server, ctx, this);
  }

  private get system(): SystemId {
    return this.server.system;
  }

  private isHome(groupId: McId): boolean {
    return this.ctx.topo.systemOfId(groupId) === this.system;
  }

  /** Members' system as their ID names it (a partner-issued ID lives in the partner's domain). */
  systemOf(member: McId): SystemId {
    return this.ctx.topo.systemOfId(member) as SystemId;
  }

  receive(m: GroupMessage, from: string): void {
    const fromClient = this.server.isClient(from);
    match(m)
      .with({ type: 'GroupAffiliationRequest' }, (r) => this.onAffiliation(r, from, fromClient))
      .with({ type: 'GroupDeaffiliationRequest' }, (r) => this.onDeaffiliation(r, from, fromClient))
      .with({ type: 'GroupAffiliationResponse' }, { type: 'GroupDeaffiliationResponse' }, (r) => {
        if (!this.server.route(r)) this.server.settle(r, from);
      })
      .with({ type: 'GroupCallRequest' }, (r) => this.onCallRequest(r, from, fromClient))
      .with({ type: 'GroupCallResponse' }, (r) => this.onCallResponse(r, from, fromClient))
      .with(
        { type: 'FloorGranted' },
        { type: 'FloorTaken' },
        { type: 'FloorIdle' },
        { type: 'FloorDeny' },
        { type: 'FloorRequest' },
        { type: 'FloorRelease' },
        (r) => this.floor.receive(r, fromClient),
      )
      .with({ type: 'GroupCallReleaseRequest' }, { type: 'GroupCallReleaseResponse' }, (r) =>
        this.floor.onRelease(r, from, fromClient),
      )
      .exhaustive();
  }

  crash(): void {
    this.floor.crash();
  }

  /** Affiliates a member at the home server; answers; starts late entry where the home must. */
  private affiliateAtHome(groupId: McId, member: McId, system: SystemId): void {
    let members = this.affiliations.get(groupId);
    if (members === undefined) this.affiliations.set(groupId, (members = new Map()));
    members.set(member, system);
    const call = this.homeCalls.get(groupId);
    // 10.16.2 step 4: a participating system brings its own late joiner in; otherwise the home
    // does, which for a member elsewhere pulls that member's system into the call.
    if (call !== undefined && call.talker !== member && !call.local.has(member) && !call.participating.has(system))
      this.inviteMember(groupId, call, member, true);
  }

  /** 10.8.3.1 (group of this system) or 10.8.3.2 (group of another system, server to server). */
  private onAffiliation(m: MessageOf<'GroupAffiliationRequest'>, from: string, fromClient: boolean): void {
    const s = this.server;
    if (this.isHome(m.groupId)) {
      const inOrder = this.inOrder(m);
      const reply: McMessage = {
        type: 'GroupAffiliationResponse',
        procId: m.procId,
        target: fromClient ? m.mcId : serverPsi(this.systemOf(m.mcId)),
        mcId: m.mcId,
        groupId: m.groupId,
        result: inOrder ? 'success' : 'failure',
      };
      if (fromClient) s.send(from, reply);
      else s.route(reply);
      if (inOrder) this.affiliateAtHome(m.groupId, m.mcId, fromClient ? this.system : this.systemOf(m.mcId));
      return;
    }
    const client = from;
    if (!s.reaches(m.groupId)) {
      s.send(client, {
        type: 'GroupAffiliationResponse',
        procId: m.procId,
        target: m.mcId,
        mcId: m.mcId,
        groupId: m.groupId,
        result: 'failure',
      });
      return;
    }
    s.requestRemote(
      { ...m, target: m.groupId },
      (resp) => {
        s.send(client, { ...(resp as MessageOf<'GroupAffiliationResponse'>), target: m.mcId });
        const call = this.joined.get(m.groupId);
        if ((resp as MessageOf<'GroupAffiliationResponse'>).result === 'success' && call !== undefined) {
          // Participating already: the late entry starts here, no round trip to the home system.
          call.lateEntries.add(m.mcId);
          call.participants.add(m.mcId);
          s.send(client, {
            type: 'GroupCallRequest',
            callId: call.callId,
            target: m.mcId,
            groupId: m.groupId,
            caller: call.talker ?? m.groupId,
            ...(call.talker === undefined ? {} : { talker: call.talker }),
            lateEntry: true,
            e2ee: this.ctx.config.security.e2ee,
          });
        }
      },
      () =>
        s.send(client, {
          type: 'GroupAffiliationResponse',
          procId: m.procId,
          target: m.mcId,
          mcId: m.mcId,
          groupId: m.groupId,
          result: 'failure',
        }),
    );
  }

  /** 10.8.4.2 / 10.8.4.3. */
  private onDeaffiliation(m: MessageOf<'GroupDeaffiliationRequest'>, from: string, fromClient: boolean): void {
    const s = this.server;
    if (this.isHome(m.groupId)) {
      const inOrder = this.inOrder(m);
      if (inOrder) {
        this.affiliations.get(m.groupId)?.delete(m.mcId);
        this.leaveCall(m.groupId, m.mcId);
      }
      const reply: McMessage = {
        type: 'GroupDeaffiliationResponse',
        procId: m.procId,
        target: fromClient ? m.mcId : serverPsi(this.systemOf(m.mcId)),
        mcId: m.mcId,
        groupId: m.groupId,
        result: inOrder ? 'success' : 'failure',
      };
      if (fromClient) s.send(from, reply);
      else s.route(reply);
      return;
    }
    if (!s.reaches(m.groupId)) {
      s.send(from, {
        type: 'GroupDeaffiliationResponse',
        procId: m.procId,
        target: m.mcId,
        mcId: m.mcId,
        groupId: m.groupId,
        result: 'failure',
      });
      return;
    }
    s.requestRemote(
      { ...m, target: m.groupId },
      (resp) => {
        const r = resp as MessageOf<'GroupDeaffiliationResponse'>;
        // Out of the group's call here only once the home applied it: a held-up de-affiliation
        // that the home refused (older than a later affiliation) leaves the member in its call.
        if (r.result === 'success') {
          const joined = this.joined.get(m.groupId);
          joined?.lateEntries.delete(m.mcId);
          joined?.participants.delete(m.mcId);
        }
        s.send(from, { ...r, target: m.mcId });
      },
      () =>
        s.send(from, {
          type: 'GroupDeaffiliationResponse',
          procId: m.procId,
          target: m.mcId,
          mcId: m.mcId,
          groupId: m.groupId,
          result: 'failure',
        }),
    );
  }

  /** 10.6.2.3.1.1.2 steps 2-7 at the controlling server, or relaying for a participating one. */
  private onCallRequest(m: MessageOf<'GroupCallRequest'>, from: string, fromClient: boolean): void {
    const s = this.server;
    if (!this.isHome(m.groupId)) {
      if (fromClient) {
        if (s.reaches(m.groupId)) s.route({ ...m, target: m.groupId });
        else
          s.send(from, {
            type: 'GroupCallResponse',
            callId: m.callId,
            target: m.caller,
            groupId: m.groupId,
            member: m.caller,
            result: 'rejected',
          });
        return;
      }
      // An invitation its call's release overtook: the call is over.
      if (this.released.has(m.callId)) return;
      // Towards a member served here: this server now takes part in the call.
      this.participate(m.groupId, m.callId, m.lateEntry ? m.talker : m.caller).participants.add(m.target);
      this.toMember(m.target, m);
      return;
    }
    const members = this.affiliations.get(m.groupId);
    const ongoing = this.homeCalls.get(m.groupId);
    match({ member: members?.has(m.caller) === true, ongoing })
      .with({ member: false }, () => {
        this.toMember(m.caller, {
          type: 'GroupCallResponse',
          callId: m.callId,
          target: m.caller,
          groupId: m.groupId,
          member: m.caller,
          result: 'rejected',
        });
      })
      .with({ ongoing: undefined }, () => this.setUp(m, members as Map<McId, SystemId>))
      .with({ ongoing: { callId: P.string } }, ({ ongoing: call }) => this.join(call, m))
      .exhaustive();
  }

  /** A new call: the initiator holds the floor (implicit floor request). */
  private setUp(m: MessageOf<'GroupCallRequest'>, members: Map<McId, SystemId>): void {
    const call: HomeCall = {
      callId: m.callId,
      groupId: m.groupId,
      initiator: m.caller,
      talker: m.caller,
      local: new Set(),
      participating: new Set(),
      hang: undefined,
    };
    this.homeCalls.set(m.groupId, call);
    this.enlist(call, m.caller);
    // Steps 4 and 6: the members are invited; the initiator is answered without waiting for them.
    for (const member of members.keys()) if (member !== m.caller) this.inviteMember(m.groupId, call, member, false);
    this.toMember(m.caller, {
      type: 'GroupCallResponse',
      callId: m.callId,
      target: m.caller,
      groupId: m.groupId,
      member: m.caller,
      result: 'accepted',
    });
    // Step 7: implicit floor request granted.
    this.toMember(m.caller, { type: 'FloorGranted', callId: m.callId, target: m.caller, groupId: m.groupId });
  }

  /**
   * A request on a group whose call is ongoing joins that call (24.379 10.1.1.2.4 / 10.1.1.3.5
   * rejoin: a member's INVITE towards an ongoing group session brings it into the session). Its
   * implicit floor request is granted while the floor is idle (hang time); otherwise it learns
   * who talks, as a late joiner does (10.6.2.3.1.1.4 step 4).
   */
  private join(call: HomeCall, m: MessageOf<'GroupCallRequest'>): void {
    this.enlist(call, m.caller);
    this.toMember(m.caller, {
      type: 'GroupCallResponse',
      callId: m.callId,
      target: m.caller,
      groupId: m.groupId,
      member: m.caller,
      result: 'joined',
      ongoingCallId: call.callId,
    });
    if (call.talker === undefined || call.talker === m.caller) this.floor.grant(call, m.caller);
    else
      this.toMember(m.caller, {
        type: 'FloorTaken',
        callId: call.callId,
        target: m.caller,
        talker: call.talker,
        groupId: m.groupId,
      });
  }

  /** Notes a member the call reaches: here one by one, elsewhere through its system's server. */
  private enlist(call: HomeCall, member: McId): void {
    const system = this.systemOf(member);
    if (system === this.system) call.local.add(member);
    else call.participating.add(system);
  }

  /** The participating role's record of a call, made when the call first reaches this server. */
  private participate(groupId: McId, callId: string, talker: McId | undefined): JoinedCall {
    const call = this.joined.get(groupId);
    if (call !== undefined && call.callId === callId) return call;
    // A later call of the group overtook the release of this one: the release still finds it.
    if (call !== undefined && call.participants.size > 0) this.superseded.set(call.callId, call);
    const made: JoinedCall = {
      callId,
      lateEntries: new Set(),
      participants: new Set(),
      ...(talker === undefined ? {} : { talker }),
    };
    this.joined.set(groupId, made);
    return made;
  }

  /**
   * Whether a (de-)affiliation comes after the last one applied for that member and group; a
   * request the network held up (a retransmission through a loss burst) that arrives after a
   * later one is refused, as SIP refuses a lower CSeq (RFC 3261 12.2.2), and changes nothing.
   * Affiliations survive a crash (GMS), and so do their numbers.
   */
  private inOrder(m: MessageOf<'GroupAffiliationRequest' | 'GroupDeaffiliationRequest'>): boolean {
    let members = this.lastSeq.get(m.groupId);
    if (members === undefined) this.lastSeq.set(m.groupId, (members = new Map()));
    if ((members.get(m.mcId) ?? 0) > m.seq) return false;
    members.set(m.mcId, m.seq);
    return true;
  }

  /** 10.8.4 at the home: a member leaving the group leaves its call. */
  private leaveCall(groupId: McId, member: McId): void {
    const call = this.homeCalls.get(groupId);
    if (call === undefined) return;
    call.local.delete(member);
    // 23.379 10.6.2.3.1.1.3: the initiator leaving is a termination condition.
    if (member === call.initiator) this.floor.release(call, 'initiator left');
    else if (member === call.talker) this.floor.idle(call);
  }

  private inviteMember(groupId: McId, call: HomeCall, member: McId, lateEntry: boolean): void {
    // A member affiliated through a system this one is not interconnected with cannot be reached.
    if (!this.server.reaches(member)) return;
    this.enlist(call, member);
    this.toMember(member, {
      type: 'GroupCallRequest',
      callId: call.callId,
      target: member,
      groupId,
      caller: call.initiator,
      ...(call.talker === undefined ? {} : { talker: call.talker }),
      lateEntry,
      e2ee: this.ctx.config.security.e2ee,
    });
  }

  private onCallResponse(m: MessageOf<'GroupCallResponse'>, from: string, fromClient: boolean): void {
    const s = this.server;
    if (!this.isHome(m.groupId)) {
      const call = this.joined.get(m.groupId);
      if (fromClient && call !== undefined && call.lateEntries.delete(m.member)) {
        // A late joiner this server brought in: it already knows the floor.
        if (m.result !== 'accepted') return;
        if (call.talker !== undefined)
          s.send(from, {
            type: 'FloorTaken',
            callId: call.callId,
            target: m.member,
            talker: call.talker,
            groupId: m.groupId,
          });
        else s.send(from, { type: 'FloorIdle', callId: call.callId, target: m.member, groupId: m.groupId });
        return;
      }
      if (fromClient) {
        // Whoever accepts through this server is in the call through it (a release must find it).
        if (call !== undefined && call.callId === m.callId && m.result === 'accepted') call.participants.add(m.member);
        return void s.route({ ...m, target: m.groupId });
      }
      // The answer to a request of a member served here: it is in the call now, through this server.
      const callId = m.result === 'joined' ? m.ongoingCallId : m.result === 'accepted' ? m.callId : undefined;
      this.toMember(m.target, m);
      if (callId === undefined) return;
      // The call's release overtook this answer: the member is released from it straight away.
      if (this.released.has(callId))
        this.floor.releaseMembers(
          { type: 'GroupCallReleaseRequest', callId, groupId: m.groupId, reason: 'call already ended' },
          [m.member],
          () => undefined,
        );
      else
        this.participate(m.groupId, callId, m.result === 'accepted' ? m.member : undefined).participants.add(m.member);
      return;
    }
    const call = this.homeCalls.get(m.groupId);
    if (m.result !== 'accepted') return;
    if (call === undefined || call.callId !== m.callId) return this.floor.releaseLate(m.groupId, m.callId, m.member);
    this.enlist(call, m.member);
    if (call.talker !== undefined)
      this.toMember(m.member, {
        type: 'FloorTaken',
        callId: call.callId,
        target: m.member,
        talker: call.talker,
        groupId: m.groupId,
      });
    else this.toMember(m.member, { type: 'FloorIdle', callId: call.callId, target: m.member, groupId: m.groupId });
  }

  /** To a member: onwards to its system, or to its client here. */
  toMember(member: McId, msg: McMessage & { target: McId }): void {
    const s = this.server;
    if (s.route(msg)) return;
    const client = s.registrations.get(member);
    if (client !== undefined) s.sendTo(client, msg);
  }
}
