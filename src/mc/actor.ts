import type { EventHandle, Micros, RandomStreams, Simulator } from '../kernel/index.ts';
import type { Envelope, Network, Node, ProcessingSpec, Recipient } from '../net/index.ts';
import type { ModelConfig, Role, UserConfig, SystemId } from './config.ts';
import { nodeTag } from './measure/node-tags.ts';
import type { McMessage } from './protocol/messages.ts';
import { ownerOfUndelivered, type FlowOwner } from './protocol/undelivered.ts';
import type { ProbeBus, ProbeEvent } from './measure/probes.ts';
import type { McId } from './protocol/identity.ts';
import type { Topology } from './world/topology.ts';
import type { Radio } from './access/radio.ts';
import { after } from './measure/waits.ts';

/** What every actor of one simulation shares. */
export interface Ctx {
  readonly sim: Simulator;
  readonly net: Network<McMessage>;
  readonly probes: ProbeBus;
  readonly topo: Topology;
  readonly config: ModelConfig;
  readonly streams: RandomStreams;
  readonly users: ReadonlyMap<string, UserConfig>;
  /** The radio state of UEs, when some access has `rrc`: every message then passes through it. */
  readonly radio: Radio | undefined;
  /** The actor that owns a flow (protocol/undelivered.ts), when it is in this simulation. */
  ownerOf(owner: FlowOwner): Actor | undefined;
  /**
   * Sends `msg` into the network and returns its arrival time, or -1 when every attempt will be
   * lost: then the flow's owner acts if it must (protocol/undelivered.ts).
   */
  post(from: Node, to: Node | string, msg: McMessage): Micros;
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
 * Base of every functional entity. Runs on a network node of its own, which hands it the
 * messages it has processed. Holds the request/response bookkeeping: a request started with
 * `request()` is answered by the message carrying its procId, or times out.
 */
export abstract class Actor implements Recipient<McMessage> {
  readonly address: string;
  readonly node: Node;
  /** Requests waiting for their answer, by procId; made on the first request (most actors never ask). */
  private pending: Map<string, Pending> | undefined = undefined;
  /** The last registration a server's table confirmed for this actor (server/registrations.ts). */
  registeredIn: object | undefined = undefined;
  registeredAs: McId | undefined = undefined;
  registeredAt = -1;

  constructor(
    address: string,
    protected readonly ctx: Ctx,
    system: SystemId,
    /** What this actor is: a receiver asks its sender, not the sender's address. */
    readonly role: Role,
  ) {
    this.address = address;
    this.node = ctx.net.addNode(address, ctx.processing(system, role), this);
    this.node.tag = nodeTag(
      role,
      ctx.config.systems.findIndex((s) => s.id === system),
    );
  }

  abstract receive(env: Envelope<McMessage>): void;

  get now(): Micros {
    return this.ctx.sim.now;
  }

  send(to: string, msg: McMessage): void {
    const ctx = this.ctx;
    if (ctx.radio !== undefined) ctx.radio.send(this.node, to, msg);
    else ctx.post(this.node, to, msg);
  }

  /** As send, to an actor this one holds (a registered client): no lookup of its address. */
  sendTo(dest: Actor, msg: McMessage): void {
    const ctx = this.ctx;
    if (ctx.radio !== undefined) ctx.radio.send(this.node, dest.node, msg);
    else ctx.post(this.node, dest.node, msg);
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
    p.timer = after(this.ctx.sim, timeout, 'timer', expire, p);
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
   * (most users of a large population are idle).
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
