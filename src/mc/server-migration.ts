import { match } from 'ts-pattern';
import type { EventHandle } from '../kernel/index.ts';
import type { Ctx } from './actor.ts';
import type { UserConfig } from './config.ts';
import { primaryIdOf, serverPsi, type McId, type SystemId } from './identity.ts';
import type { MessageOf } from './messages.ts';
import type { Server } from './server.ts';

/** Retransmission timing of a release towards a crashed partner (RFC 3261 17.1.2.2). */
const RELEASE_T1 = 500_000;
const RELEASE_T2 = 4_000_000;
const RELEASE_GIVE_UP = 64 * RELEASE_T1;

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
  /** Retried releases of old partners (procId), with the time waited so far. */
  private readonly releaseWaits = new Map<string, number>();
  /** Users back home whose old partner has not yet reported their de-authorization (steps 3-10). */
  private readonly returning = new Map<McId, { partnerId: McId; guard: EventHandle }>();

  constructor(
    private readonly server: Server,
    private readonly ctx: Ctx,
  ) {
    for (const u of ctx.config.users) {
      if (u.primary === server.system) this.usersByPrimaryId.set(primaryIdOf(u.name, u.primary), u);
    }
  }

  receive(m: MigrationMessage, from: string): void {
    const fromClient = this.server.isClient(from);
    match(m)
      .with({ type: 'MigrationServiceAuthorizationRequest' }, (r) => (fromClient ? this.partnerAuthorize(r, from) : this.primaryAuthorize(r)))
      .with({ type: 'MigrationServiceDeauthorizationRequest' }, (r) => {
        if (fromClient) this.partnerDeauthorize(r, from);
        else if (this.ctx.topo.systemOfId(r.primaryId) === this.server.system) this.primaryDeauthorize(r);
        else this.releasedByPrimary(r);
      })
      .with({ type: 'MigrationServiceAuthorizationResponse' }, (r) => {
        if (this.server.route(r) || this.server.settle(r, from) || r.result !== 'success') return;
        // The migrant was already told "timeout": undo the late success at the primary so that
        // the two records agree again (de-authorization steps 3-10 of 10.6.3.3.2).
        this.server.route({ type: 'MigrationServiceDeauthorizationRequest', procId: `${r.procId}.undo`, target: r.primaryId, partnerId: r.partnerId, primaryId: r.primaryId });
      })
      .with({ type: 'MigrationServiceDeauthorizationResponse' }, (r) => {
        if (this.server.route(r)) return;
        if (this.releaseWaits.has(r.procId)) return this.releaseAnswered(r.procId);
        // A response nobody waits for any more (its requester timed out, or an undo) changes nothing.
        this.server.settle(r, from);
      })
      .exhaustive();
  }

  /** 10.6.3.3.1 steps 1-5 and 10-12, partner side. */
  private partnerAuthorize(m: MessageOf<'MigrationServiceAuthorizationRequest'>, client: string): void {
    const s = this.server;
    const reply = (result: 'success' | 'failure', reason?: string): void =>
      s.send(client, {
        type: 'MigrationServiceAuthorizationResponse',
        procId: m.procId,
        target: m.partnerId,
        partnerId: m.partnerId,
        primaryId: m.primaryId,
        result,
        ...(reason === undefined ? {} : { reason }),
      });
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
      s.migrationTable.set(m.primaryId, { partnerId: m.partnerId, partnerSystem: partner, status: 'migrated' });
      if (before !== undefined && before.status === 'migrated' && before.partnerSystem !== partner) this.releaseOldPartner(before.partnerId, m.primaryId, partner);
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

  /** The success of step 8 never reached the partner: the user is not migrated there after all. */
  authorizationUndelivered(m: MessageOf<'MigrationServiceAuthorizationResponse'>): void {
    const record = this.server.migrationTable.get(m.primaryId);
    if (record !== undefined && record.partnerId === m.partnerId && record.status === 'migrated') record.status = 'deauthorized';
  }

  /**
   * The user is authorized for service at home (10.6.1 step 4): it is no longer migrated, and
   * calls to it are served here rather than redirected to its old partner [A]. The old partner
   * normally learns that the user left from the UE's de-authorization (10.6.3.3.2), and reports
   * it here when it runs steps 3-10. If no report has come when a guard of twice the
   * transaction timer, at least 32 s, runs out (the UE's request was lost, or the partner does
   * not run steps 3-10), the primary de-authorizes the partner itself; a partner the UE already
   * reached answers "not migrated here".
   */
  returnedHome(primaryId: McId): void {
    const record = this.server.migrationTable.get(primaryId);
    if (record === undefined || record.status !== 'migrated') return;
    record.status = 'deauthorized';
    const partnerId = record.partnerId;
    const guard = this.ctx.sim.schedule(
      Math.max(RELEASE_GIVE_UP, 2 * this.ctx.config.timers.transaction),
      () => {
        this.returning.delete(primaryId);
        this.release({ type: 'MigrationServiceDeauthorizationRequest', procId: this.ctx.nextId('proc'), target: partnerId, partnerId, primaryId });
      },
      undefined,
    );
    this.returning.set(primaryId, { partnerId, guard });
  }

  /**
   * The de-authorization success of step 10 never reached the partner (it crashed with the
   * request in flight and lost the transaction): the partner still holds the user as migrated
   * while this primary does not. The primary tells it again with its own de-authorization, as
   * it does an old partner the UE cannot reach [A].
   */
  deauthorizationUndelivered(m: MessageOf<'MigrationServiceDeauthorizationResponse'>): void {
    this.retryRelease({ type: 'MigrationServiceDeauthorizationRequest', procId: `${m.procId}.release`, target: m.partnerId, partnerId: m.partnerId, primaryId: m.primaryId });
  }

  /**
   * This primary's de-authorization reached a crashed partner: it is sent again, after 500 ms
   * and then twice as long each time up to 4 s, until 32 s have passed (RFC 3261 17.1.2.2,
   * T1, T2 and 64*T1, as a non-INVITE transaction retransmits), and not once the user has
   * migrated to that partner again.
   */
  retryRelease(m: MessageOf<'MigrationServiceDeauthorizationRequest'>): void {
    const waited = this.releaseWaits.get(m.procId) ?? 0;
    if (waited >= RELEASE_GIVE_UP) return void this.releaseWaits.delete(m.procId);
    // 0.5, 1, 2, 4, 4, ... s: each wait doubles the one before, up to T2.
    const delay = Math.min(RELEASE_T2, waited + RELEASE_T1);
    this.releaseWaits.set(m.procId, waited + delay);
    this.ctx.sim.schedule(delay, () => {
      // Lost with this server's volatile state if it crashed meanwhile.
      if (this.releaseWaits.has(m.procId) && !this.release(m)) this.releaseWaits.delete(m.procId);
    }, undefined);
  }

  /** Sends this primary's de-authorization to a partner, unless the user is migrated there again. */
  private release(m: MessageOf<'MigrationServiceDeauthorizationRequest'>): boolean {
    const record = this.server.migrationTable.get(m.primaryId);
    if (record !== undefined && record.status === 'migrated' && record.partnerId === m.partnerId) return false;
    return this.server.route(m);
  }

  /** A crash loses the releases waiting to be sent again. */
  crash(): void {
    this.releaseWaits.clear();
  }

  /** A release the partner answered (either way): its retries end. */
  private releaseAnswered(procId: string): void {
    this.releaseWaits.delete(procId);
  }

  /** 10.6.3.3.2 steps 1-2, optional 3-10, 11-12, partner side. */
  private partnerDeauthorize(m: MessageOf<'MigrationServiceDeauthorizationRequest'>, client: string): void {
    const s = this.server;
    const reply = (result: 'success' | 'failure', reason?: string): void =>
      s.send(client, {
        type: 'MigrationServiceDeauthorizationResponse',
        procId: m.procId,
        target: m.partnerId,
        partnerId: m.partnerId,
        primaryId: m.primaryId,
        result,
        ...(reason === undefined ? {} : { reason }),
      });
    const visitor = s.visitorTable.get(m.partnerId);
    // Step 2: only a user migrated here can be de-authorized here.
    if (visitor === undefined || visitor.status !== 'migrated' || visitor.primaryId !== m.primaryId) {
      return reply('failure', 'not migrated here');
    }
    const finish = (): void => {
      // Step 11: the user is no longer migrated on this partner system.
      visitor.status = 'left';
      s.registrations.delete(m.partnerId);
      reply('success');
    };
    if (!this.ctx.topo.system(s.system).deauthorizeTowardsPrimary) return finish();
    s.requestRemote(
      { ...m, target: m.primaryId },
      (resp) => {
        const r = resp as MessageOf<'MigrationServiceDeauthorizationResponse'>;
        if (r.result === 'success') finish();
        else reply('failure', r.reason);
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
    const back = this.returning.get(m.primaryId);
    if (back !== undefined && back.partnerId === m.partnerId) {
      this.ctx.sim.cancel(back.guard);
      this.returning.delete(m.primaryId);
    }
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

  /**
   * The user moved from one partner to another that has no interconnection with the first: the
   * UE cannot reach the old partner to de-authorize there (10.6.3.3.2), and how a partner learns
   * that the client left is FFS. The primary, which has just learnt of the new partner and does
   * reach the old one, tells it [A] (DOMAIN.md section 5). Without this the old partner would
   * hold the user as migrated for good. No answer is awaited: the old partner's record is all
   * that changes.
   */
  private releaseOldPartner(oldPartnerId: McId, primaryId: McId, newPartner: SystemId): void {
    const old = this.ctx.topo.systemOfId(oldPartnerId);
    if (old === undefined || this.ctx.topo.connected(old, newPartner)) return;
    this.server.route({ type: 'MigrationServiceDeauthorizationRequest', procId: this.ctx.nextId('proc'), target: oldPartnerId, partnerId: oldPartnerId, primaryId });
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
        if ((resp as MessageOf<'SipAuthInfoResponse'>).result === 'success') s.send(client, { type: 'SipUnauthorized', procId: m.procId });
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
    if (!this.ctx.topo.system(this.server.system).allowsMigrationTo.includes(partner)) return 'migration to this partner not permitted';
    if (!user.migrationProfiles.includes(profile)) return 'profile not permitted';
    return undefined;
  }
}
