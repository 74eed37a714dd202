import type { Micros } from '../../kernel/index.ts';

/**
 * Longer than any flow of an ended call can still arrive: SIP gives up a transaction after
 * 64*T1 = 32 s per hop (RFC 3261 timers B/F), and a path has a handful of hops.
 */
const MEMORY: Micros = 300_000_000;

/**
 * Group calls released (or left) here lately, as SIP keeps a terminated dialog's state for a
 * while: an invitation, answer or grant of one of them that the network held up is stale, not
 * a new call. Forgets what is older than MEMORY, so a long run keeps a few minutes' worth.
 */
export class RecentCalls {
  private readonly at = new Map<string, Micros>();

  add(callId: string, now: Micros): void {
    for (const [id, t] of this.at) {
      if (now - t < MEMORY) break;
      this.at.delete(id);
    }
    this.at.delete(callId);
    this.at.set(callId, now);
  }

  delete(callId: string): void {
    this.at.delete(callId);
  }

  has(callId: string): boolean {
    return this.at.has(callId);
  }

  clear(): void {
    this.at.clear();
  }
}
