import { EventQueue, type EventHandle, type Handler, type PoppedEvent } from './event-queue.ts';
import type { Micros } from './time.ts';

export type { EventHandle, Handler } from './event-queue.ts';

export interface RunLimits {
  /** Stop before running any event later than this time; the clock is left at `until`. */
  until?: Micros;
  /** Stop after this many events have run in this call. */
  maxEvents?: number;
}

export type StopReason = 'empty' | 'until' | 'maxEvents' | 'stopped';

/**
 * The discrete-event kernel: a clock in integer microseconds and a queue of events
 * ordered by (time, seq). Same-time events run in the order they were scheduled.
 * An instance per simulation: nothing here is module-level state.
 */
export class Simulator {
  private readonly queue = new EventQueue();
  private readonly popped: PoppedEvent = { time: 0, handler: null, payload: undefined };
  private clock: Micros = 0;
  private executed = 0;
  private stopRequested = false;
  /**
   * What the running event stands for, as a record its handler sets (a job that ended, a message
   * that arrived, a timer that fired): whatever the event sends or starts links back to it, so a
   * measured interval can be followed back to what caused it. The kernel only clears it before
   * every event, so an event nobody labels starts a chain of its own.
   */
  cause: unknown = null;

  get now(): Micros {
    return this.clock;
  }

  /** Events run so far. */
  get eventsRun(): number {
    return this.executed;
  }

  get pending(): number {
    return this.queue.size;
  }

  /** Runs `handler(payload)` after `delay` microseconds (an integer >= 0). */
  schedule<P>(delay: Micros, handler: Handler<P>, payload: P): EventHandle {
    if (!(delay >= 0) || !Number.isInteger(delay)) {
      throw new RangeError(`delay must be a non-negative integer number of microseconds, got ${delay}`);
    }
    return this.queue.push(this.clock + delay, handler, payload);
  }

  /** Runs `handler(payload)` at absolute time `time`, which may not lie in the past. */
  scheduleAt<P>(time: Micros, handler: Handler<P>, payload: P): EventHandle {
    this.checkAt(time);
    return this.queue.push(time, handler, payload);
  }

  /**
   * Takes a place in the order of same-time events without scheduling anything yet: an event
   * later given it by scheduleReserved runs among events of its time as if it had been
   * scheduled now. A chain of many future events (a scenario's timeline) can so keep one
   * entry in the queue instead of all of them, and still run in the order scheduling them all
   * at once would give.
   */
  reserveOrder(): number {
    return this.queue.reserve();
  }

  /** As scheduleAt, in the place `order` (from reserveOrder, used once) among same-time events. */
  scheduleReserved<P>(time: Micros, order: number, handler: Handler<P>, payload: P): EventHandle {
    this.checkAt(time);
    return this.queue.pushAt(time, order, handler, payload);
  }

  /** Cancels a pending event; returns false if it already ran or was cancelled. */
  cancel(handle: EventHandle): boolean {
    return this.queue.cancel(handle);
  }

  isPending(handle: EventHandle): boolean {
    return this.queue.isPending(handle);
  }

  /** Asks the running loop to return after the current event. */
  stop(): void {
    this.stopRequested = true;
  }

  run(limits: RunLimits = {}): StopReason {
    const until = limits.until ?? Infinity;
    const budget = limits.maxEvents ?? Infinity;
    const queue = this.queue;
    const ev = this.popped;
    const last = this.executed + budget;
    this.stopRequested = false;
    for (;;) {
      if (this.executed >= last) return this.finish('maxEvents');
      if (this.stopRequested) return this.finish('stopped');
      if (until !== Infinity && queue.peekTime() > until) {
        if (queue.size > 0 || until > this.clock) this.clock = Math.max(this.clock, until);
        return this.finish(queue.size === 0 ? 'empty' : 'until');
      }
      if (!queue.popInto(ev)) return this.finish('empty');
      this.clock = ev.time;
      this.executed++;
      this.cause = null;
      (ev.handler as Handler<unknown>)(ev.payload);
    }
  }

  private checkAt(time: Micros): void {
    if (!(time >= this.clock) || !Number.isInteger(time)) {
      throw new RangeError(`cannot schedule at ${time}us: now is ${this.clock}us`);
    }
  }

  private finish(reason: StopReason): StopReason {
    this.popped.handler = null;
    this.popped.payload = undefined;
    return reason;
  }
}
