import type { Distribution, Rng, Simulator } from '../kernel/index.ts';
import { Fifo } from './fifo.ts';
import { drawService, kindsOf, KindStateTable, type KindDraws, type KindStreams, type SpecKinds } from './job-kinds.ts';
import type { Link, LinkSpec } from './link.ts';
import type { PairLinks } from './pairs.ts';

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

/** Handed to constant distributions, which promise never to draw. */
const NO_DRAWS: Rng = {
  next(): number {
    throw new Error('a distribution marked constant drew a random number');
  },
};

/**
 * `x` as a small integer when it is one. The clock is a heap number, so a difference of two
 * times is one too, even when whole; a heap number stored in a field makes V8 keep that field of
 * every object of the class in a box of its own, one more object per node for a message to
 * reach (issue 8). The value is unchanged either way.
 */
function smallIfWhole(x: number): number {
  return (x | 0) === x ? x | 0 : x;
}

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
export class Node implements KindDraws {
  // Fields are `declare`d and assigned in the constructor: declared class fields are defined
  // one by one on every construction, and a replication builds every node (issue 8).
  declare private busy: number;
  /** Made when a job has to wait, dropped when the queue empties: most client nodes are idle. */
  declare private waiting: Fifo<Job> | undefined;
  // The statistics as fields of the node rather than an object of their own: one object less
  // per user of a large population, whose memory is what slows its calls (issue 8).
  declare private jobs: number;
  declare private busyTime: number;
  declare private waitTime: number;
  declare private maxQueue: number;
  /** The job kinds of this node's spec, numbered, with their distributions (shared by the spec's nodes). */
  declare private readonly kinds: SpecKinds;
  /** Its job kinds' streams: its row of the table its spec's nodes share (job-kinds.ts), or the streams a stream function gave. */
  declare readonly table: KindStateTable;
  declare readonly row: number;
  declare kindRngs: (Rng | undefined)[] | undefined;
  declare private epoch: number;
  declare readonly address: string;
  /** What the network hands arriving messages to (set by Network.addNode; kept here, not in an entry of its own). */
  declare recipient: { receive(env: never): void } | undefined;
  /** Told of each job a crash kept from running: its continuation and argument (set by Network.addNode). */
  declare onDropped: ((run: (arg: never) => void, arg: unknown) => void) | undefined;
  // The first pair this node sends on and the first it receives on, kept by the network
  // (Pairs), with the link each was given in the link epoch it was last decided in.
  declare pairOutTo: string | undefined;
  declare pairOut: PairLinks | undefined;
  declare pairOutEpoch: number;
  declare pairOutLink: Link | undefined;
  declare pairOutDest: Node | undefined;
  declare pairInFrom: Node | undefined;
  declare pairIn: PairLinks | undefined;
  declare pairInEpoch: number;
  declare pairInLink: Link | undefined;
  // Each link's slot and spec when it is plain (Link.plainSlot; -1 otherwise): a send over it
  // then reads them here, not the Link object (issue 8).
  declare pairOutSlot: number;
  declare pairOutSpec: LinkSpec | undefined;
  declare pairInSlot: number;
  declare pairInSpec: LinkSpec | undefined;
  /** The block of LinkStates that the first links of pairOut and pairIn, and the first job kinds' streams, keep their state in; -1 before either pair has a link. */
  declare linkBlock: number;
  declare private readonly sim: Simulator;
  declare private readonly spec: ProcessingSpec;
  declare private readonly streams: KindStreams;

  /**
   * Each job kind draws from a random stream of its own: `node/<address>/proc/<kind>` of
   * `streams`, or what a function of (kind, address) gives. One stream per kind keeps common
   * random numbers synchronised: a job kind that only one variant has (say, a KMS lookup
   * response) does not shift the service times another kind draws. The streams' states are
   * kept in `table`, shared with the other nodes of the spec in the same network (a table of
   * its own when none is given).
   */
  constructor(
    address: string,
    sim: Simulator,
    spec: ProcessingSpec,
    streams: KindStreams,
    table: KindStateTable = new KindStateTable(),
  ) {
    if (!(spec.workers >= 1)) throw new RangeError(`node ${address}: workers must be >= 1`);
    this.address = address;
    this.sim = sim;
    this.spec = spec;
    this.streams = streams;
    this.busy = 0;
    this.waiting = undefined;
    this.jobs = 0;
    this.busyTime = 0;
    this.waitTime = 0;
    this.maxQueue = 0;
    this.kinds = kindsOf(spec);
    this.table = table;
    this.row = table.addRow();
    this.kindRngs = undefined;
    this.epoch = 0;
    this.recipient = undefined;
    this.onDropped = undefined;
    this.pairOutTo = undefined;
    this.pairOut = undefined;
    this.pairInFrom = undefined;
    this.pairIn = undefined;
    // No epoch is negative but -1 (no epochs at all), which is never kept.
    this.pairOutEpoch = this.pairInEpoch = -2;
    this.pairOutLink = this.pairInLink = undefined;
    this.pairOutDest = undefined;
    this.pairOutSlot = this.pairInSlot = -1;
    this.pairOutSpec = this.pairInSpec = undefined;
    this.linkBlock = -1;
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
    const job: Job = {
      node: this,
      kind,
      enqueuedAt: this.sim.now,
      run: run as (arg: never) => void,
      arg,
      epoch: this.epoch,
    };
    if (this.busy < this.spec.workers) this.start(job);
    else {
      const waiting = (this.waiting ??= new Fifo<Job>());
      waiting.push(job);
      if (waiting.length > this.maxQueue) this.maxQueue = waiting.length;
    }
  }

  private start(job: Job): void {
    this.busy++;
    const n = this.kinds.numberOf(job.kind);
    const dist = this.kinds.dists[n] as Distribution;
    // A constant draws nothing, so it needs no stream (building one costs more than the job).
    const service = dist.constant
      ? dist.sample(NO_DRAWS)
      : drawService(this, dist, n, job.kind, this.address, this.streams);
    this.busyTime += service;
    this.waitTime += smallIfWhole(this.sim.now - job.enqueuedAt);
    this.sim.schedule(service, finishJob, job);
  }

  /** Service of `job` ended: the next queued job starts, then the job's continuation runs. */
  complete(job: Job): void {
    this.busy--;
    this.jobs++;
    const waiting = this.waiting;
    if (waiting !== undefined) {
      const next = waiting.shift();
      if (next !== undefined) this.start(next);
      // Let go of a queue that has emptied: a client queues now and then, and a new queue is
      // cheaper than reaching an idle one kept from long ago, out of the cache, with two
      // objects per user for the collector to trace (issue 8).
      if (waiting.length === 0) this.waiting = undefined;
    }
    // A job the node was serving when it crashed ends with the crash: it has no effect. It is
    // told when its service would have ended, because the node keeps no list of the jobs in
    // service (that would cost every job two more steps).
    if (job.epoch === this.epoch) (job.run as (arg: unknown) => void)(job.arg);
    else this.onDropped?.(job.run, job.arg);
  }

  /**
   * A crash: queued jobs are dropped (told to onDropped now) and those in service come to
   * nothing (told when they would have ended). Returns the count dropped from the queue.
   */
  dropJobs(): number {
    this.epoch++;
    const queued = this.waiting?.clear() ?? [];
    if (this.onDropped !== undefined) for (const job of queued) this.onDropped(job.run, job.arg);
    return queued.length;
  }
}
