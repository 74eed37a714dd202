import type { SystemId } from '../config.ts';
import type { Ctx } from '../actor.ts';
import { serverPsi, type McId } from '../protocol/identity.ts';
import type { MessageOf } from '../protocol/messages.ts';
import type { GroupCallTables } from './group-tables.ts';
import type { ServerHost } from './host.ts';

type AffiliationRequest = MessageOf<'GroupAffiliationRequest' | 'GroupDeaffiliationRequest'>;

/** What a change of affiliation does to the group's ongoing call (GroupCallSetup). */
export interface AffiliationEffects {
  /** At the home: a member affiliated through `system`, which late entry may bring into the call. */
  affiliatedAtHome(groupId: McId, member: McId, system: SystemId): void;
  /** At a participating server: a member it serves affiliated, from `client`, to a group whose call it takes part in. */
  affiliatedHere(groupId: McId, member: McId, client: string): void;
  /** At the home: a member left the group, and so leaves its call. */
  deaffiliatedAtHome(groupId: McId, member: McId): void;
}

/**
 * Group affiliation and de-affiliation (23.280 10.8.3, 10.8.4). The server of the group's home
 * system keeps the affiliations; a server of another system relays its users' requests there,
 * server to server (10.8.3.2). Affiliations survive a crash (the GMS keeps them), and so do the
 * numbers that order them.
 */
export class GroupAffiliation {
  /** Home role: group -> member -> the `seq` of its last (de-)affiliation applied. */
  private readonly lastSeq = new Map<McId, Map<McId, number>>();

  constructor(
    private readonly server: ServerHost,
    private readonly ctx: Ctx,
    private readonly groups: GroupCallTables,
    private readonly calls: AffiliationEffects,
  ) {}

  /** 10.8.3.1 (group of this system) or 10.8.3.2 (group of another system, server to server). */
  onAffiliation(m: MessageOf<'GroupAffiliationRequest'>, from: string): void {
    const s = this.server;
    const fromClient = s.isClient(from);
    if (this.isHome(m.groupId)) {
      const inOrder = this.inOrder(m);
      const target = fromClient ? m.mcId : serverPsi(this.groups.systemOf(m.mcId));
      const reply = answer('GroupAffiliationResponse', m, target, inOrder ? 'success' : 'failure');
      if (fromClient) s.send(from, reply);
      else s.route(reply);
      if (inOrder) this.affiliate(m.groupId, m.mcId, fromClient ? s.system : this.groups.systemOf(m.mcId));
      return;
    }
    const failure = (): void => s.send(from, answer('GroupAffiliationResponse', m, m.mcId, 'failure'));
    if (!s.reaches(m.groupId)) return failure();
    s.requestRemote(
      { ...m, target: m.groupId },
      (resp) => {
        const r = resp as MessageOf<'GroupAffiliationResponse'>;
        s.send(from, { ...r, target: m.mcId });
        if (r.result === 'success') this.calls.affiliatedHere(m.groupId, m.mcId, from);
      },
      failure,
    );
  }

  /** 10.8.4.2 / 10.8.4.3. */
  onDeaffiliation(m: MessageOf<'GroupDeaffiliationRequest'>, from: string): void {
    const s = this.server;
    const fromClient = s.isClient(from);
    if (this.isHome(m.groupId)) {
      const inOrder = this.inOrder(m);
      if (inOrder) {
        this.groups.affiliations.get(m.groupId)?.delete(m.mcId);
        this.calls.deaffiliatedAtHome(m.groupId, m.mcId);
      }
      const target = fromClient ? m.mcId : serverPsi(this.groups.systemOf(m.mcId));
      const reply = answer('GroupDeaffiliationResponse', m, target, inOrder ? 'success' : 'failure');
      if (fromClient) s.send(from, reply);
      else s.route(reply);
      return;
    }
    const failure = (): void => s.send(from, answer('GroupDeaffiliationResponse', m, m.mcId, 'failure'));
    if (!s.reaches(m.groupId)) return failure();
    s.requestRemote(
      { ...m, target: m.groupId },
      (resp) => {
        const r = resp as MessageOf<'GroupDeaffiliationResponse'>;
        // Out of the group's call here only once the home applied it: a held-up de-affiliation
        // that the home refused (older than a later affiliation) leaves the member in its call.
        if (r.result === 'success') {
          const joined = this.groups.joined.get(m.groupId);
          joined?.lateEntries.delete(m.mcId);
          joined?.participants.delete(m.mcId);
        }
        s.send(from, { ...r, target: m.mcId });
      },
      failure,
    );
  }

  private isHome(groupId: McId): boolean {
    return this.ctx.topo.systemOfId(groupId) === this.server.system;
  }

  /** Affiliates a member at the home server, which may bring it into the group's call. */
  private affiliate(groupId: McId, member: McId, system: SystemId): void {
    let members = this.groups.affiliations.get(groupId);
    if (members === undefined) this.groups.affiliations.set(groupId, (members = new Map()));
    members.set(member, system);
    this.calls.affiliatedAtHome(groupId, member, system);
  }

  /**
   * Whether a (de-)affiliation comes after the last one applied for that member and group; a
   * request the network held up (a retransmission through a loss burst) that arrives after a
   * later one is refused, as SIP refuses a lower CSeq (RFC 3261 12.2.2), and changes nothing.
   */
  private inOrder(m: AffiliationRequest): boolean {
    let members = this.lastSeq.get(m.groupId);
    if (members === undefined) this.lastSeq.set(m.groupId, (members = new Map()));
    if ((members.get(m.mcId) ?? 0) > m.seq) return false;
    members.set(m.mcId, m.seq);
    return true;
  }
}

/** The answer to a (de-)affiliation request, towards `target`: the member, or the server it came through. */
function answer(
  type: 'GroupAffiliationResponse' | 'GroupDeaffiliationResponse',
  m: AffiliationRequest,
  target: McId,
  result: 'success' | 'failure',
): MessageOf<'GroupAffiliationResponse' | 'GroupDeaffiliationResponse'> {
  return { type, procId: m.procId, target, mcId: m.mcId, groupId: m.groupId, result };
}
