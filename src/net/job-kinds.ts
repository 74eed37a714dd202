import { AleaCursor, seedAlea, type Distribution, type RandomStreams, type Rng } from '../kernel/index.ts';
import { LinkStates } from './link-states.ts';

/** Where a node's job kinds get their streams: named streams, or (tests) a function per kind. */
export type KindStreams = RandomStreams | ((kind: string, address: string) => Rng);

/**
 * The job kinds the nodes of one processing spec have seen, numbered in the order first seen,
 * with their service time distributions. Shared by every node of the spec (every client of a
 * system shares one), so a node keeps no table of its own: only a row of its streams' states
 * (KindStateTable). A lookup here reads a small table every node uses, which stays in the
 * cache, where a table per node is a cache miss per job in a large population (issue 8).
 */
export class SpecKinds {
  private readonly numbers = new Map<string, number>();
  readonly dists: Distribution[] = [];

  constructor(private readonly timeFor: (kind: string) => Distribution) {}

  numberOf(kind: string): number {
    let n = this.numbers.get(kind);
    if (n === undefined) {
      n = this.dists.length;
      this.numbers.set(kind, n);
      this.dists.push(this.timeFor(kind));
    }
    return n;
  }
}

/** Four int32 per stream: alea's k0, k1, k2 and carry; a carry of -1 marks a stream not yet seeded. */
const STATE = 4;
const CARRY = 3;

/** Kind numbers a new table has room for in each row: a client sees seven in a private-call load. */
const INITIAL_SLOTS = 8;

const specKinds = new WeakMap<object, SpecKinds>();

/** The kinds of a processing spec, made when its first node is. */
export function kindsOf(spec: { timeFor(kind: string): Distribution }): SpecKinds {
  let kinds = specKinds.get(spec);
  if (kinds === undefined) specKinds.set(spec, (kinds = new SpecKinds((kind) => spec.timeFor(kind))));
  return kinds;
}

/**
 * The streams of the job kinds of every node of one spec in one model, in one typed array: a
 * row per node, and in it the alea state of each kind number side by side. A call reaches a
 * client twice (set-up, release), draws for one or two kinds each time, and in a large
 * population finds its state out of the cache and off the TLB: its kinds' states then sit on
 * one page, where an array per kind put each kind on a page of its own (issue 8). A plain array
 * per node, its elements in a store of their own, cost more still; and a typed array is nothing
 * for the garbage collector to trace. Once a node has a block of link states (a client has one
 * from its first message on), its first kinds' streams live there instead, beside its links.
 */
export class KindStateTable {
  private rows = 0;
  private capacity = 1;
  /** Kind numbers a row has room for; doubled (every row moved) when a spec sees more kinds. */
  private slots = INITIAL_SLOTS;
  /** Made at the first draw: building a model makes every node, and a short run draws at few. */
  private states: Int32Array | undefined = undefined;

  /**
   * `links`: the link states of the network whose nodes draw here. A node that has a block
   * there (Node.linkBlock) keeps its first LinkStates.KINDS kinds' streams in that block, beside
   * its links, rather than in its row here (moveKinds hands them over when the block is made).
   */
  constructor(readonly links?: LinkStates) {}

  /** A row for one more node. */
  addRow(): number {
    if (this.rows === this.capacity) {
      if (this.states === undefined) this.capacity *= 2;
      else this.relayout(this.capacity * 2, this.slots);
    }
    return this.rows++;
  }

  /** Copies row `row`'s streams of the kinds a node block holds into the block at `slot` of `links`: the node keeps them there from now on. */
  moveKinds(row: number, slot: number): void {
    const from = this.states;
    const links = this.links;
    if (from === undefined || links === undefined) return;
    for (let n = 0; n < Math.min(this.slots, LinkStates.KINDS); n++) {
      const at = this.offset(row, n);
      links.states.set(from.subarray(at, at + STATE), LinkStates.kindAt(slot, n));
    }
  }

  /** Where kind number `n` of row `row` starts in the array `statesFor(n)` gave: ask after it, as widening moves the rows. */
  offset(row: number, n: number): number {
    return (row * this.slots + n) * STATE;
  }

  /** The array holding kind number `n` of every row, widened first when the rows have no room for it. */
  statesFor(n: number): Int32Array {
    if (n >= this.slots) {
      let slots = this.slots * 2;
      while (n >= slots) slots *= 2;
      if (this.states === undefined) this.slots = slots;
      else this.relayout(this.capacity, slots);
    }
    return (this.states ??= unseeded(this.capacity, this.slots));
  }

  private relayout(capacity: number, slots: number): void {
    const old = this.states as Int32Array;
    const width = this.slots * STATE;
    const states = unseeded(capacity, slots);
    if (slots === this.slots) states.set(old.subarray(0, this.rows * width));
    else for (let r = 0; r < this.rows; r++) states.set(old.subarray(r * width, (r + 1) * width), r * slots * STATE);
    this.states = states;
    this.capacity = capacity;
    this.slots = slots;
  }
}

function unseeded(rows: number, slots: number): Int32Array {
  const a = new Int32Array(rows * slots * STATE);
  for (let i = CARRY; i < a.length; i += STATE) a[i] = -1;
  return a;
}

/** Where a node draws: its row of its spec's table, or (a stream function) the streams it gave, by kind number. */
export interface KindDraws {
  readonly table: KindStateTable;
  readonly row: number;
  /** The node's block in `table.links`, or -1. */
  readonly linkBlock: number;
  kindRngs: (Rng | undefined)[] | undefined;
}

/** Draws a service time of `dist` from the stream of kind number `n` (named `kind`) of the node at `address`. */
export function drawService(
  d: KindDraws,
  dist: Distribution,
  n: number,
  kind: string,
  address: string,
  streams: KindStreams,
): number {
  if (typeof streams === 'function') {
    const rngs = (d.kindRngs ??= []);
    return dist.sample((rngs[n] ??= streams(kind, address)));
  }
  const table = d.table;
  const block = d.linkBlock;
  const inBlock = block >= 0 && n < LinkStates.KINDS && table.links !== undefined;
  const states = inBlock ? (table.links as LinkStates).states : table.statesFor(n);
  const at = inBlock ? LinkStates.kindAt(block, n) : table.offset(d.row, n);
  const cursor = CURSOR;
  if ((states[at + CARRY] as number) < 0) seedAlea(cursor, streams.lanes4('node/', address, '/proc/', kind));
  else {
    cursor.k0 = states[at] as number;
    cursor.k1 = states[at + 1] as number;
    cursor.k2 = states[at + 2] as number;
    cursor.c = states[at + CARRY] as number;
  }
  const service = dist.sample(cursor);
  states[at] = cursor.k0;
  states[at + 1] = cursor.k1;
  states[at + 2] = cursor.k2;
  states[at + CARRY] = cursor.c;
  return service;
}

/** The stream being drawn from, its state loaded for one synchronous draw. */
const CURSOR = new AleaCursor();
