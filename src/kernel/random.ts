import seedrandom from 'seedrandom';

/** A uniform source in [0, 1). */
export interface Rng {
  next(): number;
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
      // alea: fast, 2^116 period, and seedable from a string (seedrandom's recommended fast PRNG).
      const prng = seedrandom.alea(`${this.seed}|${this.replication}|${name}`);
      rng = { next: () => prng() };
      this.streams.set(name, rng);
    }
    return rng;
  }
}
