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
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private c = -1;

  constructor(private seed: string) {}

  next(): number {
    if (this.c < 0) this.init();
    const t = 2091639 * this.s0 + this.c * TWO_POW_MINUS_32;
    this.s0 = this.s1;
    this.s1 = this.s2;
    return (this.s2 = t - (this.c = t | 0));
  }

  private init(): void {
    const state = new Float64Array([0xefc8249d]);
    const space0 = mash(state, ' ');
    const space1 = mash(state, ' ');
    const space2 = mash(state, ' ');
    this.s0 = space0 - mash(state, this.seed);
    if (this.s0 < 0) this.s0 += 1;
    this.s1 = space1 - mash(state, this.seed);
    if (this.s1 < 0) this.s1 += 1;
    this.s2 = space2 - mash(state, this.seed);
    if (this.s2 < 0) this.s2 += 1;
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
}
