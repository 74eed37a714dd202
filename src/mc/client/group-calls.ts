import { match } from 'ts-pattern';
import type { EventHandle, Micros } from '../../kernel/index.ts';
import type { McId } from '../protocol/identity.ts';
import type { MessageOf } from '../protocol/messages.ts';
import type { Outcome } from '../measure/probes.ts';
import { RecentCalls } from '../protocol/recent-calls.ts';
import { GroupAffiliation } from './group-affiliation.ts';
import { after } from '../measure/waits.ts';

type GroupCallMessage = MessageOf<
  | 'GroupCallRequest'
  | 'GroupCallResponse'
  | 'FloorGranted'
  | 'FloorTaken'
  | 'FloorDeny'
  | 'FloorIdle'
  | 'GroupCallReleaseRequest'
>;

/** One PTT press on a group: one `group_call.setup` instance. */
interface Press {
  key: string;
  groupId: McId;
  /** Set when the press asked for the floor in this call, which was ongoing (24.380 Floor Request). */
  inCall?: string;
  timer: EventHandle;
}

/** A talk burst in progress; `timer` ends it (-1: held until the call ends). */
interface Talk {
  callId: string;
  timer: EventHandle;
}

/**
 * The group calls of one client, on top of its affiliations (group-affiliation.ts): pre-arranged
 * group calls as initiator or receiving party (23.379 10.6.2.3.1.1.2), late entry
 * (10.6.2.3.1.1.4), talk bursts under floor control (24.380) and the release of the call
 * (10.6.2.3.1.1.3).
 */
export class GroupCalls extends GroupAffiliation {
  /** Group calls this client takes part in: group -> call id. */
  readonly inCall = new Map<McId, string>();
  /** New-call presses awaiting the floor, by call id (the press key is the call id). */
  private readonly initiated = new Map<string, Press>();
  /** Presses in an ongoing call awaiting Floor Granted or Deny, per group, oldest first. */
  private readonly floorPresses = new Map<McId, Press[]>();
  /** The talk burst each press means to hold, per group, until the floor is granted or refused. */
  private readonly wants = new Map<McId, Micros | undefined>();
  private readonly talking = new Map<McId, Talk>();
  /** Calls released lately: an invitation, answer or grant of one that the network held up is stale. */
  private readonly released = new RecentCalls();
  /** Calls left lately (de-affiliation, migration): only a new invitation brings the client back. */
  private readonly left = new RecentCalls();
  private readonly expire = (p: Press): void => this.end(p, 'timeout');
  private readonly stopTalking = (groupId: McId): void => this.releaseFloor(groupId);

  /**
   * Out of the group's call on this side: the talk burst stops, presses in the call end as
   * aborted; leaving the group (`group`) aborts the requests for a new call on it too.
   */
  protected override leave(groupId: McId, group = false): void {
    // A call left is over for this client: a grant or answer of it still on its way is stale
    // (a new invitation, as late entry after a migration, brings the client back in).
    const callId = this.inCall.get(groupId);
    if (callId !== undefined) this.left.add(callId, this.client.now);
    this.inCall.delete(groupId);
    this.wants.delete(groupId);
    const talk = this.talking.get(groupId);
    if (talk !== undefined) this.ctx.sim.cancel(talk.timer);
    this.talking.delete(groupId);
    for (const p of [...(this.floorPresses.get(groupId) ?? [])]) this.end(p, 'aborted');
    if (group) for (const p of this.initiated.values()) if (p.groupId === groupId) this.end(p, 'aborted');
  }

  /**
   * The user selects the group and presses PTT, meaning to talk for `holdFor` (for good when
   * absent). Outside a call of the group: a group call request with an implicit floor request
   * (10.6.2.3.1.1.2 step 2). In the group's ongoing call: a Floor Request in that call (24.380).
   */
  press(groupId: McId, holdFor?: Micros): void {
    const c = this.client;
    const key = this.ctx.nextId('gcall');
    c.emit({ type: 'groupCallStarted', key, at: c.now });
    // Only an affiliated member calls the group (23.379 10.6.2.3.1.1.2 pre-condition). A UE that
    // left the group, as it does to migrate (10.16.2 step 1), sends nothing: a request sent
    // anyway would find the old server still holding the affiliation and rejoin the call there.
    if (!this.affiliated.has(groupId)) {
      c.emit({ type: 'groupCallFailed', key, outcome: 'not-affiliated', at: c.now });
      return;
    }
    const ongoing = this.inCall.get(groupId);
    const p: Press = { key, groupId, timer: -1, ...(ongoing === undefined ? {} : { inCall: ongoing }) };
    // A plain event, no wait of a path: its expiry only ever fails the press (measure/waits.ts).
    p.timer = this.ctx.sim.schedule(this.ctx.config.calls.setupTimeout, this.expire, p);
    this.wants.set(groupId, holdFor);
    if (ongoing === undefined) {
      this.initiated.set(key, p);
      c.send(c.server, {
        type: 'GroupCallRequest',
        callId: key,
        target: groupId,
        groupId,
        caller: c.currentId,
        lateEntry: false,
        e2ee: this.ctx.config.security.e2ee,
      });
      return;
    }
    let queue = this.floorPresses.get(groupId);
    if (queue === undefined) this.floorPresses.set(groupId, (queue = []));
    queue.push(p);
    c.emit({ type: 'floorRequested', key, at: c.now });
    c.send(c.server, { type: 'FloorRequest', callId: ongoing, target: groupId, groupId, member: c.currentId });
  }

  receive(m: GroupCallMessage, from: string): void {
    const c = this.client;
    match(m)
      .with({ type: 'GroupCallRequest' }, (r) => {
        this.invited(r.groupId, r.lateEntry);
        // 23.379 10.6.2.3.1.1.2 steps 4-5 (late entry: 10.6.2.3.1.1.4 step 3): notify the user,
        // accept automatically.
        const accept = (): void => {
          if (!this.affiliated.has(r.groupId) || this.released.has(r.callId)) return;
          this.left.delete(r.callId);
          this.inCall.set(r.groupId, r.callId);
          c.send(c.server, {
            type: 'GroupCallResponse',
            callId: r.callId,
            target: r.groupId,
            groupId: r.groupId,
            member: c.currentId,
            result: 'accepted',
          });
        };
        // With E2EE the media is protected with the pre-provisioned GMK; the signed request is verified.
        if (r.e2ee) c.work('eccsi-verify', accept);
        else accept();
      })
      .with({ type: 'GroupCallResponse' }, (r) => {
        const p = this.initiated.get(r.callId);
        if (p === undefined || r.result === 'accepted') return;
        // The group's call was ongoing: this press joined it (its floor request is answered apart).
        if (r.result === 'joined' && r.ongoingCallId !== undefined) {
          // A fresh answer to a live press: it brings the client back into a call it had left.
          this.left.delete(r.ongoingCallId);
          this.enter(p.groupId, r.ongoingCallId);
        }
        this.end(p, r.result === 'joined' ? 'joined' : 'rejected');
      })
      .with({ type: 'FloorGranted' }, (r) => this.onFloorGranted(r))
      .with({ type: 'FloorDeny' }, (r) => {
        const p = this.floorPresses.get(r.groupId)?.[0];
        // The call went away under the press (released, or lost in a crash): aborted, as when the release comes first.
        if (p !== undefined) {
          if (r.reason === 'floor taken') this.end(p, 'joined', 'rejected');
          else this.end(p, 'aborted');
        }
        // The controlling server no longer has the call (lost in a crash, or released meanwhile): out of it here too.
        if (r.reason === 'no such call' && this.inCall.get(r.groupId) === r.callId) this.leave(r.groupId);
      })
      .with({ type: 'FloorTaken' }, { type: 'FloorIdle' }, (r) => {
        // The call reaches this member (Floor Idle: nobody talks in the hang time).
        this.mediaReached(r.groupId as McId);
      })
      .with({ type: 'GroupCallReleaseRequest' }, (r) => this.onRelease(r, from))
      .exhaustive();
  }

  private onFloorGranted(r: MessageOf<'FloorGranted'>): void {
    const groupId = r.groupId as McId;
    // A queued press is answered by a grant in the call it was made in: a grant of an older
    // call, held up on its way, answers none (nor brings the client back into that call).
    const queued = this.floorPresses.get(groupId)?.[0];
    const p = this.initiated.get(r.callId) ?? (queued?.inCall === r.callId ? queued : undefined);
    const wanted = this.wants.has(groupId);
    const holdFor = this.wants.get(groupId);
    // A new call's press succeeds on its grant; a press in an ongoing call found it ongoing.
    if (p !== undefined) {
      if (p.inCall === undefined) this.end(p, 'success');
      else this.end(p, 'joined', 'success');
      this.left.delete(r.callId);
    }
    // Pressed again while talking: the burst under way goes on.
    if (this.talking.get(groupId)?.callId === r.callId) return;
    if (!this.pressing(groupId)) this.wants.delete(groupId);
    if (this.released.has(r.callId)) return;
    if (!wanted || !this.enter(groupId, r.callId)) {
      // Nobody here wants the floor any more (the press timed out, the user left the group): give it straight back.
      this.client.send(this.client.server, {
        type: 'FloorRelease',
        callId: r.callId,
        target: groupId,
        groupId,
        member: this.client.currentId,
      });
      return;
    }
    const talk: Talk = { callId: r.callId, timer: -1 };
    if (holdFor !== undefined) talk.timer = after(this.ctx.sim, holdFor, 'human', this.stopTalking, groupId);
    this.talking.set(groupId, talk);
  }

  /** Takes part in the call, unless it was released already or the user left the group meanwhile. */
  private enter(groupId: McId, callId: string): boolean {
    if (this.released.has(callId) || this.left.has(callId) || !this.affiliated.has(groupId)) return false;
    this.inCall.set(groupId, callId);
    return true;
  }

  /** The talk burst is over: PTT released (24.380 Floor Release); the hang time starts at the server. */
  private releaseFloor(groupId: McId): void {
    const talk = this.talking.get(groupId);
    this.talking.delete(groupId);
    if (talk === undefined || this.inCall.get(groupId) !== talk.callId) return;
    const c = this.client;
    c.send(c.server, { type: 'FloorRelease', callId: talk.callId, target: groupId, groupId, member: c.currentId });
  }

  /** 23.379 10.6.2.3.1.1.3 steps 4-6: the user is told, the client answers and drops the call. */
  private onRelease(r: MessageOf<'GroupCallReleaseRequest'>, from: string): void {
    const c = this.client;
    const groupId = r.groupId;
    this.released.add(r.callId, c.now);
    if (this.inCall.get(groupId) === r.callId) {
      this.leave(groupId);
      this.mediaLost(groupId);
    }
    // Answered even without the call (as SIP answers a BYE outside a dialog with 481).
    c.send(from, { type: 'GroupCallReleaseResponse', procId: r.procId, callId: r.callId, target: groupId, groupId });
  }

  /**
   * Ends a press with its one outcome (`joined`: the group's call was ongoing). A press in an
   * ongoing call is also a floor request, whose own outcome (`floor`) says whether it got the floor.
   */
  private end(p: Press, outcome: Outcome, floor: Outcome = outcome): void {
    if (p.inCall === undefined) {
      if (!this.initiated.delete(p.key)) return;
    } else {
      const queue = this.floorPresses.get(p.groupId);
      const i = queue?.indexOf(p) ?? -1;
      if (queue === undefined || i < 0) return;
      queue.splice(i, 1);
      if (queue.length === 0) this.floorPresses.delete(p.groupId);
    }
    this.ctx.sim.cancel(p.timer);
    // A press that got neither the floor nor into the call no longer wants the floor.
    if (outcome !== 'success' && outcome !== 'joined' && !this.pressing(p.groupId)) this.wants.delete(p.groupId);
    const c = this.client;
    if (p.inCall !== undefined) c.emit({ type: 'floorRequestEnded', key: p.key, outcome: floor, at: c.now });
    if (outcome === 'success') c.emit({ type: 'groupCallFloorGranted', key: p.key, at: c.now });
    // Every other outcome closes the interval through the one failure event the metric knows.
    else c.emit({ type: 'groupCallFailed', key: p.key, outcome, at: c.now });
  }

  /** Whether a press on the group still waits for its answer. */
  private pressing(groupId: McId): boolean {
    if ((this.floorPresses.get(groupId)?.length ?? 0) > 0) return true;
    for (const p of this.initiated.values()) if (p.groupId === groupId) return true;
    return false;
  }
}
