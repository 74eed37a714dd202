import type { AleaState, Distribution, Micros } from '../kernel/index.ts';
import type { StateTable } from './state-table.ts';

export type Transport = 'reliable' | 'unreliable';

export interface LinkSpec {
  /** Names the random stream of links built from this spec (e.g. `access:A`). */
  name?: string;
  /**
   * The path the spec describes, when it differs from `name`: specs of one path between two
   * nodes are one connection, whose order carries over from one to the next (a fault's spec
   * keeps the path of the spec it alters). Default: `name` (or `link`, unnamed).
   */
  path?: string;
  /** One-way propagation (and switching) delay per message. */
  latency: Distribution;
  /** Bits per second; transmission delay = size * 8 / bandwidth. Unlimited when absent. */
  bandwidthBps?: number;
  /** Probability that one transmission attempt is lost. */
  loss?: number;
  /**
   * reliable: TCP/TLS; a loss is repaired by retransmission after an RTO (doubling) and shows
   * up as delay, and delivery keeps send order. unreliable: UDP; SIP retransmits with
   * T1 doubling (RFC 3261 timers A/E) and gives up after 64*T1.
   */
  transport?: Transport;
  /**
   * Bursty loss (Gilbert-Elliott): a two-state chain stepped once per transmission attempt;
   * `p` good->bad, `r` bad->good, and the loss probability of each state. Replaces `loss`.
   */
  burst?: GilbertElliott;
}

export interface GilbertElliott {
  p: number;
  r: number;
  lossGood: number;
  lossBad: number;
}

/** The path a spec describes (LinkSpec.path). */
export const pathOf = (spec: LinkSpec): string => spec.path ?? spec.name ?? 'link';

/** Retransmission timing; RFC 3261 section 17 for SIP over UDP, RFC 6298 RTO floor for TCP. */
export const SIP_T1: Micros = 500_000;
export const SIP_GIVE_UP: Micros = 64 * SIP_T1;
export const TCP_MIN_RTO: Micros = 200_000;

/**
 * The links of one network: one direction between two nodes each, kept at an offset of the
 * network's state table (its wire and order times, its random stream, its spec, the state of a
 * loss burst), and the rules of a send over one.
 */
export class Links {
  private readonly specs: LinkSpec[] = [];
  private readonly specIds = new Map<LinkSpec, number>();

  constructor(private readonly table: StateTable) {}

  /**
   * Opens a link of `spec` at `at`: drawing from a stream of its own started from `state`, or
   * from the stream at `sharedStream` (a link of the same spec name it replaces).
   */
  open(at: number, spec: LinkSpec, state: AleaState | undefined, sharedStream = -1): void {
    let id = this.specIds.get(spec);
    if (id === undefined) this.specIds.set(spec, (id = this.specs.push(spec) - 1));
    this.table.openLink(at, id, state === undefined ? sharedStream : -1);
    if (state !== undefined) this.table.seed(this.table.linkStream(at), state);
  }

  spec(at: number): LinkSpec {
    return this.specs[this.table.linkSpec(at)] as LinkSpec;
  }

  /** Where the stream the link draws from is kept (its own, or the one of the link it replaced). */
  stream(at: number): number {
    return this.table.linkStream(at);
  }

  /** Retransmissions the link's last send took beyond its first attempt. */
  retransmissions(at: number): number {
    return this.table.retransmissions(at);
  }

  /**
   * The link at `at` takes over from the one at `before` between the same two nodes. On the same
   * path (a fault began or ended) it is the same connection, so a message sent now neither
   * overtakes one still being retransmitted on it (TCP's order) nor jumps the bytes still queued
   * for the wire; a message over another path (the user moved) owes nothing to the old one.
   */
  continueFrom(at: number, before: number): void {
    if (pathOf(this.spec(before)) !== pathOf(this.spec(at))) return;
    const t = this.table;
    t.setBusyUntil(at, Math.max(t.busyUntil(at), t.busyUntil(before)));
    t.setLastArrival(at, Math.max(t.lastArrival(at), t.lastArrival(before)));
  }

  /**
   * Decides, at send time, when a message of `size` bytes sent now over the link at `at` arrives:
   * its arrival time, or -1 when every attempt was lost (`retransmissions` then says how many).
   */
  transmit(at: number, now: Micros, size: number): Micros {
    const t = this.table;
    const spec = this.spec(at);
    const stream = t.linkStream(at);
    t.load(stream);
    let start = now;
    if (spec.bandwidthBps !== undefined) {
      start = Math.max(now, t.busyUntil(at)) + Math.round((size * 8 * 1_000_000) / spec.bandwidthBps);
      t.setBusyUntil(at, start);
    }
    const reliable = (spec.transport ?? 'reliable') === 'reliable';
    let offset = 0;
    let retransmissions = 0;
    if ((spec.loss ?? 0) > 0 || spec.burst !== undefined) {
      let timer = reliable ? TCP_MIN_RTO : SIP_T1;
      while (this.attemptLost(at, spec)) {
        if (offset + timer > SIP_GIVE_UP) {
          t.store(stream);
          t.setRetransmissions(at, retransmissions);
          return -1;
        }
        offset += timer;
        timer *= 2;
        retransmissions++;
      }
    }
    let arrive = start + offset + spec.latency.sample(t);
    t.store(stream);
    t.setRetransmissions(at, retransmissions);
    if (reliable) {
      // A TCP stream delivers in order: a message never overtakes the one sent before it.
      arrive = Math.max(arrive, t.lastArrival(at));
      t.setLastArrival(at, arrive);
    }
    return arrive;
  }

  /** One attempt of a send: lost or not; with a loss burst, its chain stepped (Gilbert-Elliott). */
  private attemptLost(at: number, spec: LinkSpec): boolean {
    const t = this.table;
    const ge = spec.burst;
    if (ge === undefined) return t.next() < (spec.loss ?? 0);
    const bad = t.inBurst(at);
    const lost = t.next() < (bad ? ge.lossBad : ge.lossGood);
    t.setInBurst(at, bad ? !(t.next() < ge.r) : t.next() < ge.p);
    return lost;
  }
}
