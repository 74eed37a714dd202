import type { Micros, RandomStreams, Simulator } from '../kernel/index.ts';
import { Link, SIP_GIVE_UP, type LinkSpec } from './link.ts';
import { KindStateTable } from './job-kinds.ts';
import { LinkStates } from './link-states.ts';
import { Node, type ProcessingSpec } from './node.ts';
import { Pairs, type PairLinks } from './pairs.ts';

export interface Message {
  readonly type: string;
}

export interface Envelope<M extends Message> {
  readonly id: number;
  readonly from: string;
  /** The node `from` names, for a recipient that keeps facts about its senders (issue 8). */
  readonly source: Node;
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

/** An object that receives a node's messages itself: an actor, with no bound function per node. */
export interface Recipient<M extends Message> {
  receive(env: Envelope<M>): void;
}

/** The continuation of every arrival's job: the node it arrived at hands it to its recipient. */
function deliver(env: Carried<Message>): void {
  (env.dest.recipient as Recipient<Message>).receive(env);
}

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

/** An envelope as the network carries it: with its destination node, found at send time. */
interface Carried<M extends Message> extends Envelope<M> {
  readonly dest: Node;
}

/**
 * Nodes joined by links. A message sent from A to B crosses the A->B link, waits for a worker
 * at B (processing time for its type), and is then handed to B's receiver.
 */
export class Network<M extends Message> {
  readonly counters: NetworkCounters = { messages: 0, bytes: 0, delivered: 0, lost: 0, retransmissions: 0 };
  /** Each node, holding its recipient (issue 8: one object per node of a 100k+ population). */
  private readonly nodes = new Map<string, Node>();
  /** The job kinds' stream states of the nodes of each processing spec (job-kinds.ts). */
  private readonly kindTables = new Map<ProcessingSpec, KindStateTable>();
  /** Each ordered pair's links, mostly kept by the nodes themselves (Pairs). */
  private readonly pairs = new Pairs();
  /** The links' times and streams (link-states.ts). */
  private readonly linkStates = new LinkStates();
  private readonly observers: ((rec: SendRecord<M>) => void)[] = [];
  private readonly lossObservers: ((env: Envelope<M>) => void)[] = [];
  private readonly refusalObservers: ((env: Envelope<M>) => void)[] = [];
  private nextId = 1;
  private lastArrival: Micros = 0;
  private readonly arrive = (env: Carried<M>): void => this.onArrive(env);
  private pendingArrivals = 0;
  /** Each node's dropped jobs: the arrivals among them are refused (onRefused). */
  private readonly dropped = (run: (arg: never) => void, arg: unknown): void => {
    if (run !== deliver) return;
    for (const observe of this.refusalObservers) observe(arg as Envelope<M>);
  };
  private readonly down = new Set<string>();
  private readonly muted = new Set<string>();
  private readonly giveUp = (env: Envelope<M>): void => {
    for (const observe of this.lossObservers) observe(env);
  };

  constructor(
    private readonly sim: Simulator,
    private readonly streams: RandomStreams,
    private readonly config: NetworkConfig<M>,
  ) {}

  addNode(address: string, processing: ProcessingSpec, receiver: Receiver<M> | Recipient<M>): Node {
    const node = new Node(address, this.sim, processing, this.streams, this.kindTable(processing));
    node.recipient = typeof receiver === 'function' ? { receive: receiver } : receiver;
    return this.adopt(node);
  }

  /**
   * Joins a node its owner built, with this network's simulator, streams and `kindTable`, and
   * holding its recipient: an actor that is its own node. One object per user rather than an
   * actor and a node reached from it, which lie megabytes apart once the collector has moved
   * them (issue 8: every message at a client reaches both).
   */
  adopt<N extends Node>(node: N): N {
    if (this.nodes.has(node.address)) throw new Error(`duplicate node address ${node.address}`);
    if (node.recipient === undefined) throw new Error(`node ${node.address} has no recipient`);
    // Its job kinds' streams move into its block of this network's link states (blockOf).
    if (node.table.links !== undefined && node.table.links !== this.linkStates)
      throw new Error(`node ${node.address} draws in another network's table`);
    node.onDropped = this.dropped;
    this.nodes.set(node.address, node);
    return node;
  }

  /** The job kinds' stream table that the nodes of `processing` share in this network. */
  kindTable(processing: ProcessingSpec): KindStateTable {
    let table = this.kindTables.get(processing);
    if (table === undefined) this.kindTables.set(processing, (table = new KindStateTable(this.linkStates)));
    return table;
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

  /**
   * Called when a message is given up for lost, at the time the sender would give up
   * (64*T1 after the first send, RFC 3261 timers B/F). The counters count the loss at send
   * time, when its fate is decided, like the trace does.
   */
  onLost(observer: (env: Envelope<M>) => void): void {
    this.lossObservers.push(observer);
  }

  /**
   * Called when a message reaches a crashed node, or when the node crashed with the message
   * arrived but not yet handled (queued or in service): the sender's transport learns of it (a
   * TCP reset; RFC 3261 18.4 reports transport errors to the transaction user). Unlike onLost,
   * it adds no event, and a message dropped so still counts as delivered (it reached the node).
   */
  onRefused(observer: (env: Envelope<M>) => void): void {
    this.refusalObservers.push(observer);
  }

  /**
   * When the last message sent arrives, or -1 when it is lost for good: its fate is decided at
   * send time. A sender whose protocol would learn of the loss only when its retransmissions give
   * up (64*T1) reads it at once to act at that time, scheduling nothing for a message that arrives.
   */
  get lastArrive(): Micros {
    return this.lastArrival;
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
      this.node(address).dropJobs();
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
    const node = this.nodes.get(from);
    if (node === undefined) throw new Error(`no link from ${from} to ${to}`);
    return this.sendFrom(node, to, msg);
  }

  /** As send, from a node the sender holds: no lookup of it among all nodes (issue 8). */
  sendFrom(node: Node, to: string, msg: M): Envelope<M> {
    return this.transmit(node, to, undefined, msg);
  }

  /** As send, between nodes the sender holds (a server and a client registered with it). */
  sendBetween(node: Node, dest: Node, msg: M): Envelope<M> {
    return this.transmit(node, dest.address, dest, msg);
  }

  private transmit(node: Node, to: string, known: Node | undefined, msg: M): Envelope<M> {
    const from = node.address;
    // Sets asked only when not empty: most runs have no crashed or muted node.
    if (this.down.size > 0 && this.down.has(from)) throw new Error(`${from} is down and cannot send ${msg.type}`);
    // The pair's link as decided in this link epoch, kept by the sending node (its first pair)
    // or the receiving one (its first incoming pair): no table to look up, no pair record to
    // reach, on most sends of a large population (issue 8).
    const epoch = this.config.linkEpoch === undefined ? -1 : this.config.linkEpoch();
    let link: Link | undefined;
    let dest: Node;
    // A plain link's slot and spec, kept by the node beside the link (-1: ask the link).
    let slot = -1;
    let spec: LinkSpec | undefined;
    // A known destination is compared as a node: comparing its address would read a string of
    // every user's, out of the cache in a large population, whenever it is not the very string
    // kept (a server sending to one of its clients).
    if (
      epoch >= 0 &&
      node.pairOutEpoch === epoch &&
      (known === undefined ? node.pairOutTo === to : node.pairOutDest === known)
    ) {
      link = node.pairOutLink;
      dest = node.pairOutDest as Node;
      slot = node.pairOutSlot;
      spec = node.pairOutSpec;
    } else {
      const d = known ?? this.nodes.get(to);
      if (d !== undefined && epoch >= 0 && d.pairInFrom === node && d.pairInEpoch === epoch) {
        link = d.pairInLink;
        dest = d;
        slot = d.pairInSlot;
        spec = d.pairInSpec;
      } else {
        const pair = this.pair(node, to, d, epoch);
        Pairs.remember(node, pair);
        link = pair.current;
        dest = pair.dest;
      }
    }
    const size = this.config.sizeOf(msg);
    const env: Carried<M> = { id: this.nextId++, from, source: node, to, msg, size, sentAt: this.sim.now, dest };
    const over = this.muted.size > 0 && this.muted.has(from) ? undefined : link;
    const now = this.sim.now;
    const arrive =
      over === undefined
        ? -1
        : slot >= 0
          ? Link.transmitAt(this.linkStates, slot, spec as LinkSpec, now, size)
          : over.transmit(now, size);
    const retransmissions = over !== undefined ? Link.lastRetransmissions : 0;
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

  private onArrive(env: Carried<M>): void {
    this.pendingArrivals--;
    if (this.down.size > 0 && this.down.has(env.to)) {
      // Nobody there to receive it: lost at the moment it arrives.
      this.counters.lost++;
      for (const observe of this.lossObservers) observe(env);
      for (const observe of this.refusalObservers) observe(env);
      return;
    }
    this.counters.delivered++;
    // One continuation for every arrival: no closure per message, and the recipient is the
    // actor itself, not a bound function reached first (issue 8: one object less per user).
    env.dest.submitWith(env.msg.type, deliver, env as Carried<Message>);
  }

  /**
   * The pair's record: its destination, and the link as the topology defines it now (`current`,
   * undefined when there is no path): a client that moved to another
   * system reaches the same node over another path. With `linkEpoch` the answer is kept until
   * the epoch changes; without it the spec is asked on every send. A pair keeps every link it
   * has had, one per spec name, so a path taken again finds its link (and its stream).
   */
  private pair(src: Node, to: string, dest: Node | undefined, epoch: number): PairLinks {
    const from = src.address;
    if (dest === undefined) {
      throw new Error(
        this.config.linkSpec(from, to) === undefined
          ? `no link from ${from} to ${to}`
          : `${from} sends to unknown node ${to}`,
      );
    }
    let pair = this.pairs.find(src, to, dest);
    if (pair === undefined) {
      if (this.config.linkSpec(from, to) === undefined && this.config.noPath !== 'lose')
        throw new Error(`no link from ${from} to ${to}`);
      pair = this.pairs.add(src, dest, -1);
    }
    if (epoch >= 0 && pair.epoch === epoch) return pair;
    const spec = this.config.linkSpec(from, to);
    pair.epoch = epoch;
    if (spec === undefined) {
      if (this.config.noPath === 'lose') {
        pair.current = undefined;
        return pair;
      }
      throw new Error(`no link from ${from} to ${to}`);
    }
    const before = pair.current;
    if (before?.spec === spec) return pair;
    const named = Pairs.named(pair, spec.name);
    if (named !== undefined && named.spec === spec) {
      if (before !== undefined) named.continueFrom(before);
      pair.current = named;
      return pair;
    }
    // The link's stream is kept by the link and handed on when the spec of the same name is
    // replaced (a fault changes the spec), not in the streams' table: two per user of a large
    // population.
    const random =
      named?.random ?? this.streams.lanes4('link/', from, '-', spec.name === undefined ? to : `${to}/${spec.name}`);
    const link = new Link(from, to, spec, random, this.linkStates, this.slotFor(src, pair));
    if (before !== undefined) link.continueFrom(before);
    Pairs.keep(pair, link);
    pair.current = link;
    return pair;
  }

  /**
   * Where a new link of `pair` keeps its state: the first link of a node's first outgoing or
   * first incoming pair in that node's block, beside its link the other way; any other in a
   * slot of its own.
   */
  private slotFor(src: Node, pair: PairLinks): number {
    if (pair.first !== undefined) return this.linkStates.single();
    if (src.pairOut === pair) return this.blockOf(src);
    const dest = pair.dest;
    if (dest.pairIn === pair) return this.blockOf(dest) + 1;
    return this.linkStates.single();
  }

  /** The node's block of link states, made on first use: its job kinds' streams drawn so far move there. */
  private blockOf(node: Node): number {
    if (node.linkBlock < 0) {
      node.linkBlock = this.linkStates.block();
      if (node.table.links === this.linkStates) node.table.moveKinds(node.row, node.linkBlock);
    }
    return node.linkBlock;
  }
}
