/**
 * Pending events ordered by (time, seq). A binary heap over struct-of-arrays storage: the
 * heap arrays hold each entry's time and seq next to its slot index, so sifting compares
 * contiguous keys instead of chasing slot indices; the slot arrays hold what only the run
 * loop and cancel need (handler, payload, generation). Once the arrays have grown the hot
 * path allocates nothing, which keeps the kernel close to a bare typed-array heap
 * (bench/phold.ts).
 *
 * A handle is `slot + generation * SLOT_SPAN`; the generation changes whenever a slot is
 * reused, so cancelling a handle whose event already ran is a harmless no-op.
 */
export type Handler<P> = (payload: P) => void;
export type EventHandle = number;

const SLOT_SPAN = 2 ** 26;
/** Generations wrap below 2^27 so that handles stay exact integers (< 2^53). */
const GEN_MASK = 2 ** 27 - 1;
/**
 * Small, because a replication of a small scenario builds a Simulator for some 50 events, with
 * fewer than 10 pending at a time. At 8 entries every typed array fits in 64 bytes, which V8
 * keeps on its heap; larger ones get an off-heap backing store that costs microseconds each to
 * allocate and free, more than running the replication's events. They double as needed.
 */
const INITIAL = 8;

export class EventQueue {
  // Heap order: entry i has key (heapTimes[i], heapSeqs[i]) and lives in slot heapSlots[i].
  private heapTimes = new Float64Array(INITIAL);
  private heapSeqs = new Float64Array(INITIAL);
  private heapSlots = new Int32Array(INITIAL);
  // Slot storage, indexed by slot.
  private gens = new Int32Array(INITIAL);
  private handlers: (Handler<never> | null)[] = new Array<Handler<never> | null>(INITIAL).fill(null);
  private payloads: unknown[] = new Array<unknown>(INITIAL).fill(undefined);
  private freeSlots = new Int32Array(INITIAL);
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
    return this.pushAt(time, this.nextSeq++, handler, payload);
  }

  /** Takes the next seq without scheduling: pushAt with it later orders as a push now would have. */
  reserve(): number {
    return this.nextSeq++;
  }

  /** Schedules with a seq taken earlier (reserve), or the next one (push). */
  pushAt<P>(time: number, seq: number, handler: Handler<P>, payload: P): EventHandle {
    const slot = this.freeCount > 0 ? (this.freeSlots[--this.freeCount] as number) : this.newSlot();
    this.handlers[slot] = handler as Handler<never>;
    this.payloads[slot] = payload;
    this.live++;
    const times = this.heapTimes;
    const seqs = this.heapSeqs;
    const slots = this.heapSlots;
    let pos = this.count++;
    while (pos > 0) {
      const parent = (pos - 1) >> 1;
      const pt = times[parent] as number;
      if (pt < time || (pt === time && (seqs[parent] as number) < seq)) break;
      times[pos] = pt;
      seqs[pos] = seqs[parent] as number;
      slots[pos] = slots[parent] as number;
      pos = parent;
    }
    times[pos] = time;
    seqs[pos] = seq;
    slots[pos] = slot;
    return slot + (this.gens[slot] as number) * SLOT_SPAN;
  }

  /** Marks the event dead; the run loop discards it when it reaches the top. */
  cancel(handle: EventHandle): boolean {
    if (!this.isPending(handle)) return false;
    const slot = handle % SLOT_SPAN;
    this.handlers[slot] = null;
    this.payloads[slot] = undefined;
    this.live--;
    return true;
  }

  isPending(handle: EventHandle): boolean {
    if (!Number.isSafeInteger(handle) || handle < 0) return false;
    const slot = handle % SLOT_SPAN;
    const gen = (handle - slot) / SLOT_SPAN;
    return slot < this.nextSlot && this.gens[slot] === gen && this.handlers[slot] !== null;
  }

  /** Time of the earliest live event, or Infinity. Drops cancelled entries on the way. */
  peekTime(): number {
    while (this.count > 0) {
      const top = this.heapSlots[0] as number;
      if (this.handlers[top] !== null) return this.heapTimes[0] as number;
      this.removeTop();
      this.release(top);
    }
    return Infinity;
  }

  /**
   * Removes the earliest live event into `out`. Returns false when the queue is empty. The
   * slot is released before the handler runs, so the handler may schedule freely.
   */
  popInto(out: PoppedEvent): boolean {
    while (this.count > 0) {
      const top = this.heapSlots[0] as number;
      const time = this.heapTimes[0] as number;
      this.removeTop();
      const handler = this.handlers[top] as Handler<never> | null;
      if (handler === null) {
        this.release(top);
        continue;
      }
      out.time = time;
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
    this.gens[slot] = ((this.gens[slot] as number) + 1) & GEN_MASK;
    // freeSlots has one entry per slot ever created, so it cannot overflow.
    this.freeSlots[this.freeCount++] = slot;
  }

  private newSlot(): number {
    const slot = this.nextSlot++;
    if (slot >= SLOT_SPAN) throw new Error(`event queue overflow: more than ${SLOT_SPAN} pending events`);
    if (slot === this.gens.length) {
      // The heap never holds more entries than there are slots, so both grow together.
      this.heapTimes = grow(this.heapTimes);
      this.heapSeqs = grow(this.heapSeqs);
      this.heapSlots = grow(this.heapSlots);
      this.gens = grow(this.gens);
      this.freeSlots = grow(this.freeSlots);
      this.handlers.length = this.gens.length;
      this.handlers.fill(null, slot);
      this.payloads.length = this.gens.length;
    }
    return slot;
  }

  private removeTop(): void {
    const times = this.heapTimes;
    const seqs = this.heapSeqs;
    const slots = this.heapSlots;
    const n = --this.count;
    if (n === 0) return;
    const lt = times[n] as number;
    const ls = seqs[n] as number;
    const lslot = slots[n] as number;
    let pos = 0;
    for (;;) {
      let child = 2 * pos + 1;
      if (child >= n) break;
      let ct = times[child] as number;
      let cs = seqs[child] as number;
      const right = child + 1;
      if (right < n) {
        const rt = times[right] as number;
        const rs = seqs[right] as number;
        if (rt < ct || (rt === ct && rs < cs)) {
          child = right;
          ct = rt;
          cs = rs;
        }
      }
      if (lt < ct || (lt === ct && ls < cs)) break;
      times[pos] = ct;
      seqs[pos] = cs;
      slots[pos] = slots[child] as number;
      pos = child;
    }
    times[pos] = lt;
    seqs[pos] = ls;
    slots[pos] = lslot;
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
