import { match } from 'ts-pattern';
import type { Ctx } from './actor.ts';
import { serverPsi, type McId, type SystemId } from './identity.ts';
import type { McMessage, MessageOf } from './messages.ts';
import type { Server } from './server.ts';

export type GroupMessage = MessageOf<
  | 'GroupAffiliationRequest'
  | 'GroupAffiliationResponse'
  | 'GroupDeaffiliationRequest'
  | 'GroupDeaffiliationResponse'
  | 'GroupCallRequest'
  | 'GroupCallResponse'
  | 'FloorGranted'
  | 'FloorTaken'
>;

/** An ongoing group call as its controlling (home) server holds it. */
export interface HomeCall {
  callId: string;
  talker: McId;
  /** Systems whose servers take part (participating function) besides the home system. */
  participating: Set<SystemId>;
}

/** An ongoing group call as a participating server in another system holds it. */
export interface JoinedCall {
  callId: string;
  talker?: McId;
  /** Members this server brought in by late entry itself, awaiting their response. */
  lateEntries: Set<McId>;
}

/**
 * Group affiliation (23.280 10.8) and pre-arranged group calls (23.379 10.6.2.3.1.1) with late
 * entry (10.6.2.3.1.1.4). The server of the group's home system controls the group: it keeps
 * the affiliations and the call. A server of another system relays for its users (10.8.3.2)
 * and, once it takes part in a call, brings its own late joiners in without asking the home.
 */
export class GroupControl {
  /** Home role: group -> affiliated member -> the system serving it. */
  readonly affiliations = new Map<McId, Map<McId, SystemId>>();
  readonly homeCalls = new Map<McId, HomeCall>();
  /** Participating role. */
  readonly joined = new Map<McId, JoinedCall>();

  constructor(
    private readonly server: Server,
    private readonly ctx: Ctx,
  ) {}

  private get system(): SystemId {
    return this.server.system;
  }

  private isHome(groupId: McId): boolean {
    return this.ctx.topo.systemOfId(groupId) === this.system;
  }

  /** Members' system as their ID names it (a partner-issued ID lives in the partner's domain). */
  private systemOf(member: McId): SystemId {
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
      .with({ type: 'FloorGranted' }, { type: 'FloorTaken' }, (r) => this.onFloor(r))
      .exhaustive();
  }

  /** Affiliates a member at the home server; answers; starts late entry where the home must. */
  private affiliateAtHome(groupId: McId, member: McId, system: SystemId): void {
    let members = this.affiliations.get(groupId);
    if (members === undefined) this.affiliations.set(groupId, (members = new Map()));
    members.set(member, system);
    const call = this.homeCalls.get(groupId);
    // 10.16.2 step 4: a participating system brings its own late joiner in; otherwise the home
    // does, which for a member elsewhere pulls that member's system into the call.
    if (call !== undefined && call.talker !== member && !call.participating.has(system)) this.inviteMember(groupId, call, member, true);
  }

  /** 10.8.3.1 (group of this system) or 10.8.3.2 (group of another system, server to server). */
  private onAffiliation(m: MessageOf<'GroupAffiliationRequest'>, from: string, fromClient: boolean): void {
    const s = this.server;
    if (this.isHome(m.groupId)) {
      const reply: McMessage = { type: 'GroupAffiliationResponse', procId: m.procId, target: fromClient ? m.mcId : serverPsi(this.systemOf(m.mcId)), mcId: m.mcId, groupId: m.groupId, result: 'success' };
      if (fromClient) s.send(from, reply);
      else s.route(reply);
      this.affiliateAtHome(m.groupId, m.mcId, fromClient ? this.system : this.systemOf(m.mcId));
      return;
    }
    const client = from;
    if (!s.reaches(m.groupId)) {
      s.send(client, { type: 'GroupAffiliationResponse', procId: m.procId, target: m.mcId, mcId: m.mcId, groupId: m.groupId, result: 'failure' });
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
          s.send(client, { type: 'GroupCallRequest', callId: call.callId, target: m.mcId, groupId: m.groupId, caller: call.talker ?? m.groupId, lateEntry: true, e2ee: this.ctx.config.security.e2ee });
        }
      },
      () => s.send(client, { type: 'GroupAffiliationResponse', procId: m.procId, target: m.mcId, mcId: m.mcId, groupId: m.groupId, result: 'failure' }),
    );
  }

  /** 10.8.4.2 / 10.8.4.3. */
  private onDeaffiliation(m: MessageOf<'GroupDeaffiliationRequest'>, from: string, fromClient: boolean): void {
    const s = this.server;
    if (this.isHome(m.groupId)) {
      this.affiliations.get(m.groupId)?.delete(m.mcId);
      const reply: McMessage = { type: 'GroupDeaffiliationResponse', procId: m.procId, target: fromClient ? m.mcId : serverPsi(this.systemOf(m.mcId)), mcId: m.mcId, groupId: m.groupId, result: 'success' };
      if (fromClient) s.send(from, reply);
      else s.route(reply);
      return;
    }
    this.joined.get(m.groupId)?.lateEntries.delete(m.mcId);
    if (!s.reaches(m.groupId)) {
      s.send(from, { type: 'GroupDeaffiliationResponse', procId: m.procId, target: m.mcId, mcId: m.mcId, groupId: m.groupId, result: 'failure' });
      return;
    }
    s.requestRemote(
      { ...m, target: m.groupId },
      (resp) => s.send(from, { ...(resp as MessageOf<'GroupDeaffiliationResponse'>), target: m.mcId }),
      () => s.send(from, { type: 'GroupDeaffiliationResponse', procId: m.procId, target: m.mcId, mcId: m.mcId, groupId: m.groupId, result: 'failure' }),
    );
  }

  /** 10.6.2.3.1.1.2 steps 2-7 at the controlling server, or relaying for a participating one. */
  private onCallRequest(m: MessageOf<'GroupCallRequest'>, from: string, fromClient: boolean): void {
    const s = this.server;
    if (!this.isHome(m.groupId)) {
      if (fromClient) {
        if (s.reaches(m.groupId)) s.route({ ...m, target: m.groupId });
        else s.send(from, { type: 'GroupCallResponse', callId: m.callId, target: m.caller, groupId: m.groupId, member: m.caller, result: 'rejected' });
        return;
      }
      // Towards a member served here: this server now takes part in the call.
      const call = this.joined.get(m.groupId);
      if (call === undefined || call.callId !== m.callId) this.joined.set(m.groupId, { callId: m.callId, talker: m.caller, lateEntries: new Set() });
      this.toMember(m.target, m);
      return;
    }
    const members = this.affiliations.get(m.groupId);
    if (this.homeCalls.has(m.groupId) || members === undefined || !members.has(m.caller)) {
      const reason: McMessage = { type: 'GroupCallResponse', callId: m.callId, target: m.caller, groupId: m.groupId, member: m.caller, result: 'rejected' };
      this.toMember(m.caller, reason);
      return;
    }
    const call: HomeCall = { callId: m.callId, talker: m.caller, participating: new Set() };
    this.homeCalls.set(m.groupId, call);
    // Steps 4 and 6: the members are invited; the initiator is answered without waiting for them.
    for (const member of members.keys()) if (member !== m.caller) this.inviteMember(m.groupId, call, member, false);
    this.toMember(m.caller, { type: 'GroupCallResponse', callId: m.callId, target: m.caller, groupId: m.groupId, member: m.caller, result: 'accepted' });
    // Step 7: implicit floor request granted.
    this.toMember(m.caller, { type: 'FloorGranted', callId: m.callId, target: m.caller, groupId: m.groupId });
  }

  private inviteMember(groupId: McId, call: HomeCall, member: McId, lateEntry: boolean): void {
    // A member affiliated through a system this one is not interconnected with cannot be reached.
    if (!this.server.reaches(member)) return;
    this.toMember(member, { type: 'GroupCallRequest', callId: call.callId, target: member, groupId, caller: call.talker, lateEntry, e2ee: this.ctx.config.security.e2ee });
  }

  private onCallResponse(m: MessageOf<'GroupCallResponse'>, from: string, fromClient: boolean): void {
    const s = this.server;
    if (!this.isHome(m.groupId)) {
      const call = this.joined.get(m.groupId);
      if (fromClient && call !== undefined && call.lateEntries.delete(m.member)) {
        // A late joiner this server brought in: it already knows who talks.
        if (m.result === 'accepted' && call.talker !== undefined) s.send(from, { type: 'FloorTaken', callId: call.callId, target: m.member, talker: call.talker, groupId: m.groupId });
        return;
      }
      if (fromClient) s.route({ ...m, target: m.groupId });
      else this.toMember(m.target, m);
      return;
    }
    const call = this.homeCalls.get(m.groupId);
    if (call === undefined || call.callId !== m.callId || m.result !== 'accepted') return;
    const system = this.systemOf(m.member);
    if (system !== this.system) call.participating.add(system);
    this.toMember(m.member, { type: 'FloorTaken', callId: call.callId, target: m.member, talker: call.talker, groupId: m.groupId });
  }

  private onFloor(m: MessageOf<'FloorGranted' | 'FloorTaken'>): void {
    const call = m.groupId === undefined ? undefined : this.joined.get(m.groupId);
    if (call !== undefined && m.type === 'FloorTaken') call.talker = m.talker;
    this.toMember(m.target, m);
  }

  /** To a member: onwards to its system, or to its client here. */
  private toMember(member: McId, msg: McMessage & { target: McId }): void {
    const s = this.server;
    if (s.route(msg)) return;
    const client = s.registrations.get(member);
    if (client !== undefined) s.send(client, msg);
  }
}
