import { match } from 'ts-pattern';
import type { Ctx } from '../actor.ts';
import type { UserConfig } from '../config.ts';
import { primaryIdOf, serverPsi, type McId, type SystemId } from '../protocol/identity.ts';
import type { MessageOf } from '../protocol/messages.ts';
import { PartnerReleases } from './partner-releases.ts';
import { RecentCalls } from '../protocol/recent-calls.ts';
import type { Server } from './server.ts';

type MigrationMessage = MessageOf<
  | 'MigrationServiceAuthorizationRequest'
  | 'MigrationServiceAuthorizationResponse'
  | 'MigrationServiceDeauthorizationRequest'
  | 'MigrationServiceDeauthorizationResponse'
>;

/**
 * Migration service authorization and de-authorization (23.280 10.6.3.3), in both roles: the
 * partner server the migrant talks to, and the migrant's primary server. Also the partner
 * registration check of 10.1.6.2 (the MMS role is folded into the server [A]).
 */
export class MigrationAuthority {
  private readonly usersByPrimaryId = new Map<McId, UserConfig>();
  /** The primary's clean-up of partners its migrants left. */
  readonly releases: PartnerReleases;
  /** Authorizations (procId) of a user at the partner it is already migrated to, kept a while as ended calls are. */
  private readonly renewals = new RecentCalls();

  constructor(
    private readonly server: Server,
    private readonly ctx: Ctx,
  ) {
    this.releases = new PartnerReleases(server, ctx);
    for (const u of ctx.config.users) {
      if (u.primary === server.system) this.usersByPrimaryId.set(primaryIdOf(u.name, u.primary), u);
    }
  }

  receive(m: MigrationMessage, from: string): void {
    const fromClient = this.server.isClient(from);
    match(m)
      .with({ type: 'MigrationServiceAuthorizationRequest' }, (r) =>
        fromClient ? this.partnerAuthorize(r, from) : this.primaryAuthorize(r),
      )
      .with({ type: 'MigrationServiceDeauthorizationRequest' }, (r) => {
        if (fromClient) this.partnerDeauthorize(r, from);
        else if (this.ctx.topo.systemOfId(r.primaryId) === this.server.system) this.primaryDeauthorize(r);
        else this.releasedByPrimary(r);
      })
      .with({ type: 'MigrationServiceAuthorizationResponse' }, (r) => {
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
      })
      .with({ type: 'MigrationServiceDeauthorizationResponse' }, (r) => {
        if (this.server.route(r)) return;
        if (this.releases.answered(r.procId)) return;
        // A response nobody waits for any more (its requester timed out, or an undo) changes nothing.
        this.server.settle(r, from);
      })
      .exhaustive();
  }

  /** 10.6.3.3.1 steps 1-5 and 10-12, partner side. */
  private partnerAuthorize(m: MessageOf<'MigrationServiceAuthorizationRequest'>, client: string): void {
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

  /** 10.6.3.3.1 steps 6-8, primary side. */
  private primaryAuthorize(m: MessageOf<'MigrationServiceAuthorizationRequest'>): void {
    const s = this.server;
    const partner = this.ctx.topo.systemOfId(m.partnerId) as SystemId;
    const refusal = this.permits(m.primaryId, partner, m.profile);
    // Step 7: mark the user migrated and record the partner system (only when step 6 passed).
    if (refusal === undefined) {
      const before = s.migrationTable.get(m.primaryId);
      if (before?.status === 'migrated' && before.partnerId === m.partnerId)
        this.renewals.add(m.procId, this.ctx.sim.now);
      s.migrationTable.set(m.primaryId, { partnerId: m.partnerId, partnerSystem: partner, status: 'migrated' });
      if (before !== undefined && before.status === 'migrated' && before.partnerSystem !== partner)
        this.releases.superseded(before.partnerId, m.primaryId, partner);
    }
    s.route({
      type: 'MigrationServiceAuthorizationResponse',
      procId: m.procId,
      target: serverPsi(partner),
      partnerId: m.partnerId,
      primaryId: m.primaryId,
      result: refusal === undefined ? 'success' : 'failure',
      ...(refusal === undefined ? {} : { reason: refusal }),
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

  /**
   * The success of step 8 never reached the partner: the user is not migrated there after all,
   * unless it already was before this authorization (the partner still holds that record).
   */
  authorizationUndelivered(m: MessageOf<'MigrationServiceAuthorizationResponse'>): void {
    if (this.renewals.has(m.procId)) return;
    const record = this.server.migrationTable.get(m.primaryId);
    if (record !== undefined && record.partnerId === m.partnerId && record.status === 'migrated')
      record.status = 'deauthorized';
  }

  /**
   * The user is authorized for service at home (10.6.1 step 4): it is no longer migrated, and
   * calls to it are served here rather than redirected to its old partner [A], which is cleaned
   * up as when the user moves to another partner (PartnerReleases).
   */
  returnedHome(primaryId: McId): void {
    const record = this.server.migrationTable.get(primaryId);
    if (record === undefined || record.status !== 'migrated') return;
    record.status = 'deauthorized';
    this.releases.superseded(record.partnerId, primaryId, this.server.system);
  }

  /** 10.6.3.3.2 steps 1-2, optional 3-10, 11-12, partner side. */
  private partnerDeauthorize(m: MessageOf<'MigrationServiceDeauthorizationRequest'>, client: string): void {
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
    // an answer the primary's own clean-up (partner-releases.ts) settles the records.
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

  /** 10.6.3.3.2 steps 3-10 at the primary: update the stored migration information. */
  private primaryDeauthorize(m: MessageOf<'MigrationServiceDeauthorizationRequest'>): void {
    const s = this.server;
    const record = s.migrationTable.get(m.primaryId);
    const known = this.usersByPrimaryId.has(m.primaryId);
    // A newer authorization (to another partner) must not be undone by the old partner's report.
    if (record !== undefined && record.partnerId === m.partnerId) record.status = 'deauthorized';
    this.releases.reported(m.partnerId, m.primaryId);
    const partner = this.ctx.topo.systemOfId(m.partnerId) as SystemId;
    s.route({
      type: 'MigrationServiceDeauthorizationResponse',
      procId: m.procId,
      target: serverPsi(partner),
      partnerId: m.partnerId,
      primaryId: m.primaryId,
      result: known ? 'success' : 'failure',
      ...(known ? {} : { reason: 'unknown user' }),
    });
  }

  /** At the old partner: the primary reports that its migrant is served elsewhere now. */
  private releasedByPrimary(m: MessageOf<'MigrationServiceDeauthorizationRequest'>): void {
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

  onSipAuthInfoRequest(m: MessageOf<'SipAuthInfoRequest'>): void {
    const partner = this.ctx.topo.systemOfId(m.partnerId) as SystemId;
    this.server.route({
      type: 'SipAuthInfoResponse',
      procId: m.procId,
      target: serverPsi(partner),
      result: this.usersByPrimaryId.has(m.primaryId) ? 'success' : 'failure',
    });
  }

  onSipAuthInfoResponse(m: MessageOf<'SipAuthInfoResponse'>): void {
    if (!this.server.route(m)) this.server.settle(m, '');
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

  /** 10.6.3.3.1 step 6: migration to that partner with that profile must be permitted. */
  private permits(primaryId: McId, partner: SystemId, profile: string): string | undefined {
    const user = this.usersByPrimaryId.get(primaryId);
    if (user === undefined) return 'unknown user';
    if (user.migrationForbidden) return 'migration not permitted for this user';
    if (!this.ctx.topo.system(this.server.system).allowsMigrationTo.includes(partner))
      return 'migration to this partner not permitted';
    if (!user.migrationProfiles.includes(profile)) return 'profile not permitted';
    return undefined;
  }
}

/** How the partner answers the migrating client's request `m`: its IDs echoed, towards its partner ID. */
function replier(
  s: Server,
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
