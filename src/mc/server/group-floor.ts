import { match } from 'ts-pattern';
import type { EventHandle } from '../../kernel/index.ts';
import type { Ctx } from '../actor.ts';
import { serverPsi, type McId, type SystemId } from '../protocol/identity.ts';
import type { GroupReleaseReason, McMessage, MessageOf } from '../protocol/messages.ts';
import type { RecentCalls } from '../protocol/recent-calls.ts';
import type { Server } from './server.ts';

/** An ongoing group call as its controlling (home) server holds it. */
export interface HomeCall {
  callId: string;
  groupId: McId;
  /** 23.379 10.6.2.3.1.1.3: the initiator leaving the call releases it. */
  initiator: McId;
  /** Who holds the floor; undefined while the floor is idle and the hang timer runs. */
  talker: McId | undefined;
  /**
   * Members served by the home system that the call invited or that joined it: the release
   * goes to each of them, answered or not (a UE without the dialog still answers, as 481).
   */
  local: Set<McId>;
  /** Systems whose servers take part (participating function) besides the home system. */
  participating: Set<SystemId>;
  hang: EventHandle | undefined;
}

/** An ongoing group call as a participating server in another system holds it. */
export interface JoinedCall {
  callId: string;
  talker?: McId;
  /** Members this server brought in by late entry itself, awaiting their response. */
  lateEntries: Set<McId>;
  /** Members served here that the call reached through this server: whom a release goes to. */
  participants: Set<McId>;
}

export type FloorMessage = MessageOf<
  'FloorGranted' | 'FloorTaken' | 'FloorIdle' | 'FloorDeny' | 'FloorRequest' | 'FloorRelease'
>;
export type ReleaseMessage = MessageOf<'GroupCallReleaseRequest' | 'GroupCallReleaseResponse'>;

/** What the floor and release logic needs of the group part of its server. */
export interface GroupCallTables {
  readonly homeCalls: Map<McId, HomeCall>;
  readonly joined: Map<McId, JoinedCall>;
  /** Calls a later call of the same group replaced here before their release arrived. */
  readonly superseded: Map<string, JoinedCall>;
  /** Calls released here lately: an invitation or answer of one that the network held up is stale. */
  readonly released: RecentCalls;
  toMember(member: McId, msg: McMessage & { target: McId }): void;
  systemOf(member: McId): SystemId;
}

/**
 * Floor control of ongoing group calls (24.380: Floor Request, Granted, Deny, Taken, Release,
 * Idle) and their release by the controlling server (23.379 10.6.2.3.1.1.3). The home server
 * arbitrates the floor; when it falls idle the hang timer starts, and its expiry releases the
 * call. Notifications for every participant go to the home's own members one by one and to
 * each participating server once, which passes them on to the members it serves.
 */
export class GroupFloorControl {
  /**
   * Calls this server could not bring to a clean end: lost in a crash, or a release leg never
   * answered. Participants may keep them; the invariant checks make that allowance.
   */
  readonly unsettled = new Set<string>();
  /** Release legs awaiting their answer, per call: a crash forgets them, and so unsettles the call. */
  private readonly releasing = new Map<string, number>();
  private readonly expire = (call: HomeCall): void => this.onHangTimeExpiry(call);

  constructor(
    private readonly server: Server,
    private readonly ctx: Ctx,
    private readonly groups: GroupCallTables,
  ) {}

  /** Floor flows: arbitrated at the home server, relayed (and noted) at a participating one. */
  receive(m: FloorMessage, fromClient: boolean): void {
    const home = this.groups.homeCalls;
    match(m)
      .with({ type: 'FloorRequest' }, (r) => {
        if (this.relayUp(r, fromClient)) return;
        const call = home.get(r.groupId);
        if (call === undefined || call.callId !== r.callId) this.deny(r, 'no such call');
        else if (call.talker === undefined || call.talker === r.member) this.grant(call, r.member);
        else this.deny(r, 'floor taken');
      })
      .with({ type: 'FloorRelease' }, (r) => {
        if (this.relayUp(r, fromClient)) return;
        const call = home.get(r.groupId);
        // A release from an older call of the group, or from a member the floor moved away from, is stale.
        if (call !== undefined && call.callId === r.callId && call.talker === r.member) this.idle(call);
      })
      .with({ type: 'FloorGranted' }, { type: 'FloorTaken' }, { type: 'FloorIdle' }, { type: 'FloorDeny' }, (r) =>
        this.down(r),
      )
      .exhaustive();
  }

  /** From a member served here to another system's group: on towards the controlling server. */
  private relayUp(m: MessageOf<'FloorRequest' | 'FloorRelease'>, fromClient: boolean): boolean {
    if (this.isHome(m.groupId)) return false;
    if (fromClient) this.server.route({ ...m, target: m.groupId });
    return true;
  }

  private isHome(groupId: McId): boolean {
    return this.ctx.topo.systemOfId(groupId) === this.server.system;
  }

  private deny(m: MessageOf<'FloorRequest'>, reason: MessageOf<'FloorDeny'>['reason']): void {
    this.groups.toMember(m.member, {
      type: 'FloorDeny',
      callId: m.callId,
      target: m.member,
      groupId: m.groupId,
      reason,
    });
  }

  /** 24.380 floor granted: the hang timer stops; the others learn who talks. */
  grant(call: HomeCall, member: McId): void {
    this.stopHangTimer(call);
    const changed = call.talker !== member;
    call.talker = member;
    this.groups.toMember(member, { type: 'FloorGranted', callId: call.callId, target: member, groupId: call.groupId });
    if (changed)
      this.broadcast(
        call,
        (target) => ({ type: 'FloorTaken', callId: call.callId, target, talker: member, groupId: call.groupId }),
        member,
      );
  }

  /** The floor falls idle (talk burst over, or the talker left): Floor Idle to all, hang timer on. */
  idle(call: HomeCall): void {
    call.talker = undefined;
    this.broadcast(call, (target) => ({ type: 'FloorIdle', callId: call.callId, target, groupId: call.groupId }));
    this.stopHangTimer(call);
    call.hang = this.ctx.sim.schedule(this.ctx.config.timers.hangTime, this.expire, call);
  }

  private stopHangTimer(call: HomeCall): void {
    if (call.hang !== undefined) this.ctx.sim.cancel(call.hang);
    call.hang = undefined;
  }

  private onHangTimeExpiry(call: HomeCall): void {
    call.hang = undefined;
    // 23.379 10.6.2.3.1.1.3 step 1: hang time expiry is a termination condition.
    if (this.groups.homeCalls.get(call.groupId) === call) this.release(call, 'hang time expiry');
  }

  /** To every participant but `except`: home members one by one, each participating server once. */
  private broadcast(call: HomeCall, msg: (target: McId) => McMessage & { target: McId }, except?: McId): void {
    for (const member of call.local) if (member !== except) this.groups.toMember(member, msg(member));
    for (const system of call.participating) this.server.route(msg(serverPsi(system)));
  }

  /** A floor flow on its way down to a member, or for all the members a participating server serves. */
  private down(m: MessageOf<'FloorGranted' | 'FloorTaken' | 'FloorIdle' | 'FloorDeny'>): void {
    const call = m.groupId === undefined ? undefined : this.groups.joined.get(m.groupId);
    if (call !== undefined && call.callId === m.callId) {
      if (m.type === 'FloorTaken') call.talker = m.talker;
      else if (m.type === 'FloorIdle') call.talker = undefined;
      else if (m.type === 'FloorGranted') call.talker = m.target;
    }
    if (m.target !== this.server.psi) return this.groups.toMember(m.target, m);
    if (call === undefined || call.callId !== m.callId) return;
    const talker = m.type === 'FloorTaken' ? m.talker : undefined;
    for (const member of call.participants)
      if (member !== talker) this.groups.toMember(member, { ...m, target: member });
  }

  /**
   * 23.379 10.6.2.3.1.1.3 steps 1-3 at the controlling server: the call ends here at once (a
   * new request on the group sets up a new call) and every participant is sent the release.
   */
  release(call: HomeCall, reason: GroupReleaseReason): void {
    const s = this.server;
    this.groups.homeCalls.delete(call.groupId);
    this.stopHangTimer(call);
    const base = { type: 'GroupCallReleaseRequest', callId: call.callId, groupId: call.groupId, reason } as const;
    this.releaseMembers(base, call.local, noop);
    for (const system of call.participating) {
      const psi = serverPsi(system);
      if (s.reaches(psi))
        this.leg(call.callId, noop, (answered, unanswered) =>
          s.requestRemote({ ...base, procId: this.ctx.nextId('proc'), target: psi }, answered, unanswered),
        );
    }
  }

  /**
   * The client a participant is registered from. A UE that left the call leaves the group
   * first (10.16.2 step 1); one no longer registered without having done so is out of reach,
   * and the call unsettled for it.
   */
  private clientOf(member: McId, callId: string): string | undefined {
    const client = this.server.registrations.get(member);
    if (client === undefined) this.unsettled.add(callId);
    return client?.address;
  }

  /** One release request and its answer; a leg never answered leaves the call unsettled. */
  private leg(callId: string, then: () => void, send: (answered: () => void, unanswered: () => void) => void): void {
    this.releasing.set(callId, (this.releasing.get(callId) ?? 0) + 1);
    const settle = (): void => {
      const left = (this.releasing.get(callId) ?? 1) - 1;
      if (left > 0) this.releasing.set(callId, left);
      else this.releasing.delete(callId);
      then();
    };
    send(settle, () => {
      this.unsettled.add(callId);
      settle();
    });
  }

  /**
   * A member answered an invitation to a call that has ended since (the answer or the invitation
   * was held up): it is released alone, as SIP ends a dialog set up after its session's BYE.
   */
  releaseLate(groupId: McId, callId: string, member: McId): void {
    const s = this.server;
    const msg = {
      type: 'GroupCallReleaseRequest',
      callId,
      groupId,
      reason: 'call already ended',
      target: member,
    } as const;
    if (this.groups.systemOf(member) !== s.system) {
      if (s.reaches(member))
        this.leg(callId, noop, (answered, unanswered) =>
          s.requestRemote({ ...msg, procId: this.ctx.nextId('proc') }, answered, unanswered),
        );
      return;
    }
    this.releaseMembers(msg, [member], noop);
  }

  /** Release flows: a participating server passes the release on to its members and answers once they have. */
  onRelease(m: ReleaseMessage, from: string, fromClient: boolean): void {
    const s = this.server;
    if (m.type === 'GroupCallReleaseResponse') {
      if (fromClient || !s.route(m)) s.settle(m, from);
      return;
    }
    const members =
      m.target === s.psi ? this.takeCall(m.groupId, m.callId) : this.takeMember(m.groupId, m.callId, m.target);
    // 24.379 10.1.1.3.4 / 6.3.2.2.8.1: BYE on to each member, 200 OK back once they answered.
    this.releaseMembers(m, members, () =>
      s.route({
        type: 'GroupCallReleaseResponse',
        procId: m.procId,
        callId: m.callId,
        target: m.groupId,
        groupId: m.groupId,
      }),
    );
  }

  /** The members of a call released as a whole, which this server forgets (and remembers as released). */
  private takeCall(groupId: McId, callId: string): Iterable<McId> {
    this.groups.released.add(callId, this.ctx.sim.now);
    const current = this.groups.joined.get(groupId);
    if (current !== undefined && current.callId === callId) {
      this.groups.joined.delete(groupId);
      return current.participants;
    }
    const old = this.groups.superseded.get(callId);
    this.groups.superseded.delete(callId);
    return old?.participants ?? [];
  }

  /** One member released from a call that ended: the record here loses it, and goes once empty. */
  private takeMember(groupId: McId, callId: string, member: McId): McId[] {
    const current = this.groups.joined.get(groupId);
    const call = current !== undefined && current.callId === callId ? current : this.groups.superseded.get(callId);
    call?.participants.delete(member);
    call?.lateEntries.delete(member);
    if (call !== undefined && call.participants.size === 0) {
      if (call === current) this.groups.joined.delete(groupId);
      else this.groups.superseded.delete(callId);
    }
    return [member];
  }

  /** The release to members served here, one leg each; `then` once every one answered or timed out. */
  releaseMembers(
    m: Omit<MessageOf<'GroupCallReleaseRequest'>, 'procId' | 'target'>,
    members: Iterable<McId>,
    then: () => void,
  ): void {
    const clients: [McId, string][] = [];
    for (const member of members) {
      const client = this.clientOf(member, m.callId);
      if (client !== undefined) clients.push([member, client]);
    }
    let waiting = clients.length;
    const done = (): void => {
      if (--waiting === 0) then();
    };
    for (const [member, client] of clients) {
      const msg: McMessage = {
        type: 'GroupCallReleaseRequest',
        callId: m.callId,
        groupId: m.groupId,
        reason: m.reason,
        procId: this.ctx.nextId('proc'),
        target: member,
      };
      this.leg(m.callId, done, (answered, unanswered) => this.server.request(client, msg, answered, unanswered));
    }
    if (clients.length === 0) then();
  }

  /** A crash loses every call in memory, hang timers included (the spec keeps affiliations). */
  crash(): void {
    for (const call of this.groups.homeCalls.values()) {
      this.stopHangTimer(call);
      this.unsettled.add(call.callId);
    }
    for (const call of [...this.groups.joined.values(), ...this.groups.superseded.values()])
      this.unsettled.add(call.callId);
    for (const callId of this.releasing.keys()) this.unsettled.add(callId);
    this.releasing.clear();
    this.groups.homeCalls.clear();
    this.groups.joined.clear();
    this.groups.superseded.clear();
    this.groups.released.clear();
  }
}

const noop = (): void => undefined;
