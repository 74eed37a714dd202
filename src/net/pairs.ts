import type { Link } from './link.ts';
import type { Node } from './node.ts';
import { PairTable } from './pair-table.ts';

/** The links one ordered pair has had, and the one the topology gives it now. */
export interface PairLinks {
  /** The destination node: an arrival need not look it up among all nodes (issue 8: 100k+). */
  readonly dest: Node;
  /** The linkEpoch `current` was decided in; -1 without linkEpoch. */
  epoch: number;
  current: Link | undefined;
  /** The first link the pair had; `more` holds one per further spec name, in the order first used. */
  first: Link | undefined;
  more: Link[] | undefined;
}

/**
 * Where the record of each ordered pair is kept. Most nodes are clients with two pairs: to
 * their server and from it. A node keeps the first pair it sends on and the first pair it
 * receives on in fields of its own, so a client's message reaches its pair record through a
 * node the message touches anyway, rather than through a table of every pair of a 100k+
 * population, whose lookup misses the cache on every send (issue 8). Other pairs (a server's
 * second destination onwards, a migrated client's new server) are kept in a PairTable.
 */
export class Pairs {
  private readonly table = new PairTable<PairLinks>();

  /** The pair from `src` to the node at `to`, found without `dest` when `src` keeps it. */
  find(src: Node, to: string, dest: Node): PairLinks | undefined {
    if (src.pairOutTo === to) return src.pairOut;
    if (dest.pairInFrom === src) return dest.pairIn;
    return this.table.get(src.address, to);
  }

  /** A new record for the pair from `src` to `dest`, kept by the first of the two with room. */
  add(src: Node, dest: Node, epoch: number): PairLinks {
    const pair: PairLinks = { dest, epoch, current: undefined, first: undefined, more: undefined };
    if (src.pairOut === undefined) {
      src.pairOutTo = dest.address;
      src.pairOut = pair;
    } else if (dest.pairIn === undefined) {
      dest.pairInFrom = src;
      dest.pairIn = pair;
    } else this.table.set(src.address, dest.address, pair);
    return pair;
  }

  /**
   * Copies the pair's decision (epoch and link) into the node that keeps it, where the next
   * send of that epoch finds it without reaching the pair record.
   */
  static remember(src: Node, pair: PairLinks): void {
    const link = pair.current;
    if (src.pairOut === pair) {
      src.pairOutEpoch = pair.epoch;
      src.pairOutLink = link;
      src.pairOutDest = pair.dest;
      src.pairOutSlot = link === undefined ? -1 : link.plainSlot;
      src.pairOutSpec = link?.spec;
    } else if (pair.dest.pairIn === pair) {
      const dest = pair.dest;
      dest.pairInEpoch = pair.epoch;
      dest.pairInLink = link;
      dest.pairInSlot = link === undefined ? -1 : link.plainSlot;
      dest.pairInSpec = link?.spec;
    }
  }

  /** The link of spec name `name` the pair has had, if any. */
  static named(pair: PairLinks, name: string | undefined): Link | undefined {
    if (pair.first === undefined || pair.first.spec.name === name) return pair.first;
    return pair.more?.find((l) => l.spec.name === name);
  }

  /** Keeps `link` as the pair's link of its spec name, replacing the one of that name it had. */
  static keep(pair: PairLinks, link: Link): void {
    const name = link.spec.name;
    if (pair.first === undefined || pair.first.spec.name === name) pair.first = link;
    else {
      const more = (pair.more ??= []);
      const i = more.findIndex((l) => l.spec.name === name);
      if (i < 0) more.push(link);
      else more[i] = link;
    }
  }
}
