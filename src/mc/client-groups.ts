import { match } from 'ts-pattern';
import type { EventHandle } from '../kernel/index.ts';
import type { Ctx } from './actor.ts';
import type { Client } from './client.ts';
import type { McId } from './identity.ts';
import type { MessageOf } from './messages.ts';
import type { Outcome } from './probes.ts';

type GroupCallMessage = MessageOf<'GroupCallRequest' | 'GroupCallResponse' | 'FloorGranted' | 'FloorTaken'>;

interface Initiated {
  key: string;
  groupId: McId;
  timer: EventHandle;
}

/**
 * The group side of one client: affiliation and de-affiliation (23.280 10.8), pre-arranged group
 * calls as initiator or receiving party (23.379 10.6.2.3.1.1.2) and late entry (10.6.2.3.1.1.4).
 */
export class GroupCalls {
  readonly affiliated = new Set<McId>();
  /** Group calls this client takes part in: group -> call id. */
  readonly inCall = new Map<McId, string>();
  /** Joins awaiting the call's media (late entry): group -> metric key. */
  private readonly awaitingMedia = new Map<McId, string>();
  private readonly mediaListeners = new Map<McId, () => void>();
  private readonly initiated = new Map<string, Initiated>();
  private joins = 0;
  private readonly expire = (i: Initiated): void => this.failInitiated(i, 'timeout');

  constructor(
    private readonly client: Client,
    private readonly ctx: Ctx,
  ) {}

  /**
   * 10.8.3: affiliation via the serving server. With `lateEntry` the user means to join the
   * ongoing call: the late-entry interval starts once the affiliation is confirmed.
   */
  affiliate(groupId: McId, opts: { lateEntry?: boolean; onMedia?: () => void } = {}, done?: (o: Outcome) => void): void {
    const c = this.client;
    const procId = this.ctx.nextId('proc');
    c.emit({ type: 'procedureStarted', procedure: 'affiliation', key: procId, at: c.now });
    if (opts.onMedia !== undefined) this.mediaListeners.set(groupId, opts.onMedia);
    const end = (o: Outcome): void => {
      c.emit({ type: 'procedureEnded', procedure: 'affiliation', key: procId, outcome: o, at: c.now });
      if (o === 'success') {
        this.affiliated.add(groupId);
        if (opts.lateEntry) {
          const key = `${c.name}/${groupId}/${++this.joins}`;
          this.awaitingMedia.set(groupId, key);
          c.emit({ type: 'lateEntryStarted', key, at: c.now });
        }
      }
      done?.(o);
    };
    c.request(
      c.server,
      { type: 'GroupAffiliationRequest', procId, target: c.currentId, mcId: c.currentId, groupId },
      (r) => end((r as MessageOf<'GroupAffiliationResponse'>).result === 'success' ? 'success' : 'rejected'),
      () => end('timeout'),
    );
  }

  /** Leaves a group on this side only, when the de-affiliation cannot be sent at all. */
  forget(groupId: McId): void {
    this.affiliated.delete(groupId);
    this.inCall.delete(groupId);
  }

  /** 10.8.4: de-affiliation; leaving the group also leaves its call. */
  deaffiliate(groupId: McId, done?: (o: Outcome) => void, via: string = this.client.server): void {
    const c = this.client;
    const procId = this.ctx.nextId('proc');
    this.affiliated.delete(groupId);
    this.inCall.delete(groupId);
    c.emit({ type: 'procedureStarted', procedure: 'deaffiliation', key: procId, at: c.now });
    const end = (o: Outcome): void => {
      c.emit({ type: 'procedureEnded', procedure: 'deaffiliation', key: procId, outcome: o, at: c.now });
      done?.(o);
    };
    c.request(
      via,
      { type: 'GroupDeaffiliationRequest', procId, target: c.currentId, mcId: c.currentId, groupId, scope: 'this-client' },
      (r) => end((r as MessageOf<'GroupDeaffiliationResponse'>).result === 'success' ? 'success' : 'rejected'),
      () => end('timeout'),
    );
  }

  /** 10.6.2.3.1.1.2 step 2: the user selects the group and presses PTT (implicit floor request). */
  startCall(groupId: McId): void {
    const c = this.client;
    const key = this.ctx.nextId('gcall');
    const i: Initiated = { key, groupId, timer: -1 };
    i.timer = this.ctx.sim.schedule(this.ctx.config.calls.setupTimeout, this.expire, i);
    this.initiated.set(key, i);
    c.emit({ type: 'groupCallStarted', key, at: c.now });
    c.send(c.server, { type: 'GroupCallRequest', callId: key, target: groupId, groupId, caller: c.currentId, lateEntry: false, e2ee: this.ctx.config.security.e2ee });
  }

  receive(m: GroupCallMessage): void {
    const c = this.client;
    match(m)
      .with({ type: 'GroupCallRequest' }, (r) => {
        // Steps 4-5 (and late entry step 3): notify the user, accept automatically.
        const accept = (): void => {
          if (!this.affiliated.has(r.groupId)) return;
          this.inCall.set(r.groupId, r.callId);
          c.send(c.server, { type: 'GroupCallResponse', callId: r.callId, target: r.groupId, groupId: r.groupId, member: c.currentId, result: 'accepted' });
        };
        // With E2EE the media is protected with the pre-provisioned GMK; the signed request is verified.
        if (r.e2ee) c.work('eccsi-verify', accept);
        else accept();
      })
      .with({ type: 'GroupCallResponse' }, (r) => {
        const i = this.initiated.get(r.callId);
        if (i !== undefined && r.result !== 'accepted') this.failInitiated(i, 'rejected');
      })
      .with({ type: 'FloorGranted' }, (r) => {
        const i = this.initiated.get(r.callId);
        if (i === undefined) return;
        this.initiated.delete(r.callId);
        this.ctx.sim.cancel(i.timer);
        this.inCall.set(i.groupId, r.callId);
        c.emit({ type: 'groupCallFloorGranted', key: i.key, at: c.now });
      })
      .with({ type: 'FloorTaken' }, (r) => {
        // The call's media reaches this member: for a late joiner, the end of KPI 4's interval.
        const groupId = r.groupId as McId;
        const key = this.awaitingMedia.get(groupId);
        if (key !== undefined) {
          this.awaitingMedia.delete(groupId);
          c.emit({ type: 'lateEntryMedia', key, at: c.now });
        }
        const listener = this.mediaListeners.get(groupId);
        this.mediaListeners.delete(groupId);
        listener?.();
      })
      .exhaustive();
  }

  private failInitiated(i: Initiated, outcome: Outcome): void {
    if (!this.initiated.delete(i.key)) return;
    this.ctx.sim.cancel(i.timer);
    this.client.emit({ type: 'groupCallFailed', key: i.key, outcome, at: this.client.now });
  }
}
