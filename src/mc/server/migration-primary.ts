import type { Ctx } from '../actor.ts';
import type { UserConfig, SystemId } from '../config.ts';
import { primaryIdOf, serverPsi, type McId } from '../protocol/identity.ts';
import type { MessageOf } from '../protocol/messages.ts';
import { RecentCalls } from '../protocol/recent-calls.ts';
import type { ServerHost } from './host.ts';
import { PartnerReleases } from './partner-releases.ts';

/**
 * The primary system's side of migration (23.280 10.6.3.3): it permits or refuses a user's
 * migration to a partner, keeps the record of where the user is migrated, and cleans up after
 * partners the user left. Also answers a partner's check of a SIP identity (10.1.6.2).
 */
export class MigrationPrimaryRole {
  /** Users whose primary system is this one, by primary ID: the only users it may authorize. */
  private readonly usersByPrimaryId = new Map<McId, UserConfig>();
  /** The clean-up of partners its migrants left. */
  readonly releases = new PartnerReleases(this.server, this.ctx);
  /** Authorizations (procId) of a user at the partner it is already migrated to, kept a while as ended calls are. */
  private readonly renewals = new RecentCalls();

  constructor(
    private readonly server: ServerHost,
    private readonly ctx: Ctx,
  ) {
    for (const u of ctx.config.users) {
      if (u.primary === server.system) this.usersByPrimaryId.set(primaryIdOf(u.name, u.primary), u);
    }
  }

  /** 10.6.3.3.1 steps 6-8: the migration is permitted or not (6), recorded (7), and the partner answered (8). */
  authorize(m: MessageOf<'MigrationServiceAuthorizationRequest'>): void {
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

  /** 10.6.3.3.2 steps 3-10 at the primary: update the stored migration information. */
  deauthorize(m: MessageOf<'MigrationServiceDeauthorizationRequest'>): void {
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

  /** 10.1.6.2 steps 3-4 at the primary: whether the user of the partner SIP identity is one of its own. */
  onSipAuthInfoRequest(m: MessageOf<'SipAuthInfoRequest'>): void {
    const partner = this.ctx.topo.systemOfId(m.partnerId) as SystemId;
    this.server.route({
      type: 'SipAuthInfoResponse',
      procId: m.procId,
      target: serverPsi(partner),
      result: this.usersByPrimaryId.has(m.primaryId) ? 'success' : 'failure',
    });
  }

  /**
   * The success of 10.6.3.3.1 step 8 never reached the partner: the user is not migrated there after all,
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
