import {
  AleaCursor,
  aleaNext,
  seedAlea,
  type Distribution,
  type Lanes,
  type Micros,
  type Rng,
} from '../kernel/index.ts';
import { LinkStates } from './link-states.ts';

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

/** Where a link splits a time into two small integers (LinkStates). */
const SPLIT = 2 ** 30;

const { WIDTH, BUSY_HI, ARRIVAL_HI, K0, C } = LinkStates;

/**
 * One direction of a link. Its serialisation and ordering times and (built from a stream's
 * seed) its random stream live in its slot of a LinkStates table: a send over a client's link
 * in a large population reaches this small object and half a cache line of the table (issue 8).
 */
export class Link implements Rng {
  // `declare`d and assigned in the constructor: declared class fields are defined one by one
  // on every construction, and a replication makes a link per pair it uses (issue 8). What a
  // send reads comes first, on the object's first line.
  declare readonly spec: LinkSpec;
  declare private readonly table: LinkStates;
  declare private readonly slot: number;
  /** The stream given to the link, or undefined when it draws from its own, in its slot. */
  declare private readonly given: Rng | undefined;
  /** Retransmissions of the last `transmit` (a field, so a send allocates no result object). */
  declare retransmissions: number;
  declare private bad: boolean;
  declare readonly from: string;
  declare readonly to: string;

  private time(hi: number): Micros {
    return timeAt(this.table.states, this.slot * WIDTH, hi);
  }

  private setTime(hi: number, t: Micros): void {
    setTimeAt(this.table.states, this.slot * WIDTH, hi, t);
  }

  /** The link's random stream, for a link that replaces this one (same pair, same spec name). */
  get random(): Rng {
    return this.given ?? this;
  }

  /**
   * `random`: the stream to draw from, or the seed of the link's own (RandomStreams.lanes4).
   * `table` and `slot`: where its state is kept (a table of its own when none is given).
   */
  constructor(
    from: string,
    to: string,
    spec: LinkSpec,
    random: Rng | Lanes,
    table: LinkStates = new LinkStates(),
    slot: number = table.single(),
  ) {
    this.spec = spec;
    this.table = table;
    this.slot = slot;
    const s = table.states;
    const at = slot * WIDTH;
    if ('next' in random) {
      this.given = random;
      s.fill(0, at + K0, at + WIDTH);
    } else {
      this.given = undefined;
      seedAlea(CURSOR, random);
      store(s, at);
    }
    s.fill(0, at, at + K0);
    this.retransmissions = 0;
    this.bad = false;
    this.from = from;
    this.to = to;
  }

  /**
   * This link takes over from `before` between the same two nodes. On the same path (a fault
   * began or ended) it is the same connection, so a message sent now neither overtakes one still
   * being retransmitted on it (TCP's order) nor jumps the bytes still queued for the wire; a
   * message over another path (the user moved) owes nothing to the old one.
   */
  continueFrom(before: Link): void {
    if (pathOf(before.spec) !== pathOf(this.spec)) return;
    this.setTime(BUSY_HI, Math.max(this.time(BUSY_HI), before.time(BUSY_HI)));
    this.setTime(ARRIVAL_HI, Math.max(this.time(ARRIVAL_HI), before.time(ARRIVAL_HI)));
  }

  /**
   * Decides, at send time, when a message of `size` bytes arrives: its arrival time, or -1 when
   * every attempt was lost. `retransmissions` (and `Link.lastRetransmissions`) then hold the
   * attempts it took beyond the first.
   */
  transmit(now: Micros, size: number): Micros {
    const arrive = send(this.spec, this.table.states, this.slot * WIDTH, this.given, this, now, size);
    this.retransmissions = lastRetransmissions;
    return arrive;
  }

  /**
   * The slot of a link whose every send `Link.transmitAt` can make from the slot and the spec
   * alone (it draws from its own stream and has no loss burst to keep a state of), or -1.
   */
  get plainSlot(): number {
    return this.given === undefined && this.spec.burst === undefined ? this.slot : -1;
  }

  /**
   * A send over the plain link (`plainSlot`) of `spec` in `slot` of `table`, as its `transmit`
   * makes it, without reaching the Link object: a node keeps the slot and spec of its first
   * links, and a send from or to a client of a large population then reaches one object fewer
   * out of the cache (issue 8).
   */
  static transmitAt(table: LinkStates, slot: number, spec: LinkSpec, now: Micros, size: number): Micros {
    return send(spec, table.states, slot * WIDTH, undefined, undefined, now, size);
  }

  /** Retransmissions of the last send over any link. */
  static get lastRetransmissions(): number {
    return lastRetransmissions;
  }

  /** The link's own stream, when it was built from a seed (a link replacing it draws here). */
  next(): number {
    if (this.given !== undefined) return this.given.next();
    const s = this.table.states;
    const at = this.slot * WIDTH;
    load(s, at);
    const x = aleaNext(CURSOR);
    store(s, at);
    return x;
  }

  /** One attempt of a send over this link with a loss burst (Gilbert-Elliott): lost or not, the chain stepped. */
  attemptLostInBurst(rng: Rng, ge: GilbertElliott): boolean {
    const lost = rng.next() < (this.bad ? ge.lossBad : ge.lossGood);
    this.bad = this.bad ? !(rng.next() < ge.r) : rng.next() < ge.p;
    return lost;
  }
}

let lastRetransmissions = 0;

// The times as two small integers (high and low 30 bits) each: once the clock passes 2^31 us
// (35.8 min) a time no longer fits an int32 slot.
function timeAt(s: Int32Array, at: number, hi: number): Micros {
  return (s[at + hi] as number) * SPLIT + (s[at + hi + 1] as number);
}

function setTimeAt(s: Int32Array, at: number, hi: number, t: Micros): void {
  const h = Math.floor(t / SPLIT);
  s[at + hi] = h;
  s[at + hi + 1] = t - h * SPLIT;
}

/**
 * One send over the link whose state is at `at` of `s`: draws from `given`, or from the link's
 * own stream in its slot; `burst` is the link keeping a loss burst's state (spec.burst).
 */
function send(
  spec: LinkSpec,
  s: Int32Array,
  at: number,
  given: Rng | undefined,
  burst: Link | undefined,
  now: Micros,
  size: number,
): Micros {
  // Draws go to the stream given, or to the own stream's state loaded for this send.
  const own = given === undefined;
  if (own) load(s, at);
  const rng = given ?? CURSOR;
  let start = now;
  if (spec.bandwidthBps !== undefined) {
    start = Math.max(now, timeAt(s, at, BUSY_HI)) + Math.round((size * 8 * 1_000_000) / spec.bandwidthBps);
    setTimeAt(s, at, BUSY_HI, start);
  }
  const loss = spec.loss ?? 0;
  const ge = spec.burst;
  let offset = 0;
  let retransmissions = 0;
  if (loss > 0 || ge !== undefined) {
    const reliable = (spec.transport ?? 'reliable') === 'reliable';
    let timer = reliable ? TCP_MIN_RTO : SIP_T1;
    while (ge === undefined || burst === undefined ? rng.next() < loss : burst.attemptLostInBurst(rng, ge)) {
      if (offset + timer > SIP_GIVE_UP) {
        if (own) store(s, at);
        lastRetransmissions = retransmissions;
        return -1;
      }
      offset += timer;
      timer *= 2;
      retransmissions++;
    }
  }
  let arrive = start + offset + spec.latency.sample(rng);
  if (own) store(s, at);
  if ((spec.transport ?? 'reliable') === 'reliable') {
    // A TCP stream delivers in order: a message never overtakes the one sent before it.
    arrive = Math.max(arrive, timeAt(s, at, ARRIVAL_HI));
    setTimeAt(s, at, ARRIVAL_HI, arrive);
  }
  lastRetransmissions = retransmissions;
  return arrive;
}

/** The stream being drawn from, its state loaded for one synchronous draw. */
const CURSOR = new AleaCursor();

function load(s: Int32Array, at: number): void {
  CURSOR.k0 = s[at + K0] as number;
  CURSOR.k1 = s[at + K0 + 1] as number;
  CURSOR.k2 = s[at + K0 + 2] as number;
  CURSOR.c = s[at + C] as number;
}

function store(s: Int32Array, at: number): void {
  s[at + K0] = CURSOR.k0;
  s[at + K0 + 1] = CURSOR.k1;
  s[at + K0 + 2] = CURSOR.k2;
  s[at + C] = CURSOR.c;
}
