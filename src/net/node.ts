import { Fifo, type Distribution, type RandomStreams, type Rng, type Simulator } from '../kernel/index.ts';
import type { StateTable } from './state-table.ts';

export interface ProcessingSpec {
  /** Parallel servers; jobs wait in FIFO order when all are busy. */
  workers: number;
  /** Service time for a job of the given kind (a message type or an internal task name). */
  timeFor(kind: string): Distribution;
}

export interface NodeStats {
  jobs: number;
  busyTime: number;
  waitTime: number;
  maxQueue: number;
}

/** A job at a node; what it did is read back (queue wait, service) when an interval is explained. */
export interface Job {
  readonly node: Node;
  readonly kind: string;
  readonly enqueuedAt: number;
  /** How long it waited in the queue for a worker (a small number, kept apart from the large times). */
  waited: number;
  readonly run: (arg: never) => void;
  readonly arg: unknown;
  /** The node's crash count when the job arrived. */
  readonly epoch: number;
  /** What submitted it: the running event's record (Simulator.cause), a message's arrival for most jobs. */
  readonly cause: unknown;
}

/**
 * The job kinds the nodes of one processing spec have seen, numbered in the order first seen: one
 * small table for every client of a system, where a node's kind number finds its stream.
 */
const kindNumbers = new WeakMap<ProcessingSpec, Map<string, number>>();

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

/**
 * A processing station: `workers` parallel servers fed by one FIFO queue, where queueing delay
 * comes from as load grows. A job holds a worker for a service time drawn from its kind's
 * distribution, then runs its continuation. Each kind draws from a stream of its own,
 * `node/<address>/proc/<kind>`, so that a kind only one variant has (a KMS lookup response)
 * shifts no other kind's draws: common random numbers hold across variants.
 */
export class Node {
  /** What receives the node's messages and hears of the jobs a crash dropped. */
  recipient: { receive(env: never): void } | undefined = undefined;
  /** Told of each job a crash kept from running: its continuation and argument. */
  onDropped: ((run: (arg: never) => void, arg: unknown) => void) | undefined = undefined;
  /** Where the node's block starts in the state table. */
  readonly block: number;
  /** Crashed: what arrives is lost. Muted: a node that receives but never answers. */
  down = false;
  muted = false;
  /** What the model above says this node is, as a number of its choosing (read back when explaining an interval). */
  tag = 0;
  private busy = 0;
  /** Made when a job has to wait, dropped when the queue empties: most client nodes are idle. */
  private waiting: Fifo<Job> | undefined = undefined;
  private jobs = 0;
  private busyTime = 0;
  private waitTime = 0;
  private maxQueue = 0;
  /** Crashes so far: a job that arrived before the last one comes to nothing. */
  private crashes = 0;
  private readonly kinds: Map<string, number>;
  /** Streams of the kinds past those its block holds, by kind number. */
  private moreKinds: number[] | undefined = undefined;

  constructor(
    readonly address: string,
    private readonly sim: Simulator,
    private readonly spec: ProcessingSpec,
    private readonly table: StateTable,
    private readonly streams: RandomStreams,
  ) {
    if (!(spec.workers >= 1)) throw new RangeError(`node ${address}: workers must be >= 1`);
    let kinds = kindNumbers.get(spec);
    if (kinds === undefined) kindNumbers.set(spec, (kinds = new Map()));
    this.kinds = kinds;
    this.block = table.nodeBlock();
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

  /** Queues a job of `kind`; `run(arg)` is called when its service completes (one handler serves many jobs). */
  submit<A = undefined>(kind: string, run: (arg: A) => void, arg?: A): void {
    const job: Job = {
      node: this,
      kind,
      enqueuedAt: this.sim.now,
      waited: 0,
      run: run as (arg: never) => void,
      arg,
      epoch: this.crashes,
      cause: this.sim.cause,
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
    job.waited = this.sim.now - job.enqueuedAt;
    const service = this.serviceTime(job.kind);
    this.busyTime += service;
    this.waitTime += job.waited;
    this.sim.schedule(service, finishJob, job);
  }

  private serviceTime(kind: string): number {
    let n = this.kinds.get(kind);
    if (n === undefined) this.kinds.set(kind, (n = this.kinds.size));
    const dist = this.spec.timeFor(kind);
    // A constant draws nothing, so it needs no stream.
    if (dist.constant) return dist.sample(NO_DRAWS);
    const stream = this.table.kindStream(this.block, n) ?? ((this.moreKinds ??= [])[n] ??= this.table.streamSlot());
    if (!this.table.isSeeded(stream))
      this.table.seed(stream, this.streams.state4('node/', this.address, '/proc/', kind));
    return this.table.draw(stream, dist);
  }

  /** Service of `job` ended: the next queued job starts, then the job's continuation runs. */
  complete(job: Job): void {
    this.busy--;
    this.jobs++;
    const waiting = this.waiting;
    if (waiting !== undefined) {
      const next = waiting.shift();
      if (next !== undefined) this.start(next);
      if (waiting.length === 0) this.waiting = undefined;
    }
    // A job the node was serving when it crashed ends with the crash: it has no effect. It is
    // told when its service would have ended, because the node keeps no list of the jobs in
    // service (that would cost every job two more steps).
    this.sim.cause = job;
    if (job.epoch === this.crashes) (job.run as (arg: unknown) => void)(job.arg);
    else this.onDropped?.(job.run, job.arg);
  }

  /**
   * A crash: the node is down, queued jobs are dropped (told to onDropped now) and those in
   * service come to nothing (told when they would have ended).
   */
  crash(): void {
    this.down = true;
    this.crashes++;
    const queued = this.waiting?.clear() ?? [];
    this.waiting = undefined;
    if (this.onDropped !== undefined) for (const job of queued) this.onDropped(job.run, job.arg);
  }
}
