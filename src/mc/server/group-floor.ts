import { match } from 'ts-pattern';
import type { Ctx } from '../actor.ts';
import { serverPsi, type McId } from '../protocol/identity.ts';
import type { McMessage, MessageOf } from '../protocol/messages.ts';
import type { GroupCallRelease } from './group-release.ts';
import { stopT4, type GroupCallTables, type HomeCall } from './group-tables.ts';
import type { ServerHost } from './host.ts';
import { after } from '../measure/waits.ts';

type FromMember = MessageOf<'FloorRequest' | 'FloorRelease'>;
type ToMembers = MessageOf<'FloorGranted' | 'FloorTaken' | 'FloorIdle' | 'FloorDeny'>;

/**
 * The floor of a call at its controlling server, as a state of the floor control server's
 * 'general floor control operation' (24.380 6.3.4); 'Start-stop' when the flow names no ongoing
 * call of the group.
 */
type Floor =
  | { state: 'Start-stop' }
  | { state: 'G: Floor Idle'; call: HomeCall }
  | { state: 'G: Floor Taken'; call: HomeCall; byHolder: boolean };

/**
 * Floor control of ongoing group calls (24.380: Floor Request, Granted, Deny, Taken, Release,
 * Idle). The home server arbitrates the floor; when it falls idle T4 starts, and its expiry
 * releases the call. Notifications for every participant go to the home's own members one by
 * one and to each participating server once, which passes them on to the members it serves.
 */
export class GroupFloorControl {
  /** One handler for every call's T4, given the call: starting T4 makes no closure. */
  private readonly expire = (call: HomeCall): void => this.onT4Expiry(call);

  constructor(
    private readonly server: ServerHost,
    private readonly ctx: Ctx,
    private readonly groups: GroupCallTables,
    private readonly releases: Pick<GroupCallRelease, 'release'>,
  ) {}

  /** A member's request or release: arbitrated at the home server, relayed towards it from elsewhere. */
  fromMember(m: FromMember, fromClient: boolean): void {
    if (this.isHome(m.groupId)) this.arbitrate(m, this.floorOf(m));
    // From a member served here to another system's group: on towards the controlling server.
    else if (fromClient) this.server.route({ ...m, target: m.groupId });
  }

  private floorOf(m: FromMember): Floor {
    const call = this.groups.homeCalls.get(m.groupId);
    if (call === undefined || call.callId !== m.callId) return { state: 'Start-stop' };
    if (call.talker === undefined) return { state: 'G: Floor Idle', call };
    return { state: 'G: Floor Taken', call, byHolder: call.talker === m.member };
  }

  /**
   * 24.380 6.3.4.3 / 6.3.4.4: a request is granted while the floor is idle, or to its holder
   * asking again; a release by the holder makes it idle. A request for no ongoing call is
   * denied; a release from an older call of the group, or from a member the floor moved away
   * from, is stale.
   */
  private arbitrate(m: FromMember, floor: Floor): void {
    match({ m, floor })
      .with({ m: { type: 'FloorRequest' }, floor: { state: 'Start-stop' } }, ({ m }) => this.deny(m, 'no such call'))
      .with({ m: { type: 'FloorRequest' }, floor: { state: 'G: Floor Idle' } }, ({ m, floor }) =>
        this.grant(floor.call, m.member),
      )
      .with({ m: { type: 'FloorRequest' }, floor: { state: 'G: Floor Taken', byHolder: true } }, ({ m, floor }) =>
        this.grant(floor.call, m.member),
      )
      .with({ m: { type: 'FloorRequest' }, floor: { state: 'G: Floor Taken', byHolder: false } }, ({ m }) =>
        this.deny(m, 'floor taken'),
      )
      .with({ m: { type: 'FloorRelease' }, floor: { state: 'G: Floor Taken', byHolder: true } }, ({ floor }) =>
        this.idle(floor.call),
      )
      .with({ m: { type: 'FloorRelease' } }, () => undefined)
      .exhaustive();
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

  /** Floor Granted enters 'G: Floor Taken' (24.380 6.3.4.4): T4 stops; the others learn who talks. */
  grant(call: HomeCall, member: McId): void {
    stopT4(this.ctx.sim, call);
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

  /**
   * The talk burst is over, or the talker left: 'G: Floor Idle' (24.380 6.3.4.3), Floor Idle to
   * all, T4 on.
   */
  idle(call: HomeCall): void {
    call.talker = undefined;
    this.broadcast(call, (target) => ({ type: 'FloorIdle', callId: call.callId, target, groupId: call.groupId }));
    stopT4(this.ctx.sim, call);
    call.t4 = after(this.ctx.sim, this.ctx.config.timers.hangTime, 'timer', this.expire, call);
  }

  private onT4Expiry(call: HomeCall): void {
    call.t4 = undefined;
    // 23.379 10.6.2.3.1.1.3 step 1: hang time expiry is a termination condition.
    if (this.groups.homeCalls.get(call.groupId) === call) this.releases.release(call, 'hang time expiry');
  }

  /** To every participant but `except`: home members one by one, each participating server once. */
  private broadcast(call: HomeCall, msg: (target: McId) => McMessage & { target: McId }, except?: McId): void {
    for (const member of call.local) if (member !== except) this.groups.toMember(member, msg(member));
    for (const system of call.participating) this.server.route(msg(serverPsi(system)));
  }

  /**
   * A floor flow on its way down to a member, or for all the members a participating server
   * serves (24.380 6.4: the participating function passes the controlling one's floor messages
   * on); that server notes who talks, for the late joiners it brings in.
   */
  towardsMembers(m: ToMembers): void {
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

  /** A crash loses the calls in memory, and their timers with them. */
  crash(): void {
    for (const call of this.groups.homeCalls.values()) stopT4(this.ctx.sim, call);
  }
}
