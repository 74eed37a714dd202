import type { AleaState, Distribution, Rng } from '../kernel/index.ts';

/** Int32 per node block: its routes, its first two links, the streams of its first eight job kinds. */
export const NODE_WIDTH = 64;
/** Int32 per link, in a node block or a slot of its own. */
export const LINK_WIDTH = 12;
/** Int32 per stream: alea's three lags as their 32 bits, then its carry (-1: not yet seeded). */
export const STREAM_WIDTH = 4;
/** Job kinds whose streams a node block holds; a node's further kinds get slots of their own. */
export const BLOCK_KINDS = 8;

/** Offsets in a node block: its first outgoing pair (peer's block, epoch, link) and first incoming one. */
export const OUT_PEER = 0;
export const OUT_EPOCH = 1;
export const OUT_LINK = 2;
export const IN_PEER = 3;
export const IN_EPOCH = 4;
export const IN_LINK = 5;
/** Where the block's two links and its kinds' streams start. */
export const FIRST_OUT = 8;
export const FIRST_IN = FIRST_OUT + LINK_WIDTH;
export const KINDS = FIRST_IN + LINK_WIDTH;

/** Offsets in a link: two times as float64 (int32 pairs), its own stream, then small fields. */
export const BUSY_UNTIL = 0;
export const LAST_ARRIVAL = 2;
export const OWN_STREAM = 4;
export const SPEC = 8;
export const STREAM_AT = 9;
export const IN_BURST = 10;
export const RETRANSMISSIONS = 11;

const TWO_POW_32 = 0x100000000;
const TWO_POW_MINUS_32 = 2.3283064365386963e-10;

/** Room a new table starts with: a small scenario's nodes and links. */
const INITIAL = 32 * NODE_WIDTH;

/**
 * The state the network changes with every message, packed in one buffer rather than kept in
 * objects: per node a block of 256 bytes with the route of its first outgoing and its first
 * incoming pair, those two links (wire and order times, random stream) and the random streams
 * of its first eight job kinds; further links and kinds in slots of their own. A client of a
 * large population has all of that side by side, so a message at it reaches one block where
 * objects would lie on several pages, and none of it is for the collector to trace. (In plain
 * objects and fields, a call costs 32% more wall time at 100k users.)
 *
 * Links and the network's routing read and write it through the offsets above; streams through
 * `draw` and `next`, which run seedrandom's alea step on the state loaded here.
 */
export class StateTable implements Rng {
  /** The same buffer as int32 and as float64; both are replaced when the table grows. */
  i32: Int32Array;
  f64: Float64Array;
  private used = 0;
  // The stream being drawn from, loaded for one synchronous draw (the Rng this table is).
  private k0 = 0;
  private k1 = 0;
  private k2 = 0;
  private c = 0;

  constructor(capacity = INITIAL) {
    const buffer = new ArrayBuffer(capacity * 4);
    this.i32 = new Int32Array(buffer);
    this.f64 = new Float64Array(buffer);
  }

  /** A new node block: no routes, links not yet opened, kinds' streams not yet seeded. */
  nodeBlock(): number {
    const at = this.reserve(NODE_WIDTH);
    const s = this.i32;
    s[at + OUT_PEER] = s[at + IN_PEER] = -1;
    for (let n = 0; n < BLOCK_KINDS; n++) s[at + KINDS + n * STREAM_WIDTH + 3] = -1;
    return at;
  }

  /** A link that is no node's first outgoing or incoming one. */
  linkSlot(): number {
    return this.reserve(LINK_WIDTH);
  }

  /** A stream of a job kind beyond a block's eight, not yet seeded. */
  streamSlot(): number {
    const at = this.reserve(STREAM_WIDTH);
    this.i32[at + 3] = -1;
    return at;
  }

  time(at: number): number {
    return this.f64[at >> 1] as number;
  }

  setTime(at: number, t: number): void {
    this.f64[at >> 1] = t;
  }

  isSeeded(stream: number): boolean {
    return (this.i32[stream + 3] as number) >= 0;
  }

  /** Starts the stream at `stream` from `state` (RandomStreams.state). */
  seed(stream: number, state: AleaState): void {
    const s = this.i32;
    s[stream] = state.s0 * TWO_POW_32;
    s[stream + 1] = state.s1 * TWO_POW_32;
    s[stream + 2] = state.s2 * TWO_POW_32;
    s[stream + 3] = state.c;
  }

  /** One draw of `dist` from the stream at `stream`. */
  draw(stream: number, dist: Distribution): number {
    this.load(stream);
    const x = dist.sample(this);
    this.store(stream);
    return x;
  }

  /** The loaded stream's next number: seedrandom's alea step, draw for draw (test/net/state-table.test.ts). */
  next(): number {
    const t = 2091639 * ((this.k0 >>> 0) * TWO_POW_MINUS_32) + this.c * TWO_POW_MINUS_32;
    this.k0 = this.k1;
    this.k1 = this.k2;
    const fraction = t - (this.c = t | 0);
    this.k2 = (fraction * TWO_POW_32) | 0;
    return fraction;
  }

  /** Loads the stream at `stream` for draws through `next` until `store`. */
  load(stream: number): void {
    const s = this.i32;
    this.k0 = s[stream] as number;
    this.k1 = s[stream + 1] as number;
    this.k2 = s[stream + 2] as number;
    this.c = s[stream + 3] as number;
  }

  store(stream: number): void {
    const s = this.i32;
    s[stream] = this.k0;
    s[stream + 1] = this.k1;
    s[stream + 2] = this.k2;
    s[stream + 3] = this.c;
  }

  /** Takes `width` int32; blocks and links start on an even offset, as their float64 times need. */
  private reserve(width: number): number {
    const at = this.used;
    this.used += width;
    if (this.used > this.i32.length) {
      let length = this.i32.length * 2;
      while (this.used > length) length *= 2;
      const buffer = new ArrayBuffer(length * 4);
      new Int32Array(buffer).set(this.i32);
      this.i32 = new Int32Array(buffer);
      this.f64 = new Float64Array(buffer);
    }
    return at;
  }
}
