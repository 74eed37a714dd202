import { aleaNext, seedAlea, type AleaFields, type Distribution, type Lanes, type Micros, type Rng } from '../kernel/index.ts';

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

/** Where a link splits a time into two small integers (Link.busyUntil). */
const SPLIT = 2 ** 30;

/**
 * One direction of a link. Holds the serialisation state that bandwidth needs, and (built from
 * a stream's seed) its random stream in its own fields: a send reaches one object, not two
 * (issue 8: two links per user of a large population).
 */
export class Link implements Rng, AleaFields {
  // `declare`d and assigned in the constructor: declared class fields are defined one by one
  // on every construction, and a replication makes a link per pair it uses (issue 8).
  // The two times this link keeps, each as two small integers (high and low 30 bits): V8 keeps
  // a number field that is not a small integer in a heap object of its own, so once the clock
  // passes 2^31 us (35.8 min) every link would reach one more object per send, out of the
  // cache in a large population, and a long run would cost more per call than a short one.
  private declare busyHi: number;
  private declare busyLo: number;
  private declare arrivalHi: number;
  private declare arrivalLo: number;
  private declare bad: boolean;
  declare readonly from: string;
  declare readonly to: string;
  declare readonly spec: LinkSpec;
  private declare readonly rng: Rng;
  /** Retransmissions of the last `transmit` (a field, so a send allocates no result object). */
  declare retransmissions: number;
  declare k0: number;
  declare k1: number;
  declare k2: number;
  declare c: number;

  private get busyUntil(): Micros {
    return this.busyHi * SPLIT + this.busyLo;
  }

  private set busyUntil(t: Micros) {
    const hi = Math.floor(t / SPLIT);
    this.busyHi = hi;
    this.busyLo = t - hi * SPLIT;
  }

  private get lastArrival(): Micros {
    return this.arrivalHi * SPLIT + this.arrivalLo;
  }

  private set lastArrival(t: Micros) {
    const hi = Math.floor(t / SPLIT);
    this.arrivalHi = hi;
    this.arrivalLo = t - hi * SPLIT;
  }

  /** The link's random stream, for a link that replaces this one (same pair, same spec name). */
  get random(): Rng {
    return this.rng;
  }

  /** `random`: the stream to draw from, or the seed of the link's own (RandomStreams.lanes4). */
  constructor(from: string, to: string, spec: LinkSpec, random: Rng | Lanes) {
    this.from = from;
    this.to = to;
    this.spec = spec;
    if ('next' in random) {
      this.rng = random;
      this.k0 = this.k1 = this.k2 = this.c = 0;
    } else {
      seedAlea(this, random);
      this.rng = this;
    }
    this.busyHi = this.busyLo = this.arrivalHi = this.arrivalLo = 0;
    this.bad = false;
    this.retransmissions = 0;
  }

  /**
   * This link takes over from `before` between the same two nodes. On the same path (a fault
   * began or ended) it is the same connection, so a message sent now neither overtakes one still
   * being retransmitted on it (TCP's order) nor jumps the bytes still queued for the wire; a
   * message over another path (the user moved) owes nothing to the old one.
   */
  continueFrom(before: Link): void {
    if (pathOf(before.spec) !== pathOf(this.spec)) return;
    this.busyUntil = Math.max(this.busyUntil, before.busyUntil);
    this.lastArrival = Math.max(this.lastArrival, before.lastArrival);
  }

  /**
   * Decides, at send time, when a message of `size` bytes arrives: its arrival time, or -1 when
   * every attempt was lost. `retransmissions` then holds the attempts it took beyond the first.
   */
  transmit(now: Micros, size: number): Micros {
    const spec = this.spec;
    let start = now;
    if (spec.bandwidthBps !== undefined) {
      start = Math.max(now, this.busyUntil);
      this.busyUntil = start + Math.round((size * 8 * 1_000_000) / spec.bandwidthBps);
      start = this.busyUntil;
    }
    const loss = spec.loss ?? 0;
    let offset = 0;
    let retransmissions = 0;
    if (loss > 0 || spec.burst !== undefined) {
      const reliable = (spec.transport ?? 'reliable') === 'reliable';
      let timer = reliable ? TCP_MIN_RTO : SIP_T1;
      while (this.attemptLost(loss)) {
        if (offset + timer > SIP_GIVE_UP) {
          this.retransmissions = retransmissions;
          return -1;
        }
        offset += timer;
        timer *= 2;
        retransmissions++;
      }
    }
    let arrive = start + offset + spec.latency.sample(this.rng);
    if ((spec.transport ?? 'reliable') === 'reliable') {
      // A TCP stream delivers in order: a message never overtakes the one sent before it.
      arrive = Math.max(arrive, this.lastArrival);
      this.lastArrival = arrive;
    }
    this.retransmissions = retransmissions;
    return arrive;
  }

  /** The link's own stream, when it was built from a seed. */
  next(): number {
    return aleaNext(this);
  }

  private attemptLost(loss: number): boolean {
    const ge = this.spec.burst;
    if (ge === undefined) return this.rng.next() < loss;
    const lost = this.rng.next() < (this.bad ? ge.lossBad : ge.lossGood);
    this.bad = this.bad ? !(this.rng.next() < ge.r) : this.rng.next() < ge.p;
    return lost;
  }
}
