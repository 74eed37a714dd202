import type { SystemId } from '../config.ts';
import type { Ctx } from '../actor.ts';
import { dispatch, type Routes } from '../protocol/dispatch.ts';
import type { McId } from '../protocol/identity.ts';
import type { McMessage, MessageOf } from '../protocol/messages.ts';
import { RecentCalls } from '../protocol/recent-calls.ts';
import { GroupAffiliation } from './group-affiliation.ts';
import { GroupCallSetup } from './group-call-setup.ts';
import { GroupFloorControl } from './group-floor.ts';
import { GroupCallRelease } from './group-release.ts';
import type { FloorMessage, GroupCallTables, HomeCall, JoinedCall, ReleaseMessage } from './group-tables.ts';
import type { ServerHost } from './host.ts';

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
 * Groups at an MC service server: affiliation (23.280 10.8), pre-arranged group calls (23.379
 * 10.6.2.3.1.1), their floor (24.380) and their release. The server of the group's home system
 * controls the group: it keeps the affiliations and the call. A server of another system relays
 * for its users and takes part in the calls that reach them. Holds the tables the parts share.
 */
export class GroupControl implements GroupCallTables {
  readonly affiliations = new Map<McId, Map<McId, SystemId>>();
  readonly homeCalls = new Map<McId, HomeCall>();
  readonly joined = new Map<McId, JoinedCall>();
  readonly superseded = new Map<string, JoinedCall>();
  readonly released = new RecentCalls();
  readonly release = new GroupCallRelease(this.server, this.ctx, this);
  private readonly floor = new GroupFloorControl(this.server, this.ctx, this, this.release);
  private readonly calls = new GroupCallSetup(this.server, this.ctx, this, this.floor, this.release);
  private readonly affiliation = new GroupAffiliation(this.server, this.ctx, this, this.calls);

  constructor(
    private readonly server: ServerHost,
    private readonly ctx: Ctx,
  ) {}

  receive(m: GroupMessage, from: string): void {
    dispatch(GroupControl.routes, this, m, from);
  }

  /** Each flow to the part whose procedure it belongs to; answers to requests of this server, to the request. */
  private static readonly routes: Routes<GroupControl, GroupMessage['type'], string> = {
    GroupAffiliationRequest: (g, m, from) => g.affiliation.onAffiliation(m, from),
    GroupDeaffiliationRequest: (g, m, from) => g.affiliation.onDeaffiliation(m, from),
    GroupAffiliationResponse: (g, m, from) => g.answered(m, from),
    GroupDeaffiliationResponse: (g, m, from) => g.answered(m, from),
    GroupCallRequest: (g, m, from) => g.calls.onRequest(m, from),
    GroupCallResponse: (g, m, from) => g.calls.onResponse(m, from),
    FloorRequest: (g, m, from) => g.floor.fromMember(m, g.server.isClient(from)),
    FloorRelease: (g, m, from) => g.floor.fromMember(m, g.server.isClient(from)),
    FloorGranted: (g, m) => g.floor.towardsMembers(m),
    FloorTaken: (g, m) => g.floor.towardsMembers(m),
    FloorIdle: (g, m) => g.floor.towardsMembers(m),
    FloorDeny: (g, m) => g.floor.towardsMembers(m),
    GroupCallReleaseRequest: (g, m) => g.release.onRequest(m),
    GroupCallReleaseResponse: (g, m, from) => g.release.onResponse(m, from, g.server.isClient(from)),
  };

  /** The home's answer to a (de-)affiliation relayed here: on towards the member, or to the request waiting for it. */
  private answered(m: MessageOf<'GroupAffiliationResponse' | 'GroupDeaffiliationResponse'>, from: string): void {
    if (!this.server.route(m)) this.server.settle(m, from);
  }

  /** A crash loses every call in memory, T4 included; the affiliations stay (the GMS keeps them). */
  crash(): void {
    this.floor.crash();
    this.release.crash();
    this.homeCalls.clear();
    this.joined.clear();
    this.superseded.clear();
    this.released.clear();
  }

  toMember(member: McId, msg: McMessage & { target: McId }): void {
    const s = this.server;
    if (s.route(msg)) return;
    const client = s.registrations.get(member);
    if (client !== undefined) s.sendTo(client, msg);
  }

  systemOf(member: McId): SystemId {
    return this.ctx.topo.systemOfId(member) as SystemId;
  }
}
