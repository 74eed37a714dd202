import type { SystemId } from '../config.ts';
import { match, P } from 'ts-pattern';
import type { Ctx } from '../actor.ts';
import type { McId } from '../protocol/identity.ts';
import type { McMessage, MessageOf } from '../protocol/messages.ts';
import type { AffiliationEffects } from './group-affiliation.ts';
import type { GroupFloorControl } from './group-floor.ts';
import type { GroupCallRelease } from './group-release.ts';
import type { GroupCallTables, HomeCall, JoinedCall } from './group-tables.ts';
import type { ServerHost } from './host.ts';

type Request = MessageOf<'GroupCallRequest'>;
type Response = MessageOf<'GroupCallResponse'>;

/**
 * Pre-arranged group calls (23.379 10.6.2.3.1.1.2) with late entry (10.6.2.3.1.1.4). The home
 * server of the group controls the call: it invites the affiliated members and lets later
 * requests join. A server of another system takes part for the members it serves once the call
 * reaches one of them, and brings its own late joiners in without asking the home.
 */
export class GroupCallSetup implements AffiliationEffects {
  constructor(
    private readonly server: ServerHost,
    private readonly ctx: Ctx,
    private readonly groups: GroupCallTables,
    private readonly floor: Pick<GroupFloorControl, 'grant' | 'idle'>,
    private readonly releases: Pick<GroupCallRelease, 'release' | 'releaseLate' | 'releaseMembers'>,
  ) {}

  /** 10.6.2.3.1.1.2 steps 2-7 at the controlling server, or relaying for a participating one. */
  onRequest(m: Request, from: string): void {
    const s = this.server;
    if (this.isHome(m.groupId)) return this.control(m);
    if (s.isClient(from)) {
      if (s.reaches(m.groupId)) s.route({ ...m, target: m.groupId });
      else s.send(from, rejection(m));
      return;
    }
    // An invitation its call's release overtook: the call is over.
    if (this.groups.released.has(m.callId)) return;
    // Towards a member served here: this server now takes part in the call.
    this.participate(m.groupId, m.callId, m.lateEntry ? m.talker : m.caller).participants.add(m.target);
    this.groups.toMember(m.target, m);
  }

  /** At the controlling server: a request of an affiliated member sets up the group's call, or joins it. */
  private control(m: Request): void {
    const members = this.groups.affiliations.get(m.groupId);
    const ongoing = this.groups.homeCalls.get(m.groupId);
    match({ member: members?.has(m.caller) === true, ongoing })
      .with({ member: false }, () => this.groups.toMember(m.caller, rejection(m)))
      .with({ ongoing: undefined }, () => this.setUp(m, members as Map<McId, SystemId>))
      .with({ ongoing: { callId: P.string } }, ({ ongoing: call }) => this.join(call, m))
      .exhaustive();
  }

  /** A new call: the initiator holds the floor (implicit floor request). */
  private setUp(m: Request, members: Map<McId, SystemId>): void {
    const call: HomeCall = {
      callId: m.callId,
      groupId: m.groupId,
      initiator: m.caller,
      talker: m.caller,
      local: new Set(),
      participating: new Set(),
      t4: undefined,
    };
    this.groups.homeCalls.set(m.groupId, call);
    this.enlist(call, m.caller);
    // Steps 4 and 6: the members are invited; the initiator is answered without waiting for them.
    for (const member of members.keys()) if (member !== m.caller) this.invite(m.groupId, call, member, false);
    this.groups.toMember(m.caller, {
      type: 'GroupCallResponse',
      callId: m.callId,
      target: m.caller,
      groupId: m.groupId,
      member: m.caller,
      result: 'accepted',
    });
    // Step 7: implicit floor request granted.
    this.groups.toMember(m.caller, { type: 'FloorGranted', callId: m.callId, target: m.caller, groupId: m.groupId });
  }

  /**
   * A request on a group whose call is ongoing joins that call (24.379 10.1.1.2.4 / 10.1.1.3.5
   * rejoin: a member's INVITE towards an ongoing group session brings it into the session). Its
   * implicit floor request is granted while the floor is idle; otherwise it learns who talks, as
   * a late joiner does (10.6.2.3.1.1.4 step 4).
   */
  private join(call: HomeCall, m: Request): void {
    this.enlist(call, m.caller);
    this.groups.toMember(m.caller, {
      type: 'GroupCallResponse',
      callId: m.callId,
      target: m.caller,
      groupId: m.groupId,
      member: m.caller,
      result: 'joined',
      ongoingCallId: call.callId,
    });
    if (call.talker === undefined || call.talker === m.caller) this.floor.grant(call, m.caller);
    else this.groups.toMember(m.caller, floorNow(call.callId, m.caller, m.groupId, call.talker));
  }

  /** Notes a member the call reaches: here one by one, elsewhere through its system's server. */
  private enlist(call: HomeCall, member: McId): void {
    const system = this.groups.systemOf(member);
    if (system === this.server.system) call.local.add(member);
    else call.participating.add(system);
  }

  private invite(groupId: McId, call: HomeCall, member: McId, lateEntry: boolean): void {
    // A member affiliated through a system this one is not interconnected with cannot be reached.
    if (!this.server.reaches(member)) return;
    this.enlist(call, member);
    this.groups.toMember(member, {
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

  /** The participating role's record of a call, made when the call first reaches this server. */
  private participate(groupId: McId, callId: string, talker: McId | undefined): JoinedCall {
    const call = this.groups.joined.get(groupId);
    if (call !== undefined && call.callId === callId) return call;
    // A later call of the group overtook the release of this one: the release still finds it.
    if (call !== undefined && call.participants.size > 0) this.groups.superseded.set(call.callId, call);
    const made: JoinedCall = {
      callId,
      lateEntries: new Set(),
      participants: new Set(),
      ...(talker === undefined ? {} : { talker }),
    };
    this.groups.joined.set(groupId, made);
    return made;
  }

  /** A member's answer to an invitation, or the answer to a member's request. */
  onResponse(m: Response, from: string): void {
    const fromClient = this.server.isClient(from);
    if (!this.isHome(m.groupId)) return fromClient ? this.answeredHere(m, from) : this.answeredThere(m);
    const call = this.groups.homeCalls.get(m.groupId);
    if (m.result !== 'accepted') return;
    if (call === undefined || call.callId !== m.callId) return this.releases.releaseLate(m.groupId, m.callId, m.member);
    this.enlist(call, m.member);
    this.groups.toMember(m.member, floorNow(call.callId, m.member, m.groupId, call.talker));
  }

  /** At a participating server, a member it serves answered an invitation. */
  private answeredHere(m: Response, from: string): void {
    const call = this.groups.joined.get(m.groupId);
    if (call !== undefined && call.lateEntries.delete(m.member)) {
      // A late joiner this server brought in: it learns the floor here.
      if (m.result === 'accepted') this.server.send(from, floorNow(call.callId, m.member, m.groupId, call.talker));
      return;
    }
    // Whoever accepts through this server is in the call through it (a release must find it).
    if (call !== undefined && call.callId === m.callId && m.result === 'accepted') call.participants.add(m.member);
    this.server.route({ ...m, target: m.groupId });
  }

  /** At a participating server, the home answered a request of a member served here: it is in the call through this server. */
  private answeredThere(m: Response): void {
    const callId = m.result === 'joined' ? m.ongoingCallId : m.result === 'accepted' ? m.callId : undefined;
    this.groups.toMember(m.target, m);
    if (callId === undefined) return;
    // The call's release overtook this answer: the member is released from it straight away.
    if (this.groups.released.has(callId))
      this.releases.releaseMembers(
        { type: 'GroupCallReleaseRequest', callId, groupId: m.groupId, reason: 'call already ended' },
        [m.member],
        () => undefined,
      );
    else this.participate(m.groupId, callId, m.result === 'accepted' ? m.member : undefined).participants.add(m.member);
  }

  /**
   * Late entry by the home (10.6.2.3.1.1.4). A participating system brings its own late joiner
   * in (23.280 10.16.2 step 4), so the home does only where the member's system takes no part
   * yet, which pulls that system into the call.
   */
  affiliatedAtHome(groupId: McId, member: McId, system: SystemId): void {
    const call = this.groups.homeCalls.get(groupId);
    if (call !== undefined && call.talker !== member && !call.local.has(member) && !call.participating.has(system))
      this.invite(groupId, call, member, true);
  }

  /** Late entry by a participating server: no round trip to the home system. */
  affiliatedHere(groupId: McId, member: McId, client: string): void {
    const call = this.groups.joined.get(groupId);
    if (call === undefined) return;
    call.lateEntries.add(member);
    call.participants.add(member);
    this.server.send(client, {
      type: 'GroupCallRequest',
      callId: call.callId,
      target: member,
      groupId,
      caller: call.talker ?? groupId,
      ...(call.talker === undefined ? {} : { talker: call.talker }),
      lateEntry: true,
      e2ee: this.ctx.config.security.e2ee,
    });
  }

  /** 23.280 10.8.4 at the home: a member leaving the group leaves its call. */
  deaffiliatedAtHome(groupId: McId, member: McId): void {
    const call = this.groups.homeCalls.get(groupId);
    if (call === undefined) return;
    call.local.delete(member);
    // 23.379 10.6.2.3.1.1.3: the initiator leaving is a termination condition.
    if (member === call.initiator) this.releases.release(call, 'initiator left');
    else if (member === call.talker) this.floor.idle(call);
  }

  private isHome(groupId: McId): boolean {
    return this.ctx.topo.systemOfId(groupId) === this.server.system;
  }
}

/** A group call request refused, answered to its caller. */
function rejection(m: Request): McMessage & { target: McId } {
  return {
    type: 'GroupCallResponse',
    callId: m.callId,
    target: m.caller,
    groupId: m.groupId,
    member: m.caller,
    result: 'rejected',
  };
}

/** What a member joining a call learns of its floor: who holds it, or that nobody does. */
function floorNow(callId: string, member: McId, groupId: McId, talker: McId | undefined): McMessage & { target: McId } {
  return talker !== undefined
    ? { type: 'FloorTaken', callId, target: member, talker, groupId }
    : { type: 'FloorIdle', callId, target: member, groupId };
}
