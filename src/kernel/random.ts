import seedrandom from 'seedrandom';

/** A uniform source in [0, 1). */
export interface Rng {
  next(): number;
}

/** seedrandom's alea state, as its `state` option takes it: three fractions in [0, 1) on a 2^-32 grid and a carry. */
export interface AleaState {
  c: number;
  s0: number;
  s1: number;
  s2: number;
}

const TWO_POW_MINUS_32 = 2.3283064365386963e-10;

/**
 * A cyrb53-style string hash (two 32-bit lanes, Math.imul by an odd constant per lane), continued
 * from `h1, h2` over `text`: hashing `a` then `b` is hashing `a + b`, so a name made of parts is
 * hashed without building it.
 */
function hashLanes(lanes: { h1: number; h2: number }, text: string): void {
  let h1 = lanes.h1;
  let h2 = lanes.h2;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  lanes.h1 = h1;
  lanes.h2 = h2;
}

/** murmur3's 32-bit finaliser: each input bit flips each output bit with probability near 1/2. */
function fmix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** A finalised 32-bit lane as alea keeps it: a fraction on the 2^-32 grid. */
function fraction(k: number): number {
  return (k >>> 0) * TWO_POW_MINUS_32;
}

/**
 * Named random streams. Each is seedrandom's alea generator started from a state hashed from
 * (run seed, replication, stream name), so adding an actor never shifts another actor's draws,
 * and replication r of every variant sees the same numbers on the same named stream (common
 * random numbers). The state is hashed rather than left to alea's own seeding (Baagoe's Mash over
 * a seed string), which costs some 2 us per name: a large population has several streams per user.
 */
export class RandomStreams {
  private readonly streams = new Map<string, Rng>();
  /** `seed|replication|` hashed once; each stream hashes only its name on top. */
  private readonly prefix = { h1: 0xdeadbeef, h2: 0x41c6ce57 };
  /** The hash of the name being hashed, as far as it has got. */
  private readonly lanes = { h1: 0, h2: 0 };

  constructor(
    readonly seed: number | string,
    readonly replication: number,
  ) {
    hashLanes(this.prefix, `${seed}|${replication}|`);
  }

  /** The stream `name`, made on first use and kept. */
  stream(name: string): Rng {
    let rng = this.streams.get(name);
    if (rng === undefined) this.streams.set(name, (rng = this.create(name)));
    return rng;
  }

  /** The stream `name` as `stream(name)` would first give it, not kept here (its owner keeps it). */
  create(name: string): Rng {
    return { next: seedrandom.alea('', { state: this.state(name) }) };
  }

  /** The state the stream `name` starts from. */
  state(name: string): AleaState {
    return this.state4(name, '', '', '');
  }

  /** `state(a + b + c + d)`, without building the name (a stream per node job kind or link). */
  state4(a: string, b: string, c: string, d: string): AleaState {
    const lanes = this.lanes;
    lanes.h1 = this.prefix.h1;
    lanes.h2 = this.prefix.h2;
    hashLanes(lanes, a);
    hashLanes(lanes, b);
    hashLanes(lanes, c);
    hashLanes(lanes, d);
    // The three lags finalised from the 64-bit hash, with a carry of 1.
    const { h1, h2 } = lanes;
    return {
      c: 1,
      s0: fraction(fmix(h1 ^ Math.imul(h2, 0x9e3779b9))),
      s1: fraction(fmix(h2 ^ Math.imul(h1, 0x85ebca77))),
      s2: fraction(fmix((h1 + h2 + 0x27d4eb2f) | 0)),
    };
  }
}
