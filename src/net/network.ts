import type { Micros, RandomStreams, Simulator } from '../kernel/index.ts';
import { Links, SIP_GIVE_UP, type LinkSpec } from './link.ts';
import { Node, type ProcessingSpec } from './node.ts';
import { Routes, type RouteConfig } from './routes.ts';
import { StateTable } from './state-table.ts';

export interface Message {
  readonly type: string;
}

export interface Envelope<M extends Message> {
  readonly id: number;
  readonly from: string;
  /** The sending node, for a recipient that keeps facts about its senders. */
  readonly source: Node;
  readonly to: string;
  readonly dest: Node;
  readonly msg: M;
  readonly size: number;
  readonly sentAt: Micros;
  /** What sent it: the running event's record (Simulator.cause), the link back from its arrival. */
  readonly cause: unknown;
  /** Of its transit: waiting for and crossing the wire, and the timeouts of attempts lost before it got through. */
  readonly wire: Micros;
  readonly resent: Micros;
  /** The link it crossed; undefined when it never left (muted sender, no path). */
  readonly spec: LinkSpec | undefined;
}

/** What the trace sees of every message: one record at send time, knowing its fate. */
export interface SendRecord<M extends Message> {
  readonly envelope: Envelope<M>;
  /** Arrival time, or -1 when lost. */
  readonly arrive: Micros;
  readonly retransmissions: number;
}

export interface NetworkCounters {
  messages: number;
  bytes: number;
  delivered: number;
  lost: number;
  retransmissions: number;
}

/** What a node hands its messages to: an actor. */
export interface Recipient<M extends Message> {
  receive(env: Envelope<M>): void;
  /**
   * A message this node sent reached a node that was down, or went down before handling it: a
   * transport error (a TCP reset; RFC 3261 18.4 reports it to the transaction user).
   */
  transportError?(env: Envelope<M>): void;
}

export interface NetworkConfig<M extends Message> extends RouteConfig {
  sizeOf(msg: M): number;
}

/** The continuation of every arrival's job: the node it arrived at hands it to its recipient. */
function deliver(env: Envelope<Message>): void {
  (env.dest.recipient as Recipient<Message>).receive(env);
}

/**
 * Nodes joined by links. A message sent from A to B crosses the A->B link, waits for a worker
 * at B (processing time for its type), and is then handed to B's recipient.
 */
export class Network<M extends Message> {
  readonly counters: NetworkCounters = { messages: 0, bytes: 0, delivered: 0, lost: 0, retransmissions: 0 };
  private readonly nodes = new Map<string, Node>();
  private readonly table: StateTable;
  private readonly links: Links;
  private readonly routes: Routes;
  private readonly observers: ((rec: SendRecord<M>) => void)[] = [];
  private readonly lossObservers: ((env: Envelope<M>) => void)[] = [];
  private nextId = 1;
  private lastArrival: Micros = 0;
  private pendingArrivals = 0;
  private readonly arrive = (env: Envelope<M>): void => this.onArrive(env);
  private readonly giveUp = (env: Envelope<M>): void => {
    for (const observe of this.lossObservers) observe(env);
  };
  /** Each node's dropped jobs: the arrivals among them are refused. */
  private readonly dropped = (run: (arg: never) => void, arg: unknown): void => {
    if (run === deliver) this.refuse(arg as Envelope<M>);
  };

  constructor(
    private readonly sim: Simulator,
    private readonly streams: RandomStreams,
    private readonly config: NetworkConfig<M>,
  ) {
    this.table = new StateTable();
    this.links = new Links(this.table);
    this.routes = new Routes(this.table, this.links, streams, config);
  }

  /** A node at `address`, whose messages go to `recipient` once processed. */
  addNode(address: string, processing: ProcessingSpec, recipient: Recipient<M> | ((env: Envelope<M>) => void)): Node {
    if (this.nodes.has(address)) throw new Error(`duplicate node address ${address}`);
    const node = new Node(address, this.sim, processing, this.table, this.streams);
    node.recipient = typeof recipient === 'function' ? { receive: recipient } : recipient;
    node.onDropped = this.dropped;
    this.nodes.set(address, node);
    return node;
  }

  node(address: string): Node {
    const node = this.nodes.get(address);
    if (node === undefined) throw new Error(`unknown node ${address}`);
    return node;
  }

  hasNode(address: string): boolean {
    return this.nodes.has(address);
  }

  onSend(observer: (rec: SendRecord<M>) => void): void {
    this.observers.push(observer);
  }

  /** Told of a lost message when its sender gives up (64*T1 after sending, RFC 3261 timers B/F). */
  onLost(observer: (env: Envelope<M>) => void): void {
    this.lossObservers.push(observer);
  }

  /** When the last message sent arrives, or -1: lost for good (a sender that must act at give-up time reads it). */
  get lastArrive(): Micros {
    return this.lastArrival;
  }

  /** Deliveries scheduled and not yet arrived, counted apart from the counters (the invariants compare). */
  get scheduledDeliveries(): number {
    return this.pendingArrivals;
  }

  get inFlight(): number {
    return this.counters.messages - this.counters.delivered - this.counters.lost;
  }

  /** A crashed node: what arrives is lost, and what it was doing is gone (Node.crash). */
  setDown(address: string, down: boolean): void {
    if (down) this.node(address).crash();
    else this.node(address).down = false;
  }

  /** A node that receives but does not answer (a hung KMS or CMS): everything it sends is lost. */
  setMuted(address: string, muted: boolean): void {
    this.node(address).muted = muted;
  }

  /** Sends `msg` from the node `from` to the node (or address) `to`; its fate is decided now. */
  send(from: Node | string, to: Node | string, msg: M): Envelope<M> {
    const src = typeof from === 'string' ? this.nodes.get(from) : from;
    const dest = typeof to === 'string' ? this.nodes.get(to) : to;
    if (src === undefined || dest === undefined) throw new Error(`no link from ${String(from)} to ${String(to)}`);
    if (src.down) throw new Error(`${src.address} is down and cannot send ${msg.type}`);
    const link = this.routes.linkFor(src, dest);
    const now = this.sim.now;
    const size = this.config.sizeOf(msg);
    const over = src.muted ? -1 : link;
    const links = this.links;
    const arrive = over < 0 ? -1 : links.transmit(over, now, size);
    const retransmissions = over < 0 ? 0 : links.retransmissions(over);
    const env: Envelope<M> = {
      id: this.nextId++,
      from: src.address,
      source: src,
      to: dest.address,
      dest,
      msg,
      size,
      sentAt: now,
      cause: this.sim.cause,
      wire: over < 0 ? 0 : links.lastWire,
      resent: over < 0 ? 0 : links.lastResent,
      spec: over < 0 ? undefined : links.lastSpec,
    };
    this.lastArrival = arrive;
    const c = this.counters;
    c.messages++;
    c.bytes += size;
    c.retransmissions += retransmissions;
    for (const observe of this.observers) observe({ envelope: env, arrive, retransmissions });
    if (arrive < 0) {
      c.lost++;
      // Scheduled only when someone listens, so event counts do not depend on observers.
      if (this.lossObservers.length > 0) this.sim.schedule(SIP_GIVE_UP, this.giveUp, env);
    } else {
      this.sim.scheduleAt(arrive, this.arrive, env);
      this.pendingArrivals++;
    }
    return env;
  }

  private onArrive(env: Envelope<M>): void {
    this.sim.cause = env;
    this.pendingArrivals--;
    if (env.dest.down) {
      // Nobody there to receive it: lost at the moment it arrives.
      this.counters.lost++;
      for (const observe of this.lossObservers) observe(env);
      this.refuse(env);
      return;
    }
    this.counters.delivered++;
    env.dest.submit(env.msg.type, deliver, env as Envelope<Message>);
  }

  private refuse(env: Envelope<M>): void {
    (env.source.recipient as Recipient<M>).transportError?.(env);
  }
}
