import type { Ctx } from '../actor.ts';
import { serverPsi, type McId } from '../protocol/identity.ts';
import type { GroupReleaseReason, McMessage, MessageOf } from '../protocol/messages.ts';
import { stopT4, type GroupCallTables, type HomeCall } from './group-tables.ts';
import type { ServerHost } from './host.ts';

/**
 * The release of group calls (23.379 10.6.2.3.1.1.3). The controlling (home) server ends a call
 * and sends the release to its own members one by one and to each participating server once,
 * which passes it on to the members it serves and answers once they have (24.379 10.1.1.3.4,
 * 6.3.2.2.8.1). Every leg is a request of its own; one never answered leaves the call unsettled.
 */
export class GroupCallRelease {
  /**
   * Calls this server could not bring to a clean end: lost in a crash, or a release leg never
   * answered. Participants may keep them; the invariant checks make that allowance.
   */
  readonly unsettled = new Set<string>();
  /** Release legs awaiting their answer, per call: a crash forgets them, and so unsettles the call. */
  private readonly releasing = new Map<string, number>();

  constructor(
    private readonly server: ServerHost,
    private readonly ctx: Ctx,
    private readonly groups: GroupCallTables,
  ) {}

  /**
   * 23.379 10.6.2.3.1.1.3 steps 1-3 at the controlling server: the call ends here at once (a
   * new request on the group sets up a new call) and every participant is sent the release.
   */
  release(call: HomeCall, reason: GroupReleaseReason): void {
    const s = this.server;
    this.groups.homeCalls.delete(call.groupId);
    stopT4(this.ctx.sim, call);
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

  /** 24.379 10.1.1.3.4 / 6.3.2.2.8.1 at a participating server: BYE on to each member, 200 OK back once they answered. */
  onRequest(m: MessageOf<'GroupCallReleaseRequest'>): void {
    const s = this.server;
    const members =
      m.target === s.psi ? this.takeCall(m.groupId, m.callId) : this.takeMember(m.groupId, m.callId, m.target);
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

  /** An answer to a release leg: on towards the controlling server, or to the leg waiting for it here. */
  onResponse(m: MessageOf<'GroupCallReleaseResponse'>, from: string, fromClient: boolean): void {
    if (fromClient || !this.server.route(m)) this.server.settle(m, from);
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

  /**
   * The client a participant is registered from. A UE that left the call leaves the group
   * first (23.280 10.16.2 step 1); one no longer registered without having done so is out of
   * reach, and the call unsettled for it.
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

  /** A crash loses every call in memory and the legs awaiting answers: none of those calls ends cleanly. */
  crash(): void {
    for (const call of this.groups.homeCalls.values()) this.unsettled.add(call.callId);
    for (const call of [...this.groups.joined.values(), ...this.groups.superseded.values()])
      this.unsettled.add(call.callId);
    for (const callId of this.releasing.keys()) this.unsettled.add(callId);
    this.releasing.clear();
  }
}

const noop = (): void => undefined;
