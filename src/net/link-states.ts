/**
 * The state every link changes as it sends, in one typed array of a network: eight int32 per
 * link, its two times (each as high and low 30 bits) and its own stream's alea state. A send
 * over a client's link in a large population finds that state out of the cache; as fields of
 * the link object it spanned some three lines, here it is half of one, and a node's outgoing
 * and incoming links share a line (`block`). A typed array is also nothing for the collector to
 * trace or move (issue 8).
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

  private used = 0;
  /** Grown by doubling: ask for it after `block`, which may replace it. */
  states = new Int32Array(2 * LinkStates.WIDTH);

  /**
   * Two slots side by side, the first at an even slot (so a block of 64 bytes is one cache
   * line): for the first outgoing and first incoming link of one node.
   */
  block(): number {
    const slot = this.used;
    this.used += 2;
    if (this.used * LinkStates.WIDTH > this.states.length) {
      const grown = new Int32Array(this.states.length * 2);
      grown.set(this.states);
      this.states = grown;
    }
    return slot;
  }
}
