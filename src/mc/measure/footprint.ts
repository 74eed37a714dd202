import type { Micros } from '../../kernel/index.ts';
import type { ModelConfig } from '../config.ts';

/**
 * Heap bytes a replication keeps per item, measured on Node 20 (x64) as the growth of the heap
 * between two full collections: 100k users in two systems, 2000 calls/s for 20 s (some 40k held),
 * with and without E2EE, with and without migrated users; and a server saturated by 20,000
 * calls/s, whose queue grew by 400k messages in 10 s. A held call counts its dialogs, its server
 * records and the timers still pending for it, and the messages and jobs of its set-up that its
 * records still link back to (the causal links that explain a sample: 2160 B a held call without
 * E2EE, 2490 with it, against some 1870 before those links); a queued job the message (or task)
 * waiting for a node's worker; a pending event its queue slot and payload; a sample is one number.
 */
export const HEAP_BYTES = { user: 650, call: 2500, job: 360, event: 40, sample: 8 } as const;

/** What a replication holds at its largest, by kind, and the bytes that comes to. */
export interface Footprint {
  users: number;
  calls: number;
  samples: number;
  bytes: number;
}

/**
 * An estimate of the most a replication of `config` holds at once: its users, the private calls
 * its loads keep up (by Little's law, rate x mean holding time; the whole load when calls are
 * held to the end) and the samples of every call. Timed actions are few and not counted.
 */
export function estimateFootprint(config: ModelConfig, until?: Micros): Footprint {
  let calls = 0;
  let samples = 0;
  for (const action of config.timeline) {
    if (action.kind !== 'privateCallLoad') continue;
    const window = Math.max(0, Math.min(action.duration, (until ?? Infinity) - action.at)) / 1e6;
    const held = action.hangUpAfter === undefined ? window : Math.min(window, action.hangUpAfter.mean / 1e6);
    calls += action.rate * held;
    samples += action.rate * window;
  }
  calls = Math.round(calls);
  samples = Math.round(samples);
  const users = config.users.length;
  return {
    users,
    calls,
    samples,
    bytes: users * HEAP_BYTES.user + calls * HEAP_BYTES.call + samples * HEAP_BYTES.sample,
  };
}

/** Of what a replication held when it was stopped, the kind that takes the most heap. */
export function largestHolding(held: { calls: number; jobs: number; events: number; samples: number }): {
  what: 'calls' | 'jobs' | 'events' | 'samples';
  bytes: number;
} {
  const kinds = [
    { what: 'calls' as const, bytes: held.calls * HEAP_BYTES.call },
    { what: 'jobs' as const, bytes: held.jobs * HEAP_BYTES.job },
    { what: 'events' as const, bytes: held.events * HEAP_BYTES.event },
    { what: 'samples' as const, bytes: held.samples * HEAP_BYTES.sample },
  ];
  return kinds.reduce((a, b) => (b.bytes > a.bytes ? b : a));
}
