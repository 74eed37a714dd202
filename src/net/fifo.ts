/** An array-backed FIFO with O(1) amortised push/shift (Array.prototype.shift is O(n)). */
export class Fifo<T> {
  // Assigned in the constructor, not declared with initialisers: a replication makes a node,
  // and so a Fifo, per user, and V8 defines declared fields one by one (issue 8).
  declare private items: (T | undefined)[];
  declare private head: number;

  constructor() {
    this.items = [];
    this.head = 0;
  }

  get length(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    this.items.push(item);
  }

  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head];
    this.items[this.head++] = undefined;
    if (this.head === this.items.length) {
      // Empty again: truncating to zero gives back the array's storage (17+ slots once it has
      // grown), which every client node that ever queued a job kept for good (issue 8: some
      // 140 bytes per user of a large population, most of them idle at any time).
      this.items.length = 0;
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }

  clear(): T[] {
    const rest = this.items.slice(this.head) as T[];
    this.items = [];
    this.head = 0;
    return rest;
  }
}
