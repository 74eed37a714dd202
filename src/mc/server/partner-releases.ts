import type { SystemId } from '../config.ts';
import type { EventHandle } from '../../kernel/index.ts';
import { SIP_GIVE_UP, SIP_T1 } from '../../net/index.ts';
import type { Ctx } from '../actor.ts';
import type { McId } from '../protocol/identity.ts';
import type { MessageOf } from '../protocol/messages.ts';
import type { ServerHost } from './host.ts';
import { after } from '../measure/waits.ts';

/** RFC 3261 17.1.2.2: a non-INVITE request is retransmitted at most every T2. */
const SIP_T2 = 4_000_000;

type Release = MessageOf<'MigrationServiceDeauthorizationRequest'>;

/**
 * The primary's side of cleaning up after a migrant leaves a partner system. How an old partner
 * learns that the user left is FFS (23.280 10.6.3.3.2 editor's note); normally the UE
 * de-authorizes there and the partner, running steps 3-10, reports it to the primary. Where that
 * cannot or did not happen, the primary sends the old partner a de-authorization of its own
 * (a release) [A]:
 * - at once when the UE cannot reach the old partner (its new system has no interconnection
 *   towards it);
 * - when no report has come within a guard of twice the transaction timer, at least 32 s (the
 *   UE's request was lost, or the partner does not run steps 3-10); a partner the UE did reach
 *   answers "not migrated here";
 * - again, with SIP's non-INVITE timing, while the partner it is sent to is down.
 * Never to a partner where the user is migrated again by then.
 */
export class PartnerReleases {
  /** Old partners (by the user's ID there) whose report is awaited, with the guard. */
  private readonly awaited = new Map<McId, { readonly primaryId: McId; guard: EventHandle }>();
  /** Releases sent again towards a crashed partner (procId), with the time waited so far. */
  private readonly waits = new Map<string, number>();

  constructor(
    private readonly server: ServerHost,
    private readonly ctx: Ctx,
  ) {}

  /** The primary's record of `primaryId` no longer points to `oldPartnerId`: the user is now served by `now`. */
  superseded(oldPartnerId: McId, primaryId: McId, now: SystemId): void {
    const old = this.ctx.topo.systemOfId(oldPartnerId);
    if (old === undefined) return;
    if (!this.ctx.topo.connected(old, now)) return void this.release(this.releaseOf(oldPartnerId, primaryId));
    this.stopAwaiting(oldPartnerId);
    const entry = { primaryId, guard: -1 };
    // The guard belongs with the migration record, which a crash keeps: one that runs out
    // while this server is down waits for it to be up again.
    const expire = (): void => {
      if (this.server.node.down) return void (entry.guard = after(this.ctx.sim, SIP_T1, 'timer', expire, undefined));
      this.awaited.delete(oldPartnerId);
      this.release(this.releaseOf(oldPartnerId, primaryId));
    };
    entry.guard = after(
      this.ctx.sim,
      Math.max(SIP_GIVE_UP, 2 * this.ctx.config.timers.transaction),
      'timer',
      expire,
      undefined,
    );
    this.awaited.set(oldPartnerId, entry);
  }

  /** The partner reported the user's de-authorization (steps 3-10): no release is needed. */
  reported(partnerId: McId, primaryId: McId): void {
    if (this.awaited.get(partnerId)?.primaryId === primaryId) this.stopAwaiting(partnerId);
  }

  /**
   * A release reached a crashed partner: it is sent again after 0.5, 1, 2, then every 4 s until
   * 32 s have been waited (T1 doubling up to T2, until 64*T1, as a non-INVITE transaction
   * retransmits).
   */
  retry(m: Release): void {
    const waited = this.waits.get(m.procId) ?? 0;
    if (waited >= SIP_GIVE_UP) return void this.waits.delete(m.procId);
    const delay = Math.min(SIP_T2, waited + SIP_T1);
    this.waits.set(m.procId, waited + delay);
    after(
      this.ctx.sim,
      delay,
      'timer',
      () => {
        // Lost with this server's volatile state if it crashed meanwhile.
        if (this.waits.has(m.procId) && !this.release(m)) this.waits.delete(m.procId);
      },
      undefined,
    );
  }

  /** An answer to a release sent again: true when it was one (its retries end). */
  answered(procId: string): boolean {
    return this.waits.delete(procId);
  }

  /** A crash loses the releases waiting to be sent again; the guards stay with the records. */
  crash(): void {
    this.waits.clear();
  }

  private releaseOf(partnerId: McId, primaryId: McId): Release {
    return {
      type: 'MigrationServiceDeauthorizationRequest',
      procId: this.ctx.nextId('proc'),
      target: partnerId,
      partnerId,
      primaryId,
    };
  }

  /** Sends a release, unless the user is migrated at that partner again. */
  private release(m: Release): boolean {
    const record = this.server.migrationTable.get(m.primaryId);
    if (record !== undefined && record.status === 'migrated' && record.partnerId === m.partnerId) return false;
    return this.server.route(m);
  }

  private stopAwaiting(partnerId: McId): void {
    const entry = this.awaited.get(partnerId);
    if (entry === undefined) return;
    this.ctx.sim.cancel(entry.guard);
    this.awaited.delete(partnerId);
  }
}
