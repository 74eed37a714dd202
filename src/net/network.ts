import type { Micros, RandomStreams, Rng, Simulator } from '../kernel/index.ts';
import { Link, SIP_GIVE_UP, type LinkSpec } from './link.ts';
import { Node, type ProcessingSpec } from './node.ts';
import { PairTable } from './pair-table.ts';

const MUTED = { arrive: -1, retransmissions: 0 } as const;

export interface Message {
  readonly type: string;
}

export interface Envelope<M extends Message> {
  readonly id: number;
  readonly from: string;
  readonly to: string;
  readonly msg: M;
  readonly size: number;
  readonly sentAt: Micros;
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

export type Receiver<M extends Message> = (env: Envelope<M>) => void;

export interface NetworkConfig<M extends Message> {
  /** The link spec for the ordered pair, or undefined when the two are not connected. */
  linkSpec(from: string, to: string): LinkSpec | undefined;
  sizeOf(msg: M): number;
  /**
   * A send between two existing nodes with no path between them: `throw` (default: a wiring
   * mistake) or `lose` (a moving user out of reach): counted and traced as lost.
   */
  noPath?: 'throw' | 'lose';
  /**
   * A number that changes whenever `linkSpec` may answer differently (a user moved, a fault).
   * When given, the link of a pair is kept until it changes, and a send asks no spec.
   */
  linkEpoch?(): number;
}

/**
 * Nodes joined by links. A message sent from A to B crosses the A->B link, waits for a worker
 * at B (processing time for its type), and is then handed to B's receiver.
 */
export class Network<M extends Message> {
  readonly counters: NetworkCounters = { messages: 0, bytes: 0, delivered: 0, lost: 0, retransmissions: 0 };
  /** Each node with its receiver: an arrival looks up one entry, not two (issue 8: 100k+ nodes). */
  private readonly nodes = new Map<string, { node: Node; receiver: Receiver<M> }>();
  /** from -> to -> link, two levels so a send builds no key string (issue 8: no Map per client). */
  private readonly links = new PairTable<Link>();
  private readonly linksBySpec = new Map<string, Link>();
  /** The config's linkEpoch when `links` was last valid; -1 before the first send. */
  private linksEpoch = -1;
  private readonly observers: ((rec: SendRecord<M>) => void)[] = [];
  private readonly lossObservers: ((env: Envelope<M>) => void)[] = [];
  private nextId = 1;
  private readonly arrive = (env: Envelope<M>): void => this.onArrive(env);
  private pendingArrivals = 0;
  private readonly down = new Set<string>();
  private readonly muted = new Set<string>();
  private readonly giveUp = (env: Envelope<M>): void => {
    for (const observe of this.lossObservers) observe(env);
  };

  /**
   * The stream of one job kind at one node. The node keeps it and nobody else asks for the
   * name, so the streams' table need not hold it (issue 8: a few per user of a large population).
   */
  private readonly nodeStream = (kind: string, address: string): Rng => this.streams.create(`node/${address}/proc/${kind}`);

  constructor(
    private readonly sim: Simulator,
    private readonly streams: RandomStreams,
    private readonly config: NetworkConfig<M>,
  ) {}

  addNode(address: string, processing: ProcessingSpec, receiver: Receiver<M>): Node {
    if (this.nodes.has(address)) throw new Error(`duplicate node address ${address}`);
    const node = new Node(address, this.sim, processing, this.nodeStream);
    this.nodes.set(address, { node, receiver });
    return node;
  }

  node(address: string): Node {
    const entry = this.nodes.get(address);
    if (entry === undefined) throw new Error(`unknown node ${address}`);
    return entry.node;
  }

  hasNode(address: string): boolean {
    return this.nodes.has(address);
  }

  onSend(observer: (rec: SendRecord<M>) => void): void {
    this.observers.push(observer);
  }

  /**
   * Called when a message is given up for lost, at the time the sender would give up
   * (64*T1 after the first send, RFC 3261 timers B/F). The counters count the loss at send
   * time, when its fate is decided, like the trace does.
   */
  onLost(observer: (env: Envelope<M>) => void): void {
    this.lossObservers.push(observer);
  }

  /** Deliveries scheduled and not yet arrived, counted on their own (the invariants compare). */
  get scheduledDeliveries(): number {
    return this.pendingArrivals;
  }

  get inFlight(): number {
    return this.counters.messages - this.counters.delivered - this.counters.lost;
  }

  /** A crashed node: what arrives is lost, and (Node.crash) what it was doing is gone. */
  setDown(address: string, down: boolean): void {
    if (down) {
      this.down.add(address);
      this.node(address).crash();
    } else this.down.delete(address);
  }

  /** A node that receives but does not answer (a hung KMS or CMS): everything it sends is lost. */
  setMuted(address: string, muted: boolean): void {
    if (muted) this.muted.add(address);
    else this.muted.delete(address);
  }

  isDown(address: string): boolean {
    return this.down.has(address);
  }

  send(from: string, to: string, msg: M): Envelope<M> {
    if (this.down.has(from)) throw new Error(`${from} is down and cannot send ${msg.type}`);
    const link = this.link(from, to);
    const size = this.config.sizeOf(msg);
    const env: Envelope<M> = { id: this.nextId++, from, to, msg, size, sentAt: this.sim.now };
    const delivery = this.muted.has(from) || link === undefined ? MUTED : link.transmit(this.sim.now, size);
    const c = this.counters;
    c.messages++;
    c.bytes += size;
    c.retransmissions += delivery.retransmissions;
    for (const observe of this.observers) observe({ envelope: env, arrive: delivery.arrive, retransmissions: delivery.retransmissions });
    if (delivery.arrive < 0) {
      c.lost++;
      // Scheduled only when someone listens, so event counts do not depend on observers.
      if (this.lossObservers.length > 0) this.sim.schedule(SIP_GIVE_UP, this.giveUp, env);
    } else {
      this.sim.scheduleAt(delivery.arrive, this.arrive, env);
      this.pendingArrivals++;
    }
    return env;
  }

  private onArrive(env: Envelope<M>): void {
    this.pendingArrivals--;
    if (this.down.has(env.to)) {
      // Nobody there to receive it: lost at the moment it arrives.
      this.counters.lost++;
      for (const observe of this.lossObservers) observe(env);
      return;
    }
    this.counters.delivered++;
    // The receiver itself is the job's continuation: no handler in between, no closure per message.
    const to = this.nodes.get(env.to) as { node: Node; receiver: Receiver<M> };
    to.node.submitWith(env.msg.type, to.receiver, env);
  }

  /**
   * The link for the pair as the topology defines it now: a client that moved to another
   * system reaches the same node over another path, so the spec is asked for on every send
   * and a link is kept per (pair, spec).
   */
  private link(from: string, to: string): Link | undefined {
    if (this.config.linkEpoch !== undefined) {
      const epoch = this.config.linkEpoch();
      if (epoch !== this.linksEpoch) {
        // Specs may have changed: every pair asks again (linksBySpec keeps links and streams).
        this.links.clear();
        this.linksEpoch = epoch;
      } else {
        const kept = this.links.get(from, to);
        if (kept !== undefined) return kept;
      }
    }
    const spec = this.config.linkSpec(from, to);
    if (spec === undefined) {
      if (this.config.noPath === 'lose' && this.nodes.has(to)) return undefined;
      throw new Error(`no link from ${from} to ${to}`);
    }
    let link = this.links.get(from, to);
    if (link === undefined || link.spec !== spec) {
      if (!this.nodes.has(to)) throw new Error(`${from} sends to unknown node ${to}`);
      const key = `${from}>${to}`;
      const cacheKey = spec.name === undefined ? key : `${key}/${spec.name}`;
      const cached = this.linksBySpec.get(cacheKey);
      if (cached !== undefined && cached.spec === spec) link = cached;
      else {
        // The link's stream is kept by the link (and handed on when the spec of the same
        // name is replaced), not in the streams' table: two per user of a large population.
        const stream = spec.name === undefined ? `link/${from}-${to}` : `link/${from}-${to}/${spec.name}`;
        link = new Link(from, to, spec, cached?.random ?? this.streams.create(stream));
        this.linksBySpec.set(cacheKey, link);
      }
      this.links.set(from, to, link);
    }
    return link;
  }
}
