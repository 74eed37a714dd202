import type { Distribution, Micros } from '../../kernel/index.ts';
import type { Envelope, Job } from '../../net/index.ts';
import { ROLES, type Role } from '../config.ts';
import type { McMessage } from '../protocol/messages.ts';
import { handledApart, STEP, STEP_LABELS, stepOfFlow, stepOfHandling, stepOfTransit } from '../protocol/steps.ts';
import { roleOfTag, systemOfTag } from './node-tags.ts';
import type { Wait } from './waits.ts';

const CLIENT = ROLES.indexOf('client');
const SERVER = ROLES.indexOf('server');
const sameSystem = (a: number, b: number): boolean => systemOfTag(a) === systemOfTag(b);

/**
 * Where the time of a measured interval went. Following the causal links back from the event that
 * ends an interval (a job that ended, a message that arrived, a timer that fired: Simulator.cause)
 * to its start gives its critical path, a chain of stretches that tile the interval exactly; each
 * stretch is one category below (docs/domain.md section 5, "Where the time goes").
 */
export const CATEGORIES = [
  'link.access',
  'link.core',
  'link.interconnect',
  'transmission',
  'retransmission',
  'queue.client',
  'queue.server',
  'queue.gateway',
  'queue.idms',
  'queue.cms',
  'queue.kms',
  'processing.client',
  'processing.server',
  'processing.gateway',
  'processing.idms',
  'processing.cms',
  'processing.kms',
  'crypto.sakke',
  'crypto.eccsi',
  'timer',
  'human',
  'radio.paging',
  'radio.setup',
  'idle',
] as const;

export type Category = (typeof CATEGORIES)[number];

const at = (c: Category): number => CATEGORIES.indexOf(c);
const ACCESS = at('link.access');
const CORE = at('link.core');
const INTERCONNECT = at('link.interconnect');
const TRANSMISSION = at('transmission');
const RETRANSMISSION = at('retransmission');
const SAKKE = at('crypto.sakke');
const ECCSI = at('crypto.eccsi');
const TIMER = at('timer');
const HUMAN = at('human');
const PAGING = at('radio.paging');
const SETUP = at('radio.setup');
const IDLE = at('idle');
/** By role, in ROLES order. */
const QUEUE = ROLES.map((r) => at(`queue.${r}` as Category));
const PROCESSING = ROLES.map((r) => at(`processing.${r}` as Category));

/** A latency that is the sum of two (a client's access and the interconnect beyond it), split in proportion to their means. */
interface Composite extends Distribution {
  readonly parts?: readonly [Distribution, Distribution];
}

/** Where one walk adds: time per category (CATEGORIES order) and per step (STEP_LABELS order), in microseconds. */
export interface Tally {
  readonly categories: number[];
  readonly steps: number[];
}

// Plain arrays: a replication of one call makes a tally per metric, and a typed array costs
// several times as much to make.
export const newTally = (): Tally => ({
  categories: new Array<number>(CATEGORIES.length).fill(0),
  steps: new Array<number>(STEP_LABELS.length).fill(0),
});

/** The crypto category of a job kind, or -1. */
function cryptoOf(kind: string): number {
  switch (kind) {
    case 'sakke-encapsulate':
    case 'sakke-decapsulate':
      return SAKKE;
    case 'eccsi-sign':
    case 'eccsi-verify':
      return ECCSI;
    default:
      return -1;
  }
}

function stepOfTask(kind: string): number {
  switch (kind) {
    case 'sakke-encapsulate':
      return STEP.sakkeEncapsulate;
    case 'sakke-decapsulate':
      return STEP.sakkeDecapsulate;
    case 'eccsi-sign':
      return STEP.eccsiSign;
    case 'eccsi-verify':
      return STEP.eccsiVerify;
    default:
      return STEP.otherJob;
  }
}

/**
 * Walks the critical path of an interval (start, end] back from `cause`, the record of the event
 * that ended it, adding every stretch to a tally. The stretches sum to end - start exactly: each
 * record begins where its cause ended, and the time before the first cause (a chain that began
 * after the interval did) is idle. One walker serves every walk of a model; it makes nothing.
 */
export class CriticalPath {
  private t = 0;
  private start = 0;
  private into: Tally | undefined = undefined;
  /** Each message on the path, last first, when asked for (a picture of the path: `mcsim chart`). */
  private messages: number[] | undefined = undefined;
  /** The step of the message whose handling was walked last, for its transit, walked next. */
  private transit = 0;
  private transitOf: unknown = undefined;
  /** The last message whose step is a function of the message alone, and that step. */
  private lastMsg: unknown = undefined;
  private lastStep = 0;

  /** Adds the stretches of the interval to `into`; with `messages`, also the ids of the messages on the path. */
  walk(cause: unknown, start: Micros, end: Micros, into: Tally, messages?: number[]): void {
    this.t = end;
    this.start = start;
    this.into = into;
    this.messages = messages;
    let r = cause;
    while (this.t > start) {
      if (r === null || r === undefined) {
        this.take(IDLE, STEP.idle, this.t - start);
        break;
      }
      // A record is a timed wait, a job or a message in transit; each links to its own cause.
      if ((r as Wait).wait !== undefined) r = this.waited(r as Wait & { setupFrom?: Micros });
      else if ((r as Job).enqueuedAt !== undefined) r = this.worked(r as Job);
      else r = this.carried(r as Envelope<McMessage>);
    }
    this.into = undefined;
    this.messages = undefined;
    this.transitOf = undefined;
    this.lastMsg = undefined;
  }

  /** Attributes up to `d` of the time before the cursor, never before the interval's start. */
  private take(category: number, step: number, d: Micros): void {
    const part = Math.min(d, this.t - this.start);
    if (part <= 0) return;
    const into = this.into as Tally;
    (into.categories[category] as number) += part;
    (into.steps[step] as number) += part;
    this.t -= part;
  }

  private waited(w: Wait & { setupFrom?: Micros }): unknown {
    if (w.wait === 'radio') {
      this.take(SETUP, STEP.setup, this.t - Math.max(w.begin, w.setupFrom ?? w.begin));
      this.take(PAGING, STEP.paging, this.t - w.begin);
    } else if (w.wait === 'human') this.take(HUMAN, STEP.human, this.t - w.begin);
    else this.take(TIMER, STEP.timer, this.t - w.begin);
    return w.cause;
  }

  private worked(job: Job): unknown {
    const role = roleOfTag(job.node.tag);
    const kind = job.kind;
    const cause = job.cause;
    let category = PROCESSING[role] as number;
    let step: number;
    // A message's job: the network hands the message itself to its job (and makes it the job's cause).
    if (cause !== null && job.arg === cause) {
      const env = cause as Envelope<McMessage>;
      // The message's transit is walked next: its step is worked out once, here.
      this.transit = this.stepOfTransit(env);
      this.transitOf = env;
      step =
        role === SERVER && handledApart(kind)
          ? stepOfHandling(env.msg, ROLES[roleOfTag(env.source.tag)] as Role)
          : this.transit;
    } else {
      const crypto = cryptoOf(kind);
      if (crypto >= 0) category = crypto;
      step = stepOfTask(kind);
    }
    this.take(category, step, this.t - job.enqueuedAt - job.waited);
    this.take(QUEUE[role] as number, step, job.waited);
    return cause;
  }

  private stepOfTransit(env: Envelope<McMessage>): number {
    // A message forwarded unchanged (by a gateway, a server) is one object over several hops.
    const msg = env.msg;
    if (msg === this.lastMsg) return this.lastStep;
    const flow = stepOfFlow(msg);
    if (flow >= 0) {
      this.lastMsg = msg;
      return (this.lastStep = flow);
    }
    const from = env.source.tag;
    const to = env.dest.tag;
    const fromRole = roleOfTag(from);
    const toRole = roleOfTag(to);
    const infra = fromRole !== CLIENT && toRole !== CLIENT;
    return stepOfTransit(msg, ROLES[fromRole] as Role, ROLES[toRole] as Role, infra && sameSystem(from, to));
  }

  private carried(env: Envelope<McMessage>): unknown {
    this.messages?.push(env.id);
    const from = env.source.tag;
    const to = env.dest.tag;
    const fromRole = roleOfTag(from);
    const toRole = roleOfTag(to);
    const infra = fromRole !== CLIENT && toRole !== CLIENT;
    const same = infra && sameSystem(from, to);
    const step = this.transitOf === env ? this.transit : this.stepOfTransit(env);
    const latency = this.t - env.sentAt - env.wire - env.resent;
    if (infra) this.take(same ? CORE : INTERCONNECT, step, latency);
    else {
      const parts = (env.spec?.latency as Composite | undefined)?.parts;
      if (parts === undefined) this.take(ACCESS, step, latency);
      else {
        // A client's message to a node of another system: its access link and the interconnect beyond.
        const [access, inter] = parts;
        const sum = access.mean + inter.mean;
        const beyond = sum > 0 ? Math.round((latency * inter.mean) / sum) : 0;
        this.take(INTERCONNECT, step, beyond);
        this.take(ACCESS, step, latency - beyond);
      }
    }
    this.take(RETRANSMISSION, step, env.resent);
    this.take(TRANSMISSION, step, env.wire);
    return env.cause;
  }
}
