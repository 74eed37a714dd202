import type { Ctx } from '../actor.ts';
import type { McId } from '../protocol/identity.ts';
import type { MessageOf } from '../protocol/messages.ts';
import type { ServerHost } from './host.ts';

/**
 * The partner system's side of migration (23.280 10.6.3.3): the server a migrant registers with
 * (10.1.6.2) and asks for MC service, which asks the migrant's primary and keeps the mapping of
 * the two IDs; and the old partner a primary tells that its migrant has left.
 */
export class MigrationPartnerRole {
  constructor(
    private readonly server: ServerHost,
    private readonly ctx: Ctx,
  ) {}

  /** 10.1.6.2 steps 2-5: ask the primary about a partner SIP identity, then challenge the UE. */
  challengeVisitor(m: MessageOf<'SipRegister'>, client: string): void {
    const s = this.server;
    const forbid = (reason: string): void => s.send(client, { type: 'SipForbidden', procId: m.procId, reason });
    if (this.ctx.topo.systemOfId(m.primaryId) === undefined) return forbid('unknown primary system');
    s.requestRemote(
      { type: 'SipAuthInfoRequest', procId: m.procId, target: m.primaryId, partnerId: m.mcId, primaryId: m.primaryId },
      (resp) => {
        if ((resp as MessageOf<'SipAuthInfoResponse'>).result === 'success')
          s.send(client, { type: 'SipUnauthorized', procId: m.procId });
        else forbid('unknown at primary');
      },
      () => forbid('timeout'),
    );
  }

  /** 10.6.3.3.1 steps 1-5 and 10-12: the migrant's request, passed on to its primary if the initial check passes. */
  authorize(m: MessageOf<'MigrationServiceAuthorizationRequest'>, client: string): void {
    const s = this.server;
    const reply = replier(s, client, 'MigrationServiceAuthorizationResponse', m);
    // Step 2: initial check (NOTE 2: e.g. a pre-configured list of expected migrants).
    const refusal = this.initialCheck(m.primaryId);
    if (refusal !== undefined) {
      s.registrations.delete(m.partnerId);
      return reply('failure', refusal);
    }
    // Steps 3-5: towards the primary server, through the gateways when hiding is on.
    s.requestRemote(
      { ...m, target: m.primaryId },
      (resp) => {
        const r = resp as MessageOf<'MigrationServiceAuthorizationResponse'>;
        // Step 11: store the mapping and migration status, only on success (NOTE 4).
        if (r.result === 'success') s.visitorTable.set(m.partnerId, { primaryId: m.primaryId, status: 'migrated' });
        // Without service authorization the SIP registration alone gives no MC service here.
        else s.registrations.delete(m.partnerId);
        reply(r.result, r.reason);
      },
      () => {
        s.registrations.delete(m.partnerId);
        reply('failure', 'timeout');
      },
    );
  }

  /** The primary's answer (10.6.3.3.1 step 8): on towards the partner, or to the request awaiting it here. */
  onAuthorizationResponse(r: MessageOf<'MigrationServiceAuthorizationResponse'>, from: string): void {
    if (this.server.route(r) || this.server.settle(r, from) || r.result !== 'success') return;
    // The migrant was already told "timeout": undo the late success at the primary so that
    // the two records agree again (de-authorization steps 3-10 of 10.6.3.3.2).
    this.server.route({
      type: 'MigrationServiceDeauthorizationRequest',
      procId: `${r.procId}.undo`,
      target: r.primaryId,
      partnerId: r.partnerId,
      primaryId: r.primaryId,
    });
  }

  /** 10.6.3.3.2 steps 1-2 and 11-12, with the report to the primary (steps 3-10) where this system makes it. */
  deauthorize(m: MessageOf<'MigrationServiceDeauthorizationRequest'>, client: string): void {
    const s = this.server;
    const reply = replier(s, client, 'MigrationServiceDeauthorizationResponse', m);
    const visitor = s.visitorTable.get(m.partnerId);
    // Step 2: only a user migrated here can be de-authorized here.
    if (visitor === undefined || visitor.status !== 'migrated' || visitor.primaryId !== m.primaryId) {
      return reply('failure', 'not migrated here');
    }
    // Step 11: the user is no longer migrated on this partner system. Recorded before the
    // primary answers steps 3-10 [A]: the transaction awaiting that answer is volatile, and a
    // crash that lost it (the answer queued, not yet handled) would leave the user migrated here
    // for good while the primary has let it go. Only the primary's refusal takes it back; without
    // an answer the primary's own clean-up (PartnerReleases) settles the records.
    visitor.status = 'left';
    const finish = (): void => {
      s.registrations.delete(m.partnerId);
      reply('success');
    };
    if (!this.ctx.topo.system(s.system).deauthorizeTowardsPrimary) return finish();
    s.requestRemote(
      { ...m, target: m.primaryId },
      (resp) => {
        const r = resp as MessageOf<'MigrationServiceDeauthorizationResponse'>;
        if (r.result === 'success') return finish();
        visitor.status = 'migrated';
        reply('failure', r.reason);
      },
      () => reply('failure', 'timeout'),
    );
  }

  /** At an old partner: the primary says its migrant is served elsewhere now (PartnerReleases) [A]. */
  releasedByPrimary(m: MessageOf<'MigrationServiceDeauthorizationRequest'>): void {
    const s = this.server;
    const visitor = s.visitorTable.get(m.partnerId);
    const held = visitor !== undefined && visitor.status === 'migrated' && visitor.primaryId === m.primaryId;
    if (held) {
      visitor.status = 'left';
      s.registrations.delete(m.partnerId);
    }
    s.route({
      type: 'MigrationServiceDeauthorizationResponse',
      procId: m.procId,
      target: m.primaryId,
      partnerId: m.partnerId,
      primaryId: m.primaryId,
      result: held ? 'success' : 'failure',
      ...(held ? {} : { reason: 'not migrated here' }),
    });
  }

  /**
   * The partner's report of a de-authorization never reached the primary (10.6.3.3.2 steps
   * 3-10): it ends here as a failure response would (RFC 3261 8.1.3.1: a transport error is a
   * 503), so this partner takes its step 11 back rather than let the user go where the primary,
   * which never heard of it, still holds the user as migrated here.
   */
  reportUndelivered(m: MessageOf<'MigrationServiceDeauthorizationRequest'>, unreachable: string): void {
    const { procId, partnerId, primaryId } = m;
    this.server.settle(
      {
        type: 'MigrationServiceDeauthorizationResponse',
        procId,
        target: partnerId,
        partnerId,
        primaryId,
        result: 'failure',
        reason: 'unreachable',
      },
      unreachable,
    );
  }

  /** Partner-side reasons to refuse a migrant before asking its primary. */
  private initialCheck(primaryId: McId): string | undefined {
    const topo = this.ctx.topo;
    const primary = topo.systemOfId(primaryId);
    if (primary === undefined) return 'unknown primary system';
    if (!topo.connected(primary, this.server.system)) return 'primary system not interconnected';
    if (!topo.system(this.server.system).acceptsMigrantsFrom.includes(primary)) return 'not an expected migrant';
    return undefined;
  }
}

/** How the partner answers the migrating client's request `m`: its IDs echoed, towards its partner ID. */
function replier(
  s: ServerHost,
  client: string,
  type: 'MigrationServiceAuthorizationResponse' | 'MigrationServiceDeauthorizationResponse',
  m: { procId: string; partnerId: McId; primaryId: McId },
): (result: 'success' | 'failure', reason?: string) => void {
  return (result, reason) =>
    s.send(client, {
      type,
      procId: m.procId,
      target: m.partnerId,
      partnerId: m.partnerId,
      primaryId: m.primaryId,
      result,
      ...(reason === undefined ? {} : { reason }),
    });
}
