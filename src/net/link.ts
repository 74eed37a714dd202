import type { AleaState, Distribution, Micros } from '../kernel/index.ts';
import type { StateTable } from './state-table.ts';

export type Transport = 'reliable' | 'unreliable';

export interface LinkSpec {
  /** Names the random stream of links built from this spec (e.g. `access:A`). */
  name?: string;
  /** The connection the spec is a state of (default: its name): a fault's spec keeps the path it alters. */
  path?: string;
  /** One-way propagation (and switching) delay per message. */
  latency: Distribution;
  /** Bits per second; transmission delay = size * 8 / bandwidth. Unlimited when absent. */
  bandwidthBps?: number;
  /** Probability that one transmission attempt is lost. */
  loss?: number;
  /**
   * reliable: TCP/TLS, a loss is retransmitted after an RTO (doubling) and delivery keeps send
   * order; unreliable: UDP, SIP retransmits after T1 doubling (RFC 3261 timers A/E).
   */
  transport?: Transport;
  /** Bursty loss, replacing `loss`: a Gilbert-Elliott chain stepped once per attempt. */
  burst?: GilbertElliott;
}

/** `p` good->bad and `r` bad->good per attempt, and the loss probability in each state. */
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

/** The links of one network, each one direction between two nodes kept in the state table, and the rules of a send. */
export class Links {
  private readonly specs: LinkSpec[] = [];
  private readonly specIds = new Map<LinkSpec, number>();
  /** Of the last transmit: its link's spec, time waiting for and crossing the wire, and the timeouts of its lost attempts. */
  lastSpec: LinkSpec | undefined = undefined;
  lastWire = 0;
  lastResent = 0;

  constructor(private readonly table: StateTable) {}

  /** Opens a link of `spec` at `at`, drawing from its own stream started from `state`, or from `sharedStream`. */
  open(at: number, spec: LinkSpec, state: AleaState | undefined, sharedStream = -1): void {
    let id = this.specIds.get(spec);
    if (id === undefined) this.specIds.set(spec, (id = this.specs.push(spec) - 1));
    this.table.openLink(at, id, state === undefined ? sharedStream : -1);
    if (state !== undefined) this.table.seed(this.table.linkStream(at), state);
  }

  spec(at: number): LinkSpec {
    return this.specs[this.table.linkSpec(at)] as LinkSpec;
  }

  stream(at: number): number {
    return this.table.linkStream(at);
  }

  retransmissions(at: number): number {
    return this.table.retransmissions(at);
  }

  /**
   * The link at `at` takes over from `before` between the same nodes. On the same path (a fault
   * began or ended) it is the same connection: a message neither overtakes one still being
   * retransmitted (TCP's order) nor jumps the bytes queued for the wire. Another path owes nothing.
   */
  continueFrom(at: number, before: number): void {
    if (pathOf(this.spec(before)) !== pathOf(this.spec(at))) return;
    const t = this.table;
    t.setBusyUntil(at, Math.max(t.busyUntil(at), t.busyUntil(before)));
    t.setLastArrival(at, Math.max(t.lastArrival(at), t.lastArrival(before)));
  }

  /** When a message of `size` bytes sent now arrives, or -1 when every attempt was lost; decided at send time. */
  transmit(at: number, now: Micros, size: number): Micros {
    const t = this.table;
    const spec = this.spec(at);
    this.lastSpec = spec;
    const stream = t.linkStream(at);
    t.load(stream);
    let start = now;
    if (spec.bandwidthBps !== undefined) {
      start = Math.max(now, t.busyUntil(at)) + Math.round((size * 8 * 1_000_000) / spec.bandwidthBps);
      t.setBusyUntil(at, start);
    }
    this.lastWire = start - now;
    const reliable = (spec.transport ?? 'reliable') === 'reliable';
    let offset = 0;
    let retransmissions = 0;
    if ((spec.loss ?? 0) > 0 || spec.burst !== undefined) {
      let timer = reliable ? TCP_MIN_RTO : SIP_T1;
      while (this.attemptLost(at, spec)) {
        if (offset + timer > SIP_GIVE_UP) {
          t.store(stream);
          t.setRetransmissions(at, retransmissions);
          this.lastResent = offset;
          return -1;
        }
        offset += timer;
        timer *= 2;
        retransmissions++;
      }
    }
    this.lastResent = offset;
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
