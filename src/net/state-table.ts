import type { AleaState, Distribution, Rng } from '../kernel/index.ts';

// Layout, in int32. A node block: the route of its first outgoing pair (peer's block, link epoch,
// link) and of its first incoming pair, those two links, then the streams of its first eight job
// kinds. A link: its wire-busy and last-arrival times (float64, two int32 each), its own stream,
// its spec's number, where the stream it draws from is, its loss-burst state, its retransmissions.
// A stream: alea's three lags as their 32 bits, then its carry (-1: not yet seeded).
const NODE_WIDTH = 64;
const LINK_WIDTH = 12;
const STREAM_WIDTH = 4;
const BLOCK_KINDS = 8;
const [OUT_PEER, OUT_EPOCH, OUT_LINK, IN_PEER, IN_EPOCH, IN_LINK] = [0, 1, 2, 3, 4, 5];
const FIRST_OUT = 8;
const FIRST_IN = FIRST_OUT + LINK_WIDTH;
const KINDS = FIRST_IN + LINK_WIDTH;
const [BUSY_UNTIL, LAST_ARRIVAL, OWN_STREAM, SPEC, STREAM_AT, IN_BURST, RETRANSMISSIONS] = [0, 2, 4, 8, 9, 10, 11];

const TWO_POW_32 = 0x100000000;
const TWO_POW_MINUS_32 = 2.3283064365386963e-10;

const INITIAL = 32 * NODE_WIDTH;

/**
 * The state the network changes with every message, packed in one buffer rather than objects: per
 * node a 256-byte block with its first outgoing and incoming routes, those two links and its job
 * kinds' streams. A message at a client of a large population reaches that one block where objects
 * would lie on several pages, and nothing here is for the collector to trace: measured in turns
 * (bench/compare.ts) against this API over plain objects, a call takes 17% less wall time at 100k
 * users and 9% less at 1k. Nodes, links and routes are offsets into it, read and written through
 * the methods below; streams run seedrandom's alea step on a state loaded here.
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

  linkSlot(): number {
    return this.reserve(LINK_WIDTH);
  }

  /** A stream of a job kind past a block's eight, not yet seeded. */
  streamSlot(): number {
    const at = this.reserve(STREAM_WIDTH);
    this.i32[at + 3] = -1;
    return at;
  }

  /** The stream of job kind number `n` in the node block at `block`; none past the block's eight. */
  kindStream(block: number, n: number): number | undefined {
    return n < BLOCK_KINDS ? block + KINDS + n * STREAM_WIDTH : undefined;
  }

  /** The link from block `src` to block `dest` as decided in `epoch`, when either block keeps the pair; else -2. */
  keptLink(src: number, dest: number, epoch: number): number {
    const s = this.i32;
    if (s[src + OUT_PEER] === dest && s[src + OUT_EPOCH] === epoch) return s[src + OUT_LINK] as number;
    if (s[dest + IN_PEER] === src && s[dest + IN_EPOCH] === epoch) return s[dest + IN_LINK] as number;
    return -2;
  }

  /** Which block keeps the pair: the sender's as its first outgoing pair, the receiver's as its first incoming one, or none. */
  keeperOf(src: number, dest: number): 'sender' | 'receiver' | undefined {
    if (this.i32[src + OUT_PEER] === dest) return 'sender';
    if (this.i32[dest + IN_PEER] === src) return 'receiver';
    return undefined;
  }

  /** Makes the pair the sender's first outgoing or else the receiver's first incoming one, where either has room. */
  claimPair(src: number, dest: number): 'sender' | 'receiver' | undefined {
    const s = this.i32;
    if (s[src + OUT_PEER] === -1) {
      s[src + OUT_PEER] = dest;
      s[src + OUT_EPOCH] = -1;
      return 'sender';
    }
    if (s[dest + IN_PEER] === -1) {
      s[dest + IN_PEER] = src;
      s[dest + IN_EPOCH] = -1;
      return 'receiver';
    }
    return undefined;
  }

  /** Keeps the pair's decision (its link, or -1 for none) in the block that keeps the pair. */
  keepLink(src: number, dest: number, epoch: number, link: number): void {
    const s = this.i32;
    if (s[src + OUT_PEER] === dest) {
      s[src + OUT_EPOCH] = epoch;
      s[src + OUT_LINK] = link;
    } else if (s[dest + IN_PEER] === src) {
      s[dest + IN_EPOCH] = epoch;
      s[dest + IN_LINK] = link;
    }
  }

  /** Where the first link of a pair goes: in the block that keeps the pair, else a slot of its own. */
  firstLinkSlot(src: number, dest: number): number {
    const s = this.i32;
    if (s[src + OUT_PEER] === dest) return src + FIRST_OUT;
    if (s[dest + IN_PEER] === src) return dest + FIRST_IN;
    return this.linkSlot();
  }

  /** Opens the link at `at`: times zero, spec number `spec`, drawing from the stream at `stream` (-1: its own). */
  openLink(at: number, spec: number, stream: number): void {
    const s = this.i32;
    s.fill(0, at, at + LINK_WIDTH);
    s[at + SPEC] = spec;
    s[at + STREAM_AT] = stream < 0 ? at + OWN_STREAM : stream;
  }

  /** The link's spec, by number (link.ts keeps the specs). */
  linkSpec(link: number): number {
    return this.i32[link + SPEC] as number;
  }

  /** Where the stream a link draws from is kept: its own, or that of a link it took over from. */
  linkStream(link: number): number {
    return this.i32[link + STREAM_AT] as number;
  }

  busyUntil(link: number): number {
    return this.f64[(link + BUSY_UNTIL) >> 1] as number;
  }

  setBusyUntil(link: number, t: number): void {
    this.f64[(link + BUSY_UNTIL) >> 1] = t;
  }

  lastArrival(link: number): number {
    return this.f64[(link + LAST_ARRIVAL) >> 1] as number;
  }

  setLastArrival(link: number, t: number): void {
    this.f64[(link + LAST_ARRIVAL) >> 1] = t;
  }

  inBurst(link: number): boolean {
    return this.i32[link + IN_BURST] === 1;
  }

  setInBurst(link: number, bad: boolean): void {
    this.i32[link + IN_BURST] = bad ? 1 : 0;
  }

  retransmissions(link: number): number {
    return this.i32[link + RETRANSMISSIONS] as number;
  }

  setRetransmissions(link: number, n: number): void {
    this.i32[link + RETRANSMISSIONS] = n;
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

  /** Loads the stream at `stream` for draws through `next`, until `store`. */
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
