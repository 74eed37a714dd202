import type { EventHandle, Micros, RandomStreams, Simulator } from '../kernel/index.ts';
import { Node, type Envelope, type Network, type ProcessingSpec, type Recipient } from '../net/index.ts';
import type { ModelConfig, Role, UserConfig } from './config.ts';
import type { McMessage } from './protocol/messages.ts';
import { ownerOfUndelivered, type FlowOwner } from './protocol/undelivered.ts';
import type { ProbeBus, ProbeEvent } from './measure/probes.ts';
import type { McId, SystemId } from './protocol/identity.ts';
import type { Topology } from './world/topology.ts';

/** What every actor of one simulation shares. */
export interface Ctx {
  readonly sim: Simulator;
  readonly net: Network<McMessage>;
  readonly probes: ProbeBus;
  readonly topo: Topology;
  readonly config: ModelConfig;
  readonly streams: RandomStreams;
  readonly users: ReadonlyMap<string, UserConfig>;
  /** The actor that owns a flow (protocol/undelivered.ts), when it is in this simulation. */
  ownerOf(owner: FlowOwner): Actor | undefined;
  /** Deterministic ids: `call-1`, `proc-7`, ... per simulation. */
  nextId(prefix: string): string;
  /** How a node of `role` in `system` processes its jobs (one spec per configuration). */
  processing(system: SystemId, role: Role): ProcessingSpec;
}

interface Pending {
  readonly actor: Actor;
  readonly procId: string;
  timer: EventHandle;
  readonly onResponse: (msg: McMessage, from: string) => void;
  readonly onTimeout: () => void;
}

/** One timer handler for every request of every actor: the pending record says whose it is. */
function expire(p: Pending): void {
  p.actor.expired(p);
}

export class UnexpectedMessage extends Error {}

/**
 * Base of every functional entity. Holds the request/response bookkeeping: a request started
 * with `request()` is answered by the message carrying its procId, or times out.
 *
 * An actor is the network node it runs on, and that node's recipient: one object per user
 * rather than a client and a node reached from it. The collector moves the objects of each
 * kind together, so the two would lie megabytes apart, on two pages to walk to for every
 * message at a client of a large population (issue 8).
 */
export abstract class Actor extends Node implements Recipient<McMessage> {
  /**
   * Requests waiting for their answer, by procId. Made on the first request: a replication
   * builds every actor and most never ask anything (issue 8: set-up is most of a short run).
   */
  declare private pending: Map<string, Pending> | undefined;
  declare protected readonly ctx: Ctx;
  /** What this actor is: a receiver asks its sending node, not the sender's address (issue 8). */
  declare readonly role: Role;
  /**
   * The last registration a server's table confirmed for this node: fields of the node, which
   * the sender of a flow has at hand, not an object to reach (Registrations.holds).
   */
  declare registeredIn: object | undefined;
  declare registeredAs: McId | undefined;
  declare registeredAt: number;

  /**
   * Fields are assigned here rather than declared as class fields: V8 defines class fields one
   * by one (define semantics) on every construction, which cost some 1 us per actor across the
   * actor classes, and a replication builds every actor (issue 8).
   */
  constructor(address: string, ctx: Ctx, system: SystemId, role: Role) {
    const processing = ctx.processing(system, role);
    super(address, ctx.sim, processing, ctx.streams, ctx.net.kindTable(processing));
    this.ctx = ctx;
    this.role = role;
    this.pending = undefined;
    this.recipient = this;
    this.registeredIn = this.registeredAs = undefined;
    this.registeredAt = -1;
  }

  abstract receive(env: Envelope<McMessage>): void;

  get node(): Node {
    return this;
  }

  get now(): Micros {
    return this.ctx.sim.now;
  }

  send(to: string, msg: McMessage): void {
    this.ctx.net.sendFrom(this.node, to, msg);
  }

  /** As send, to a node this actor holds (a registered client): no lookup of its address. */
  sendTo(dest: Node, msg: McMessage): void {
    this.ctx.net.sendBetween(this.node, dest, msg);
  }

  emit(event: ProbeEvent): void {
    this.ctx.probes.emit(event);
  }

  /** Internal work (e.g. SAKKE encapsulation) that holds one of this node's workers. */
  work(kind: string, then: () => void): void {
    this.node.submit(kind, then);
  }

  /** Sends a request and waits for the message with the same procId, or times out. */
  request(
    to: string,
    msg: McMessage & { procId: string },
    onResponse: (msg: McMessage, from: string) => void,
    onTimeout: () => void,
    timeout: Micros = this.ctx.config.timers.transaction,
  ): void {
    const pending = (this.pending ??= new Map());
    if (pending.has(msg.procId)) throw new Error(`${this.address}: ${msg.procId} already pending`);
    const p: Pending = { actor: this, procId: msg.procId, timer: -1, onResponse, onTimeout };
    p.timer = this.ctx.sim.schedule(timeout, expire, p);
    pending.set(msg.procId, p);
    this.send(to, msg);
  }

  /** Hands a response to the request waiting for it; false when none waits (late or stray). */
  settle(msg: McMessage & { procId: string }, from: string): boolean {
    const pending = this.pending;
    const p = pending?.get(msg.procId);
    if (pending === undefined || p === undefined) return false;
    this.forget(pending, msg.procId);
    this.ctx.sim.cancel(p.timer);
    p.onResponse(msg, from);
    return true;
  }

  /**
   * A crash of this node: requests in progress are forgotten (their timers with them).
   * Subclasses drop the rest of their volatile state.
   */
  crash(): void {
    if (this.pending === undefined) return;
    for (const p of this.pending.values()) this.ctx.sim.cancel(p.timer);
    this.pending = undefined;
  }

  get pendingRequests(): number {
    return this.pending?.size ?? 0;
  }

  /** The timer of request `p` fired: it is no longer pending, and its procedure times out. */
  expired(p: Pending): void {
    if (this.pending !== undefined) this.forget(this.pending, p.procId);
    p.onTimeout();
  }

  /**
   * Drops the Map when its last request ends: an idle client then holds no table, and its next
   * request makes a new one among the young objects rather than reaching one out of the cache
   * (issue 8: most users of a large population are idle).
   */
  private forget(pending: Map<string, Pending>, procId: string): void {
    pending.delete(procId);
    if (pending.size === 0) this.pending = undefined;
  }

  /**
   * The network could not deliver a flow this node sent: its destination was crashed, or crashed
   * before handling it. The flow's owner is told (protocol/undelivered.ts says who and why).
   */
  transportError(env: Envelope<McMessage>): void {
    const betweenServers = this.role !== 'client' && this.ctx.topo.infoOf(env.to) !== undefined;
    const owner = ownerOfUndelivered(env.msg, betweenServers);
    if (owner !== undefined) this.ctx.ownerOf(owner)?.undelivered(env);
  }

  /** A flow this actor owns never arrived (transportError); what it then does is its own business. */
  undelivered(_env: Envelope<McMessage>): void {}

  /** A message this actor has no business receiving: a modelling bug, so fail loudly. */
  protected unexpected(msg: McMessage, from: string): never {
    throw new UnexpectedMessage(`${this.address} cannot handle ${msg.type} from ${from} at ${this.now}us`);
  }
}
