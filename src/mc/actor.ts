import type { EventHandle, Micros, RandomStreams, Simulator } from '../kernel/index.ts';
import type { Envelope, Network, Node } from '../net/index.ts';
import type { ModelConfig, UserConfig } from './config.ts';
import type { McMessage } from './messages.ts';
import type { ProbeBus, ProbeEvent } from './probes.ts';
import type { Topology } from './topology.ts';

/** What every actor of one simulation shares. */
export interface Ctx {
  readonly sim: Simulator;
  readonly net: Network<McMessage>;
  readonly probes: ProbeBus;
  readonly topo: Topology;
  readonly config: ModelConfig;
  readonly streams: RandomStreams;
  readonly users: ReadonlyMap<string, UserConfig>;
  /** Deterministic ids: `call-1`, `proc-7`, ... per simulation. */
  nextId(prefix: string): string;
}

interface Pending {
  timer: EventHandle;
  onResponse: (msg: McMessage, from: string) => void;
}

export class UnexpectedMessage extends Error {}

/**
 * Base of every functional entity. Holds the request/response bookkeeping: a request started
 * with `request()` is answered by the message carrying its procId, or times out.
 */
export abstract class Actor {
  private readonly pending = new Map<string, Pending>();
  private readonly expire = (procId: string): void => this.onExpire(procId);
  private readonly timeouts = new Map<string, () => void>();

  constructor(
    readonly address: string,
    protected readonly ctx: Ctx,
  ) {}

  abstract receive(env: Envelope<McMessage>): void;

  get node(): Node {
    return this.ctx.net.node(this.address);
  }

  get now(): Micros {
    return this.ctx.sim.now;
  }

  send(to: string, msg: McMessage): void {
    this.ctx.net.send(this.address, to, msg);
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
    if (this.pending.has(msg.procId)) throw new Error(`${this.address}: ${msg.procId} already pending`);
    this.timeouts.set(msg.procId, onTimeout);
    this.pending.set(msg.procId, { timer: this.ctx.sim.schedule(timeout, this.expire, msg.procId), onResponse });
    this.send(to, msg);
  }

  /** Hands a response to the request waiting for it; false when none waits (late or stray). */
  settle(msg: McMessage & { procId: string }, from: string): boolean {
    const p = this.pending.get(msg.procId);
    if (p === undefined) return false;
    this.pending.delete(msg.procId);
    this.timeouts.delete(msg.procId);
    this.ctx.sim.cancel(p.timer);
    p.onResponse(msg, from);
    return true;
  }

  /**
   * A crash of this node: requests in progress are forgotten (their timers with them).
   * Subclasses drop the rest of their volatile state.
   */
  crash(): void {
    for (const p of this.pending.values()) this.ctx.sim.cancel(p.timer);
    this.pending.clear();
    this.timeouts.clear();
  }

  get pendingRequests(): number {
    return this.pending.size;
  }

  private onExpire(procId: string): void {
    const onTimeout = this.timeouts.get(procId);
    this.pending.delete(procId);
    this.timeouts.delete(procId);
    onTimeout?.();
  }

  /** A message this actor has no business receiving: a modelling bug, so fail loudly. */
  protected unexpected(msg: McMessage, from: string): never {
    throw new UnexpectedMessage(`${this.address} cannot handle ${msg.type} from ${from} at ${this.now}us`);
  }
}
