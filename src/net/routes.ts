import type { RandomStreams } from '../kernel/index.ts';
import type { LinkSpec, Links } from './link.ts';
import type { Node } from './node.ts';
import {
  FIRST_IN,
  FIRST_OUT,
  IN_EPOCH,
  IN_LINK,
  IN_PEER,
  OUT_EPOCH,
  OUT_LINK,
  OUT_PEER,
  type StateTable,
} from './state-table.ts';

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
  /** Pairs by their sender's block (its first outgoing pair) and by their receiver's (first incoming). */
  private readonly firstOut = new Map<number, Pair>();
  private readonly firstIn = new Map<number, Pair>();
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
    const s = this.table.i32;
    const a = src.block;
    const b = dest.block;
    if (epoch >= 0) {
      if (s[a + OUT_PEER] === b && s[a + OUT_EPOCH] === epoch) return s[a + OUT_LINK] as number;
      if (s[b + IN_PEER] === a && s[b + IN_EPOCH] === epoch) return s[b + IN_LINK] as number;
    }
    return this.decide(src, dest, epoch);
  }

  private decide(src: Node, dest: Node, epoch: number): number {
    const pair = this.pairOf(src, dest);
    if (!(epoch >= 0 && pair.epoch === epoch)) this.redecide(pair, src, dest, epoch);
    // The node that keeps the pair keeps its decision too.
    const s = this.table.i32;
    if (s[src.block + OUT_PEER] === dest.block) {
      s[src.block + OUT_EPOCH] = pair.epoch;
      s[src.block + OUT_LINK] = pair.current;
    } else if (s[dest.block + IN_PEER] === src.block) {
      s[dest.block + IN_EPOCH] = pair.epoch;
      s[dest.block + IN_LINK] = pair.current;
    }
    return pair.current;
  }

  /** The pair's record, made on its first send and kept by the first of the two nodes with room. */
  private pairOf(src: Node, dest: Node): Pair {
    const s = this.table.i32;
    const a = src.block;
    const b = dest.block;
    if (s[a + OUT_PEER] === b) return this.firstOut.get(a) as Pair;
    if (s[b + IN_PEER] === a) return this.firstIn.get(b) as Pair;
    const key = `${a}>${b}`;
    let pair = this.others.get(key);
    if (pair !== undefined) return pair;
    if (this.config.linkSpec(src.address, dest.address) === undefined && this.config.noPath !== 'lose')
      throw new Error(`no link from ${src.address} to ${dest.address}`);
    pair = { epoch: -1, current: -1, links: new Map() };
    if (s[a + OUT_PEER] === -1) {
      s[a + OUT_PEER] = b;
      this.firstOut.set(a, pair);
    } else if (s[b + IN_PEER] === -1) {
      s[b + IN_PEER] = a;
      this.firstIn.set(b, pair);
    } else this.others.set(key, pair);
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
    const at = this.slotFor(pair, src, dest);
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

  /** A pair's first link lives in the block of the node that keeps the pair; any other in a slot of its own. */
  private slotFor(pair: Pair, src: Node, dest: Node): number {
    if (pair.links.size > 0) return this.table.linkSlot();
    const s = this.table.i32;
    if (s[src.block + OUT_PEER] === dest.block) return src.block + FIRST_OUT;
    if (s[dest.block + IN_PEER] === src.block) return dest.block + FIRST_IN;
    return this.table.linkSlot();
  }
}
