import { match } from 'ts-pattern';
import type { Envelope } from '../../net/index.ts';
import { Actor, type Ctx } from '../actor.ts';
import type { UserConfig, SystemId } from '../config.ts';
import { addr, primaryIdOf, serverPsi, type McId } from '../protocol/identity.ts';
import type { McMessage, MessageOf } from '../protocol/messages.ts';
import { bytesOf } from '../protocol/sizes.ts';

/**
 * Configuration management server: user profile retrieval in the primary system (10.1.4.3.1)
 * and, for a migrant, in the partner system via the primary CMS over CSC-17 (10.1.4.3.2).
 */
export class ConfigurationManagementServer extends Actor {
  /** The users of this system by primary ID; made at the first request (most replications send none). */
  private byPrimaryId: Map<McId, UserConfig> | undefined;

  constructor(
    readonly system: SystemId,
    ctx: Ctx,
  ) {
    super(addr.cms(system), ctx, system, 'cms');
  }

  private get users(): Map<McId, UserConfig> {
    if (this.byPrimaryId === undefined) {
      this.byPrimaryId = new Map();
      for (const u of this.ctx.config.users)
        if (u.primary === this.system) this.byPrimaryId.set(primaryIdOf(u.name, u.primary), u);
    }
    return this.byPrimaryId;
  }

  receive(env: Envelope<McMessage>): void {
    const { msg, from } = env;
    match(msg)
      .with({ type: 'UserProfileRequest' }, (m) =>
        m.forMigration ? this.partnerRetrieval(m, from) : this.primaryRetrieval(m, from),
      )
      .with({ type: 'MigrationProfileRequest' }, (m) => this.migrationProfile(m, from))
      .with({ type: 'MigrationProfileResponse' }, (m) => {
        this.settle(m, from);
      })
      .otherwise((m) => this.unexpected(m, from));
  }

  private get profileBytes(): number {
    return bytesOf(this.ctx.config.sizes, 'UserProfileResponse');
  }

  /** 10.1.4.3.1 steps 1-2. */
  private primaryRetrieval(m: MessageOf<'UserProfileRequest'>, from: string): void {
    const known = this.users.has(m.primaryId);
    this.send(from, {
      type: 'UserProfileResponse',
      procId: m.procId,
      result: known ? 'success' : 'failure',
      bytes: known ? this.profileBytes : 0,
    });
  }

  /** 10.1.4.3.2 steps 1, 2 and 4: the partner CMS fetches the migration profile from the primary CMS. */
  private partnerRetrieval(m: MessageOf<'UserProfileRequest'>, client: string): void {
    const primary = this.ctx.topo.systemOfId(m.primaryId);
    const fail = (): void =>
      this.send(client, { type: 'UserProfileResponse', procId: m.procId, result: 'failure', bytes: 0 });
    if (primary === undefined || !this.ctx.topo.connected(primary, this.system)) return fail();
    this.request(
      addr.cms(primary),
      {
        type: 'MigrationProfileRequest',
        procId: m.procId,
        target: serverPsi(primary),
        primaryId: m.primaryId,
        partnerSystem: this.system,
      },
      (resp) => {
        const r = resp as MessageOf<'MigrationProfileResponse'>;
        this.send(client, {
          type: 'UserProfileResponse',
          procId: m.procId,
          result: r.result,
          bytes: r.bytes,
          ...(r.profile ? { profile: r.profile } : {}),
        });
      },
      fail,
    );
  }

  /** 10.1.4.3.2 step 3 at the primary CMS: is migration to that partner allowed; which profile. */
  private migrationProfile(m: MessageOf<'MigrationProfileRequest'>, from: string): void {
    const user = this.users.get(m.primaryId);
    const allowed =
      user !== undefined &&
      !user.migrationForbidden &&
      this.ctx.topo.system(this.system).allowsMigrationTo.includes(m.partnerSystem);
    this.send(from, {
      type: 'MigrationProfileResponse',
      procId: m.procId,
      target: serverPsi(m.partnerSystem),
      result: allowed ? 'success' : 'failure',
      bytes: allowed ? this.profileBytes : 0,
      ...(allowed ? { profile: user.migrationProfiles[0] ?? 'default' } : {}),
    });
  }
}
