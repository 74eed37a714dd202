import type { Ctx } from '../actor.ts';
import type { McId } from '../protocol/identity.ts';
import type { MessageOf } from '../protocol/messages.ts';
import type { Outcome } from '../measure/probes.ts';
import type { ClientHost } from './host.ts';

/**
 * The groups of one client: affiliation and de-affiliation (23.280 10.8), and the wait of a
 * late entry (23.379 10.6.2.3.1.1.4) for the media of the call it joins. Leaving a group leaves
 * its call, which group-calls.ts does.
 */
export abstract class GroupAffiliation {
  readonly affiliated = new Set<McId>();
  /**
   * Affiliations made to join a call, awaiting its media: the metric key, when the affiliation
   * was confirmed, and whether a late entry into an ongoing call is known to be under way.
   */
  private readonly awaitingMedia = new Map<McId, { key: string; since: number; late: boolean }>();
  private readonly mediaListeners = new Map<McId, (o: Outcome) => void>();
  /** Affiliations under way per group: a de-affiliation meanwhile voids the one awaited. */
  private readonly affiliating = new Map<McId, string>();
  private joins = 0;
  /** The last (de-)affiliation's sequence number (its CSeq). */
  private seq = 0;

  constructor(
    protected readonly client: ClientHost,
    protected readonly ctx: Ctx,
  ) {}

  /**
   * 10.8.3: affiliation via the serving server. With `lateEntry` the user means to join the
   * ongoing call: the late-entry interval starts once the affiliation is confirmed. `onMedia`
   * hears whether the call's media came (success) or the call ended first (aborted).
   */
  affiliate(
    groupId: McId,
    opts: { lateEntry?: boolean; onMedia?: (o: Outcome) => void } = {},
    done?: (o: Outcome) => void,
  ): void {
    const c = this.client;
    const procId = this.ctx.nextId('proc');
    c.emit({ type: 'procedureStarted', procedure: 'affiliation', key: procId, at: c.now });
    if (opts.onMedia !== undefined) this.mediaListeners.set(groupId, opts.onMedia);
    this.affiliating.set(groupId, procId);
    const end = (o: Outcome): void => {
      c.emit({ type: 'procedureEnded', procedure: 'affiliation', key: procId, outcome: o, at: c.now });
      // The user left the group while this affiliation was under way: its success is void here.
      const current = this.affiliating.get(groupId) === procId;
      if (current) this.affiliating.delete(groupId);
      if (o === 'success' && current) {
        this.affiliated.add(groupId);
        // Whether a call is ongoing only the server knows: the interval opens (back-dated to
        // now) when its late-entry invitation comes, and a fresh call's invitation voids it.
        if (opts.lateEntry)
          this.awaitingMedia.set(groupId, { key: `${c.name}/${groupId}/${++this.joins}`, since: c.now, late: false });
      }
      done?.(o);
    };
    c.request(
      c.server,
      { type: 'GroupAffiliationRequest', procId, target: c.currentId, mcId: c.currentId, groupId, seq: ++this.seq },
      (r) => end((r as MessageOf<'GroupAffiliationResponse'>).result === 'success' ? 'success' : 'rejected'),
      () => end('timeout'),
    );
  }

  /** Leaves a group on this side only, when the de-affiliation cannot be sent at all. */
  forget(groupId: McId): void {
    this.affiliated.delete(groupId);
    this.affiliating.delete(groupId);
    this.leave(groupId, true);
  }

  /** 10.8.4: de-affiliation; leaving the group also leaves its call. */
  deaffiliate(groupId: McId, done?: (o: Outcome) => void, via: string = this.client.server): void {
    const c = this.client;
    const procId = this.ctx.nextId('proc');
    this.affiliated.delete(groupId);
    this.affiliating.delete(groupId);
    this.leave(groupId, true);
    c.emit({ type: 'procedureStarted', procedure: 'deaffiliation', key: procId, at: c.now });
    const end = (o: Outcome): void => {
      c.emit({ type: 'procedureEnded', procedure: 'deaffiliation', key: procId, outcome: o, at: c.now });
      done?.(o);
    };
    c.request(
      via,
      {
        type: 'GroupDeaffiliationRequest',
        procId,
        target: c.currentId,
        mcId: c.currentId,
        groupId,
        scope: 'this-client',
        seq: ++this.seq,
      },
      (r) => end((r as MessageOf<'GroupDeaffiliationResponse'>).result === 'success' ? 'success' : 'rejected'),
      () => end('timeout'),
    );
  }

  /**
   * Out of the group's call on this side; leaving the group (`group`) also gives up the
   * requests for a new call on it.
   */
  protected abstract leave(groupId: McId, group?: boolean): void;

  /**
   * A group call invitation came: into a call ongoing when this member affiliated (23.379
   * 10.6.2.3.1.1.4, late entry), or to a call that began after it (no late entry after all).
   */
  protected invited(groupId: McId, lateEntry: boolean): void {
    const joining = this.awaitingMedia.get(groupId);
    if (joining === undefined) return;
    if (!lateEntry) this.awaitingMedia.delete(groupId);
    else if (!joining.late) this.lateEntryStarted(joining);
  }

  private lateEntryStarted(joining: { key: string; since: number; late: boolean }): void {
    joining.late = true;
    this.client.emit({ type: 'lateEntryStarted', key: joining.key, at: joining.since });
  }

  /**
   * The call's media reached this member: for a late joiner, the end of KPI 4 (22.179 6.15.3,
   * late call entry time).
   */
  protected mediaReached(groupId: McId): void {
    const c = this.client;
    const joining = this.awaitingMedia.get(groupId);
    if (joining !== undefined) {
      this.awaitingMedia.delete(groupId);
      if (!joining.late) this.lateEntryStarted(joining);
      c.emit({ type: 'lateEntryMedia', key: joining.key, at: c.now });
    }
    const listener = this.mediaListeners.get(groupId);
    this.mediaListeners.delete(groupId);
    listener?.('success');
  }

  /** The call ended before its media reached this member. */
  protected mediaLost(groupId: McId): void {
    this.awaitingMedia.delete(groupId);
    const listener = this.mediaListeners.get(groupId);
    this.mediaListeners.delete(groupId);
    listener?.('aborted');
  }
}
