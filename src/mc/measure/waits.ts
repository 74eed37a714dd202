import type { EventHandle, Micros, Simulator } from '../../kernel/index.ts';

/**
 * What a timed wait on the path of a measured interval is: a protocol timer, a person (answering
 * a call, holding it, holding the floor), or the radio (paging and connection set-up).
 */
export type WaitKind = 'timer' | 'human' | 'radio';

/**
 * The record of a timed wait: what it is, when it began and what set it (the event running then).
 * The event that ends it makes it the running cause (Simulator.cause), so whatever that event
 * sends or starts links back through the wait. A timer whose expiry only ever ends a procedure in
 * failure (a set-up timeout nobody cancels, say) stays a plain event: no successful interval runs
 * through it, and its link back would keep every record of the call alive until it fires.
 */
export interface Wait {
  readonly wait: WaitKind;
  readonly begin: Micros;
  readonly cause: unknown;
}

interface Timer<P> extends Wait {
  readonly sim: Simulator;
  readonly handler: (payload: P) => void;
  readonly payload: P;
}

/** One handler for every timer: the record says whose it is. */
function fire(t: Timer<unknown>): void {
  t.sim.cause = t;
  t.handler(t.payload);
}

/** As sim.schedule, the wait recorded as one of `kind` on the path of what the handler does. */
export function after<P>(
  sim: Simulator,
  delay: Micros,
  kind: WaitKind,
  handler: (payload: P) => void,
  payload: P,
): EventHandle {
  const t: Timer<P> = { wait: kind, begin: sim.now, cause: sim.cause, sim, handler, payload };
  return sim.schedule(delay, fire as (t: Timer<P>) => void, t);
}
