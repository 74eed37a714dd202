import type { RandomStreams } from '../kernel/index.ts';
import type { LinkSpec, Links } from './link.ts';
import type { Node } from './node.ts';
import type { StateTable } from './state-table.ts';

/** How the topology answers which link joins two nodes (the network's config). */
export interface RouteConfig {
  /** The link spec for the ordered pair, or undefined when the two are not connected. */
  linkSpec(from: string, to: string): LinkSpec | undefined;
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

/** One ordered pair of nodes: the link it uses now, and every link it has used, one per spec name. */
interface Pair {
  /** The link epoch `current` was decided in; -1 without linkEpoch. */
  epoch: number;
  /** The link's offset in the state table, or -1: no path. */
  current: number;
  links: Map<string | undefined, number>;
}

/**
 * Which link each ordered pair of nodes uses, decided from the topology and kept until the link
 * epoch moves. A pair that is its sender's first outgoing one, or its receiver's first incoming
 * one, keeps its decision in that node's block, where a send finds it without looking up the
 * pair: a client's two pairs (to its server and from it) are most of a large population's sends.
 */
export class Routes {
  /** Pairs by the block of the node that keeps them; the rest by both blocks. */
  private readonly bySender = new Map<number, Pair>();
  private readonly byReceiver = new Map<number, Pair>();
  private readonly others = new Map<string, Pair>();

  constructor(
    private readonly table: StateTable,
    private readonly links: Links,
    private readonly streams: RandomStreams,
    private readonly config: RouteConfig,
  ) {}

  /** The link from `src` to `dest` now, or -1 when there is no path (and the config loses such sends). */
  linkFor(src: Node, dest: Node): number {
    const epoch = this.config.linkEpoch === undefined ? -1 : this.config.linkEpoch();
    if (epoch >= 0) {
      const kept = this.table.keptLink(src.block, dest.block, epoch);
      if (kept !== -2) return kept;
    }
    const pair = this.pairOf(src, dest);
    if (!(epoch >= 0 && pair.epoch === epoch)) this.redecide(pair, src, dest, epoch);
    this.table.keepLink(src.block, dest.block, pair.epoch, pair.current);
    return pair.current;
  }

  /** The pair's record, made on its first send; the first of the two nodes with room keeps its decisions. */
  private pairOf(src: Node, dest: Node): Pair {
    const a = src.block;
    const b = dest.block;
    const keeper = this.table.keeperOf(a, b);
    if (keeper !== undefined) return (keeper === 'sender' ? this.bySender.get(a) : this.byReceiver.get(b)) as Pair;
    const key = `${a}>${b}`;
    let pair = this.others.get(key);
    if (pair !== undefined) return pair;
    if (this.config.linkSpec(src.address, dest.address) === undefined && this.config.noPath !== 'lose')
      throw new Error(`no link from ${src.address} to ${dest.address}`);
    pair = { epoch: -1, current: -1, links: new Map() };
    const claimed = this.table.claimPair(a, b);
    if (claimed === 'sender') this.bySender.set(a, pair);
    else if (claimed === 'receiver') this.byReceiver.set(b, pair);
    else this.others.set(key, pair);
    return pair;
  }

  /**
   * The pair's link as the topology defines it now: a client that moved to another system
   * reaches the same node over another path. A path taken again finds its link (and stream).
   */
  private redecide(pair: Pair, src: Node, dest: Node, epoch: number): void {
    const from = src.address;
    const to = dest.address;
    const spec = this.config.linkSpec(from, to);
    pair.epoch = epoch;
    if (spec === undefined) {
      if (this.config.noPath !== 'lose') throw new Error(`no link from ${from} to ${to}`);
      pair.current = -1;
      return;
    }
    const before = pair.current;
    if (before >= 0 && this.links.spec(before) === spec) return;
    const named = pair.links.get(spec.name);
    if (named !== undefined && this.links.spec(named) === spec) {
      if (before >= 0) this.links.continueFrom(named, before);
      pair.current = named;
      return;
    }
    // A pair's first link lives in the block of the node that keeps the pair; any other in a slot of its own.
    const at = pair.links.size > 0 ? this.table.linkSlot() : this.table.firstLinkSlot(src.block, dest.block);
    // A spec that replaces one of the same name (a fault changed it) draws on from its stream.
    if (named !== undefined) this.links.open(at, spec, undefined, this.links.stream(named));
    else
      this.links.open(
        at,
        spec,
        this.streams.state4('link/', from, '-', spec.name === undefined ? to : `${to}/${spec.name}`),
      );
    if (before >= 0) this.links.continueFrom(at, before);
    pair.links.set(spec.name, at);
    pair.current = at;
  }
}
