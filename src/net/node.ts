import type { Distribution, Rng, Simulator } from '../kernel/index.ts';
import { Fifo } from './fifo.ts';

export interface ProcessingSpec {
  /** Parallel servers; jobs wait in FIFO order when all are busy. */
  workers: number;
  /** Service time for a job of the given kind (a message type or an internal task name). */
  timeFor(kind: string): Distribution;
}

interface Job {
  node: Node;
  kind: string;
  enqueuedAt: number;
  run: (arg: never) => void;
  arg: unknown;
  /** The node's crash count when the job arrived. */
  epoch: number;
}

/** Kinds searched along the chain before a node gets a table of them. */
const CHAIN_MAX = 6;

interface KindEntry {
  readonly kind: string;
  readonly dist: Distribution;
  rng: Rng | undefined;
  readonly next: KindEntry | undefined;
}

/** Handed to constant distributions, which promise never to draw. */
const NO_DRAWS: Rng = {
  next(): number {
    throw new Error('a distribution marked constant drew a random number');
  },
};

/** One completion handler for every job of every node: the job says whose it is. */
function finishJob(job: Job): void {
  job.node.complete(job);
}

export interface NodeStats {
  jobs: number;
  busyTime: number;
  waitTime: number;
  maxQueue: number;
}

/**
 * A processing station: `workers` parallel servers fed by one FIFO queue. Each job holds a
 * worker for a service time drawn from its kind's distribution, then runs its continuation.
 * This is where queueing delay comes from as load grows.
 */
export class Node {
  // Fields are `declare`d and assigned in the constructor: declared class fields are defined
  // one by one on every construction, and a replication builds every node (issue 8).
  private declare busy: number;
  /** Made when a job first has to wait: most client nodes of a large population never queue. */
  private declare waiting: Fifo<Job> | undefined;
  // The statistics as fields of the node rather than an object of their own: one object less
  // per user of a large population, whose memory is what slows its calls (issue 8).
  private declare jobs: number;
  private declare busyTime: number;
  private declare waitTime: number;
  private declare maxQueue: number;
  /**
   * The job kinds seen so far, with their service time distribution and stream (made on the
   * first draw). A short chain searched by identity: kinds are message types and task names,
   * a handful per node, and a replication makes every node afresh, where a Map per node and a
   * spec lookup per job cost more than the search; a chain rather than an array, which would
   * get room for 17 at its second kind (issue 8: a node per user).
   */
  private declare kinds: KindEntry | undefined;
  /** The same entries by kind, once a node has seen more than CHAIN_MAX kinds (servers see dozens). */
  private declare kindTable: Map<string, KindEntry> | undefined;
  private declare epoch: number;
  declare readonly address: string;
  /** What the network hands arriving messages to (set by Network.addNode; kept here, not in an entry of its own). */
  declare receiver: ((env: never) => void) | undefined;
  private declare readonly sim: Simulator;
  private declare readonly spec: ProcessingSpec;
  private declare readonly streamFor: (kind: string, address: string) => Rng;

  /**
   * `streamFor(kind)` gives the random stream of one job kind. One stream per kind keeps common
   * random numbers synchronised: a job kind that only one variant has (say, a KMS lookup
   * response) does not shift the service times another kind draws. It is also handed the
   * node's address, so that one function can serve every node (no closure per node).
   */
  constructor(address: string, sim: Simulator, spec: ProcessingSpec, streamFor: (kind: string, address: string) => Rng) {
    if (!(spec.workers >= 1)) throw new RangeError(`node ${address}: workers must be >= 1`);
    this.address = address;
    this.sim = sim;
    this.spec = spec;
    this.streamFor = streamFor;
    this.busy = 0;
    this.waiting = undefined;
    this.jobs = 0;
    this.busyTime = 0;
    this.waitTime = 0;
    this.maxQueue = 0;
    this.kinds = undefined;
    this.kindTable = undefined;
    this.epoch = 0;
    this.receiver = undefined;
  }

  get stats(): NodeStats {
    return { jobs: this.jobs, busyTime: this.busyTime, waitTime: this.waitTime, maxQueue: this.maxQueue };
  }

  get queueLength(): number {
    return this.waiting?.length ?? 0;
  }

  get busyWorkers(): number {
    return this.busy;
  }

  /** Queues a job of `kind`; `run` is called when its service completes. */
  submit(kind: string, run: () => void): void {
    this.submitWith(kind, run, undefined);
  }

  /** As submit, calling `run(arg)`: a caller with one handler for many jobs allocates no closure per job. */
  submitWith<A>(kind: string, run: (arg: A) => void, arg: A): void {
    const job: Job = { node: this, kind, enqueuedAt: this.sim.now, run: run as (arg: never) => void, arg, epoch: this.epoch };
    if (this.busy < this.spec.workers) this.start(job);
    else {
      const waiting = (this.waiting ??= new Fifo<Job>());
      waiting.push(job);
      if (waiting.length > this.maxQueue) this.maxQueue = waiting.length;
    }
  }

  private start(job: Job): void {
    this.busy++;
    const entry = this.kindEntry(job.kind);
    const dist = entry.dist;
    // A constant draws nothing, so it needs no stream (building one costs more than the job).
    const service = dist.sample(dist.constant ? NO_DRAWS : (entry.rng ??= this.streamFor(job.kind, this.address)));
    this.busyTime += service;
    this.waitTime += this.sim.now - job.enqueuedAt;
    this.sim.schedule(service, finishJob, job);
  }

  /** Service of `job` ended: the next queued job starts, then the job's continuation runs. */
  complete(job: Job): void {
    this.busy--;
    this.jobs++;
    const next = this.waiting?.shift();
    if (next !== undefined) this.start(next);
    // A job the node was serving when it crashed ends with the crash: it has no effect.
    if (job.epoch === this.epoch) (job.run as (arg: unknown) => void)(job.arg);
  }

  /** A crash: queued jobs are dropped and those in service come to nothing. Returns the dropped count. */
  crash(): number {
    this.epoch++;
    return this.waiting?.clear().length ?? 0;
  }

  private kindEntry(kind: string): KindEntry {
    const table = this.kindTable;
    if (table !== undefined) {
      const found = table.get(kind);
      if (found !== undefined) return found;
    } else {
      for (let e = this.kinds; e !== undefined; e = e.next) if (e.kind === kind) return e;
    }
    const entry: KindEntry = { kind, dist: this.spec.timeFor(kind), rng: undefined, next: this.kinds };
    this.kinds = entry;
    if (table !== undefined) table.set(kind, entry);
    else {
      let n = 0;
      for (let e: KindEntry | undefined = entry; e !== undefined; e = e.next) n++;
      if (n > CHAIN_MAX) {
        const made = new Map<string, KindEntry>();
        for (let e: KindEntry | undefined = entry; e !== undefined; e = e.next) made.set(e.kind, e);
        this.kindTable = made;
      }
    }
    return entry;
  }
}
