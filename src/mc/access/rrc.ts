import type { Micros, Rng } from '../../kernel/index.ts';
import type { RrcConfig } from '../config.ts';

/**
 * The RRC state of one UE (TS 36.331 5.3, TS 38.331 5.3), as the network and the UE both see it:
 * connected until its inactivity timer runs out after the last message it sent or received, then
 * idle, or inactive when the access has `resume` and the UE has been connected before. A UE
 * starts idle. Times are absolute; nothing here schedules events.
 */
export class UeRrc {
  /** The inactivity timer's expiry; -1 while the UE has never been connected. */
  private connectedUntil = -1;
  /** When the connection set-up under way (or the last one) completes. */
  private readyAt = -1;
  /** Where the UE's paging occasion falls in each cycle, as a fraction of the cycle; drawn once. */
  private phase = -1;
  /** When the connection set-up under way (or the last one) began: a wait before it was for paging. */
  setupFrom = -1;

  /**
   * `paging` draws the UE's paging occasion (TS 36.304 7.1 derives it from the UE identity, so it
   * is fixed per UE and uniform across UEs); `setups` the duration of each set-up, in turn.
   */
  constructor(
    private readonly paging: Rng,
    private readonly setups: Rng,
  ) {}

  /** Whether a connection set-up is under way at `now`. */
  connecting(now: Micros): boolean {
    return now < this.readyAt;
  }

  /** When an uplink message the UE has now can leave: now when connected, else once it set a connection up. */
  uplink(now: Micros, cfg: RrcConfig): Micros {
    if (now < this.readyAt) return this.readyAt;
    if (now < this.connectedUntil) return now;
    return this.connect(now, cfg);
  }

  /**
   * When a downlink message the network has for the UE now can be sent: now when connected;
   * otherwise it pages the UE at its next paging occasion and the UE sets a connection up.
   */
  downlink(now: Micros, cfg: RrcConfig): Micros {
    if (now < this.readyAt) return this.readyAt;
    if (now < this.connectedUntil) return now;
    return this.connect(now + this.pagingWait(now, cfg.pagingCycle), cfg);
  }

  /** A message crossed the radio at `at`: the inactivity timer starts again from there. */
  touch(at: Micros, cfg: RrcConfig): void {
    this.connectedUntil = Math.max(this.connectedUntil, at + cfg.inactivity);
  }

  /** Time from `now` to the UE's next paging occasion (0 when one falls at `now`). */
  pagingWait(now: Micros, cycle: Micros): Micros {
    if (this.phase < 0) this.phase = this.paging.next();
    const occasion = Math.floor(this.phase * cycle);
    return (((occasion - now) % cycle) + cycle) % cycle;
  }

  /** A set-up (or, from RRC_INACTIVE, a resume) starting at `start`; returns when it completes. */
  private connect(start: Micros, cfg: RrcConfig): Micros {
    const resumes = cfg.resume !== undefined && this.connectedUntil >= 0;
    const dist = resumes ? (cfg.resume ?? cfg.setup) : cfg.setup;
    this.setupFrom = start;
    this.readyAt = start + dist.sample(this.setups);
    return this.readyAt;
  }
}
