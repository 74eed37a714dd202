/**
 * A table from (from, to) to a value, for the node pairs the nodes themselves have no room for
 * (Pairs keeps each node's first outgoing and first incoming pair in the node): a gateway's or
 * a migrated client's further pairs. A `from` keeps its single pair in a small record and gets
 * a Map only when a second `to` comes: a Map per `from` costs some 235 bytes with its hash
 * table where one pair needs 40 (issue 8: per-user memory slows calls as the population grows).
 */
export class PairTable<V> {
  private readonly byFrom = new Map<string, OnePair<V> | Map<string, V>>();

  get(from: string, to: string): V | undefined {
    const entry = this.byFrom.get(from);
    if (entry === undefined) return undefined;
    if (entry instanceof OnePair) return entry.to === to ? entry.value : undefined;
    return entry.get(to);
  }

  set(from: string, to: string, value: V): void {
    const entry = this.byFrom.get(from);
    if (entry === undefined) this.byFrom.set(from, new OnePair(to, value));
    else if (!(entry instanceof OnePair)) entry.set(to, value);
    else if (entry.to === to) entry.value = value;
    else
      this.byFrom.set(
        from,
        new Map([
          [entry.to, entry.value],
          [to, value],
        ]),
      );
  }

  clear(): void {
    this.byFrom.clear();
  }
}

class OnePair<V> {
  // Assigned in the constructor: V8 defines declared class fields one by one (issue 8).
  declare readonly to: string;
  declare value: V;

  constructor(to: string, value: V) {
    this.to = to;
    this.value = value;
  }
}
