/**
 * Pending events ordered by (time, seq). A binary heap of slot indices over
 * struct-of-arrays storage: the hot path allocates nothing once the arrays have
 * grown, which is what keeps the kernel close to a bare typed-array heap (bench/phold).
 *
 * A handle is `slot + generation * SLOT_SPAN`; the generation changes whenever a slot is
 * reused, so cancelling a handle whose event already ran is a harmless no-op.
 */
export type Handler<P> = (payload: P) => void;
export type EventHandle = number;

const SLOT_SPAN = 2 ** 26;

export class EventQueue {
  private times = new Float64Array(1024);
  private seqs = new Float64Array(1024);
  private gens = new Float64Array(1024);
  private handlers: (Handler<never> | null)[] = new Array<Handler<never> | null>(1024).fill(null);
  private payloads: unknown[] = new Array<unknown>(1024).fill(undefined);
  private heap = new Int32Array(1024);
  private freeSlots = new Int32Array(1024);
  private freeCount = 0;
  private nextSlot = 0;
  private nextSeq = 0;
  private count = 0;
  private live = 0;

  /** Number of scheduled, not yet run and not cancelled events. */
  get size(): number {
    return this.live;
  }

  push<P>(time: number, handler: Handler<P>, payload: P): EventHandle {
    const slot = this.freeCount > 0 ? (this.freeSlots[--this.freeCount] as number) : this.newSlot();
    this.times[slot] = time;
    this.seqs[slot] = this.nextSeq++;
    this.handlers[slot] = handler as Handler<never>;
    this.payloads[slot] = payload;
    this.siftUp(this.count++, slot);
    this.live++;
    return slot + (this.gens[slot] as number) * SLOT_SPAN;
  }

  /** Marks the event dead; the run loop discards it when it reaches the top. */
  cancel(handle: EventHandle): boolean {
    const slot = handle % SLOT_SPAN;
    const gen = (handle - slot) / SLOT_SPAN;
    if (slot >= this.nextSlot || this.gens[slot] !== gen || this.handlers[slot] === null) return false;
    this.handlers[slot] = null;
    this.payloads[slot] = undefined;
    this.live--;
    return true;
  }

  isPending(handle: EventHandle): boolean {
    const slot = handle % SLOT_SPAN;
    const gen = (handle - slot) / SLOT_SPAN;
    return slot < this.nextSlot && this.gens[slot] === gen && this.handlers[slot] !== null;
  }

  /** Time of the earliest live event, or Infinity. Drops cancelled entries on the way. */
  peekTime(): number {
    while (this.count > 0) {
      const top = this.heap[0] as number;
      if (this.handlers[top] !== null) return this.times[top] as number;
      this.removeTop();
      this.release(top);
    }
    return Infinity;
  }

  /**
   * Removes the earliest live event and runs `visit(time, handler, payload)`. Returns false
   * when the queue is empty. The slot is released before the handler runs, so the handler
   * may schedule freely.
   */
  popInto(out: PoppedEvent): boolean {
    while (this.count > 0) {
      const top = this.heap[0] as number;
      this.removeTop();
      const handler = this.handlers[top] as Handler<never> | null;
      if (handler === null) {
        this.release(top);
        continue;
      }
      out.time = this.times[top] as number;
      out.handler = handler;
      out.payload = this.payloads[top];
      this.handlers[top] = null;
      this.payloads[top] = undefined;
      this.live--;
      this.release(top);
      return true;
    }
    return false;
  }

  private release(slot: number): void {
    this.gens[slot] = (this.gens[slot] as number) + 1;
    if (this.freeCount === this.freeSlots.length) this.freeSlots = grow(this.freeSlots);
    this.freeSlots[this.freeCount++] = slot;
  }

  private newSlot(): number {
    const slot = this.nextSlot++;
    if (slot >= SLOT_SPAN) throw new Error(`event queue overflow: more than ${SLOT_SPAN} pending events`);
    if (slot === this.times.length) {
      this.times = grow(this.times);
      this.seqs = grow(this.seqs);
      this.gens = grow(this.gens);
      this.heap = grow(this.heap);
      this.handlers.length = this.times.length;
      this.handlers.fill(null, slot);
      this.payloads.length = this.times.length;
    }
    return slot;
  }

  private less(a: number, b: number): boolean {
    const ta = this.times[a] as number;
    const tb = this.times[b] as number;
    return ta < tb || (ta === tb && (this.seqs[a] as number) < (this.seqs[b] as number));
  }

  private siftUp(pos: number, slot: number): void {
    const heap = this.heap;
    while (pos > 0) {
      const parentPos = (pos - 1) >> 1;
      const parent = heap[parentPos] as number;
      if (!this.less(slot, parent)) break;
      heap[pos] = parent;
      pos = parentPos;
    }
    heap[pos] = slot;
  }

  private removeTop(): void {
    const heap = this.heap;
    const last = heap[--this.count] as number;
    const n = this.count;
    if (n === 0) return;
    let pos = 0;
    for (;;) {
      let child = 2 * pos + 1;
      if (child >= n) break;
      const right = child + 1;
      if (right < n && this.less(heap[right] as number, heap[child] as number)) child = right;
      const c = heap[child] as number;
      if (!this.less(c, last)) break;
      heap[pos] = c;
      pos = child;
    }
    heap[pos] = last;
  }
}

export interface PoppedEvent {
  time: number;
  handler: Handler<never> | null;
  payload: unknown;
}

function grow<T extends Float64Array | Int32Array>(a: T): T {
  const b = new (a.constructor as new (n: number) => T)(a.length * 2);
  b.set(a);
  return b;
}
