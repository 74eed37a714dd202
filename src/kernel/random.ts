/** A uniform source in [0, 1). */
export interface Rng {
  next(): number;
}

const TWO_POW_32 = 0x100000000;
const TWO_POW_MINUS_32 = 2.3283064365386963e-10;

/**
 * Baagoe's Mash hash as seedrandom's alea uses it: `state[0]` carries the running value from
 * one call to the next. The state lives in an array rather than a closure variable so that V8
 * keeps it an unboxed double instead of allocating a heap number per character.
 */
function mash(state: Float64Array, data: string): number {
  let n = state[0] as number;
  for (let i = 0; i < data.length; i++) {
    n += data.charCodeAt(i);
    let h = 0.02519603282416938 * n;
    n = h >>> 0;
    h -= n;
    h *= n;
    n = h >>> 0;
    h -= n;
    n += h * TWO_POW_32;
  }
  state[0] = n;
  return (n >>> 0) * TWO_POW_MINUS_32;
}

/**
 * seedrandom's alea (the same numbers, draw for draw; test/kernel/alea.test.ts compares them),
 * seeded on the first draw. A model builds dozens of streams per replication and draws from
 * few of them once or twice (a constant processing time draws nothing), and seeding hashes the
 * seed string three times, so it costs far more than a draw: unused streams should cost nothing.
 */
class Alea implements Rng {
  // The three lags are multiples of 2^-32 in [0, 1), kept as their 32 bits in int32 fields:
  // small integers live in the object itself, where double fields would each be a separate
  // heap number, and a large population keeps hundreds of thousands of streams (issue 8).
  // (k >>> 0) * 2^-32 gives back the very double, so the draws are unchanged.
  private k0 = 0;
  private k1 = 0;
  private k2 = 0;
  private c = -1;

  constructor(private seed: string) {}

  next(): number {
    if (this.c < 0) this.init();
    const t = 2091639 * ((this.k0 >>> 0) * TWO_POW_MINUS_32) + this.c * TWO_POW_MINUS_32;
    this.k0 = this.k1;
    this.k1 = this.k2;
    const s2 = t - (this.c = t | 0);
    this.k2 = (s2 * TWO_POW_32) | 0;
    return s2;
  }

  private init(): void {
    const state = new Float64Array([0xefc8249d]);
    const space0 = mash(state, ' ');
    const space1 = mash(state, ' ');
    const space2 = mash(state, ' ');
    let s0 = space0 - mash(state, this.seed);
    if (s0 < 0) s0 += 1;
    let s1 = space1 - mash(state, this.seed);
    if (s1 < 0) s1 += 1;
    let s2 = space2 - mash(state, this.seed);
    if (s2 < 0) s2 += 1;
    this.k0 = (s0 * TWO_POW_32) | 0;
    this.k1 = (s1 * TWO_POW_32) | 0;
    this.k2 = (s2 * TWO_POW_32) | 0;
    this.c = 1;
    this.seed = '';
  }
}

/**
 * Named random streams. Each stream is seeded from (run seed, replication, stream name), so
 * adding an actor never shifts another actor's draws, and replication r of every variant sees
 * the same numbers on the same named stream (common random numbers).
 */
export class RandomStreams {
  private readonly streams = new Map<string, Rng>();

  constructor(
    readonly seed: number | string,
    readonly replication: number,
  ) {}

  stream(name: string): Rng {
    let rng = this.streams.get(name);
    if (rng === undefined) {
      rng = new Alea(`${this.seed}|${this.replication}|${name}`);
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
    return new Alea(`${this.seed}|${this.replication}|${name}`);
  }
}
