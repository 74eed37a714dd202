/** A uniform source in [0, 1). */
export interface Rng {
  next(): number;
}

/** seedrandom's alea state: three fractions in [0, 1) on a 2^-32 grid and a carry. */
export interface AleaState {
  c: number;
  s0: number;
  s1: number;
  s2: number;
}

/** Starting lanes of the hash; cyrb53's. */
const LANE1 = 0xdeadbeef;
const LANE2 = 0x41c6ce57;
const TWO_POW_32 = 0x100000000;
const TWO_POW_MINUS_32 = 2.3283064365386963e-10;

/** The two 32-bit lanes of the seed hash, as far as it has got. */
export interface Lanes {
  h1: number;
  h2: number;
}

/**
 * A cyrb53-style string hash (two 32-bit lanes, Math.imul by an odd constant per lane),
 * continued from `from` over `text` into `out`: hashing `a` then `b` is hashing `a + b`, so a
 * name made of parts is hashed without building it. Integer multiplies: some 40 times cheaper
 * per character than alea's own seeding (Baagoe's Mash, a chain of dependent float operations
 * run three times over the seed string: about 2 us per stream name, and a replication of a
 * bundled scenario seeds some 40 streams; issue 8).
 */
function hashLanes(from: Lanes, text: string, out: Lanes): Lanes {
  let h1 = from.h1;
  let h2 = from.h2;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  out.h1 = h1;
  out.h2 = h2;
  return out;
}

/** murmur3's 32-bit finaliser: each input bit flips each output bit with probability near 1/2. */
function fmix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/**
 * The state of seedrandom's alea generator, as fields of whatever object carries it. The three
 * lags are multiples of 2^-32 in [0, 1), kept as their 32 bits in int32 fields: small integers
 * live in the object itself, where double fields would each be a separate heap number.
 * (k >>> 0) * 2^-32 gives back the very double. A link or a node's job kind carries its stream
 * in its own fields rather than pointing at a stream object: one object less to reach per
 * message, and a large population keeps hundreds of thousands of streams (issue 8).
 */
export interface AleaFields {
  k0: number;
  k1: number;
  k2: number;
  c: number;
}

/**
 * Starts `s` from a state hashed from (seed, replication, stream name) rather than from Mash
 * over a seed string: the 64-bit hash of `seed|replication|name`, finalised into the three
 * 32-bit fractions alea keeps and a carry of 1.
 */
export function seedAlea(s: AleaFields, lanes: Lanes): void {
  const { h1, h2 } = lanes;
  s.k0 = fmix(h1 ^ Math.imul(h2, 0x9e3779b9));
  s.k1 = fmix(h2 ^ Math.imul(h1, 0x85ebca77));
  s.k2 = fmix((h1 + h2 + 0x27d4eb2f) | 0);
  s.c = 1;
}

/** seedrandom's alea step, draw for draw (test/kernel/alea.test.ts compares it with `seedrandom.alea('', { state })`). */
export function aleaNext(s: AleaFields): number {
  const t = 2091639 * ((s.k0 >>> 0) * TWO_POW_MINUS_32) + s.c * TWO_POW_MINUS_32;
  s.k0 = s.k1;
  s.k1 = s.k2;
  const s2 = t - (s.c = t | 0);
  s.k2 = (s2 * TWO_POW_32) | 0;
  return s2;
}

/**
 * A stream whose state is kept elsewhere (a typed array, say), loaded here for one synchronous
 * draw or send and stored back after it.
 */
export class AleaCursor implements Rng, AleaFields {
  k0 = 0;
  k1 = 0;
  k2 = 0;
  c = 0;

  next(): number {
    return aleaNext(this);
  }
}

/** A stream of its own: alea's state and nothing else. */
class Alea implements Rng, AleaFields {
  // Assigned in seedAlea, not declared with initialisers, which V8 defines one by one on every construction.
  declare k0: number;
  declare k1: number;
  declare k2: number;
  declare c: number;

  constructor(lanes: Lanes) {
    seedAlea(this, lanes);
  }

  next(): number {
    return aleaNext(this);
  }

  state(): AleaState {
    const f = (k: number): number => (k >>> 0) * TWO_POW_MINUS_32;
    return { c: this.c, s0: f(this.k0), s1: f(this.k1), s2: f(this.k2) };
  }
}

/** Scratch lanes for the hash of a name in parts; one thread runs one hash at a time. */
const scratch: Lanes = { h1: 0, h2: 0 };

/** The alea state stream `name` of (seed, replication) starts from (test/kernel/alea.test.ts). */
export function aleaState(seed: number | string, replication: number, name: string): AleaState {
  const streams = new RandomStreams(seed, replication);
  return (streams.create(name) as Alea).state();
}

/**
 * Named random streams. Each stream is seeded from (run seed, replication, stream name), so
 * adding an actor never shifts another actor's draws, and replication r of every variant sees
 * the same numbers on the same named stream (common random numbers).
 */
export class RandomStreams {
  private readonly streams = new Map<string, Rng>();
  /** `seed|replication|` hashed once; each stream hashes only its name on top. */
  private readonly prefix: Lanes;

  constructor(
    readonly seed: number | string,
    readonly replication: number,
  ) {
    this.prefix = hashLanes({ h1: LANE1, h2: LANE2 }, `${seed}|${replication}|`, { h1: 0, h2: 0 });
  }

  stream(name: string): Rng {
    let rng = this.streams.get(name);
    if (rng === undefined) {
      rng = this.create(name);
      this.streams.set(name, rng);
    }
    return rng;
  }

  /**
   * The stream `name` as `stream(name)` would first give it, but not kept here: for an owner
   * that keeps it itself (a node per job kind, a link) and is the only one to ask for the name.
   * A large population has a few streams per user, and the table of names would hold them all.
   */
  create(name: string): Rng {
    return new Alea(hashLanes(this.prefix, name, scratch));
  }

  /** `create(a + b + c + d)`, without building the name (a stream per node job kind or link). */
  create4(a: string, b: string, c: string, d: string): Rng {
    return new Alea(this.lanes4(a, b, c, d));
  }

  /**
   * The hash `create4(a, b, c, d)` seeds from, for `seedAlea` into an object that carries its
   * own stream. The lanes are scratch, valid until the next call: seed from them at once.
   */
  lanes4(a: string, b: string, c: string, d: string): Lanes {
    const lanes = hashLanes(this.prefix, a, scratch);
    hashLanes(lanes, b, lanes);
    hashLanes(lanes, c, lanes);
    return hashLanes(lanes, d, lanes);
  }
}
