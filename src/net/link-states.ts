/**
 * The state every link changes as it sends, in one typed array of a network: eight int32 per
 * link, its two times (each as high and low 30 bits) and its own stream's alea state. A send
 * over a client's link in a large population finds that state out of the cache; as fields of
 * the link object it spanned some three lines, here it is half of one, and a node's outgoing
 * and incoming links share a line, beside its job kinds' streams (`block`). A typed array is
 * also nothing for the collector to trace or move (issue 8).
 */
export class LinkStates {
  /** Int32 per link. */
  static readonly WIDTH = 8;
  static readonly BUSY_HI = 0;
  static readonly BUSY_LO = 1;
  static readonly ARRIVAL_HI = 2;
  static readonly ARRIVAL_LO = 3;
  /** Alea's k0, k1, k2 and carry follow (kernel/random.ts). */
  static readonly K0 = 4;
  static readonly C = 7;

  /** Job kinds whose stream states a node block holds (job-kinds.ts): a client sees seven in a private-call load. */
  static readonly KINDS = 8;
  /** Slots of a node block: its first outgoing link, its first incoming link, then its kinds' states. */
  static readonly NODE_SLOTS = 2 + (LinkStates.KINDS * 4) / LinkStates.WIDTH;

  private used = 0;
  /** Grown by doubling: ask for it after `block` or `single`, which may replace it. */
  states = new Int32Array(2 * LinkStates.NODE_SLOTS * LinkStates.WIDTH);

  /**
   * A node's block of NODE_SLOTS slots, 192 bytes from a multiple of 64: its first outgoing and
   * first incoming link, then the stream states of its first KINDS job kinds, not yet seeded.
   * What a message at a client of a large population reaches, its link and its service time
   * draw, lies in one block then, not on two pages of two tables (issue 8).
   */
  block(): number {
    const slot = this.reserve(LinkStates.NODE_SLOTS);
    for (let n = 0; n < LinkStates.KINDS; n++) this.states[LinkStates.kindAt(slot, n) + 3] = -1;
    return slot;
  }

  /** One slot, for a link that is not a node's first outgoing or incoming one. */
  single(): number {
    return this.reserve(1);
  }

  /** Where the stream state of job kind `n` (< KINDS) of the node block at `slot` starts: alea's k0, k1, k2 and carry. */
  static kindAt(slot: number, n: number): number {
    return (slot + 2) * LinkStates.WIDTH + n * 4;
  }

  private reserve(slots: number): number {
    const slot = this.used;
    this.used += slots;
    if (this.used * LinkStates.WIDTH > this.states.length) {
      let length = this.states.length * 2;
      while (this.used * LinkStates.WIDTH > length) length *= 2;
      const grown = new Int32Array(length);
      grown.set(this.states);
      this.states = grown;
    }
    return slot;
  }
}
