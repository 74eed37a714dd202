import { RandomStreams, Simulator, type Micros, type StopReason } from '../../kernel/index.ts';
import { Network, type Node, type ProcessingSpec, type SendRecord } from '../../net/index.ts';
import type { Actor, Ctx } from '../actor.ts';
import { Radio } from '../access/radio.ts';
import { Client } from '../client/client.ts';
import { ConfigurationManagementServer } from '../infra/cms.ts';
import type { ModelConfig, ProcessingConfig, UserConfig, SystemId } from '../config.ts';
import { Gateway } from '../infra/gateway.ts';
import { IdentityManagementServer } from '../infra/idms.ts';
import { groupIdOf, userOfId, type McId } from '../protocol/identity.ts';
import { KeyManagementServer } from '../infra/kms.ts';
import type { McMessage } from '../protocol/messages.ts';
import { Breakdowns } from '../measure/breakdown.ts';
import { CriticalPath, newTally } from '../measure/critical-path.ts';
import { METRICS, MetricRecorder, type SampleSink } from '../measure/metrics.ts';
import { ProbeBus } from '../measure/probes.ts';
import { Server } from '../server/server.ts';
import { sizeOf } from '../protocol/sizes.ts';
import { ownerOfLost, type FlowOwner } from '../protocol/undelivered.ts';
import { scheduleTimeline } from './timeline.ts';
import { Topology } from './topology.ts';
import type { World } from './world.ts';

export interface RunOptions {
  seed: number | string;
  replication: number;
  /** Hard stop in simulated time; the timeline's own end when absent. */
  until?: number;
  maxEvents?: number;
  trace?: (rec: SendRecord<McMessage>) => void;
  /** Finished intervals go here instead of `recorder.samples` (see MetricRecorder). */
  onSample?: SampleSink;
  /** Where the time of every successful sample went, by category and step, summed per metric (`breakdowns`). */
  breakdown?: boolean;
  /** The messages on the critical path of every successful sample (`paths`), for a picture of one. */
  paths?: boolean;
}

export interface RunOutcome {
  stop: StopReason;
  endTime: number;
  events: number;
}

/** Users built per buildStep of a stepwise model: some 10-40 ms of work. */
const BUILD_BATCH = 4096;

/**
 * Node processing specs and the user table depend on the config alone: made once per config
 * and shared by its replications (rebuilt per replication, they were most of a short run).
 */
const processingSpecs = new WeakMap<ProcessingConfig, ProcessingSpec>();
const userTables = new WeakMap<ModelConfig, ReadonlyMap<string, UserConfig>>();

function processing(p: ProcessingConfig): ProcessingSpec {
  let spec = processingSpecs.get(p);
  if (spec === undefined)
    processingSpecs.set(p, (spec = { workers: p.workers, timeFor: (kind) => p.byKind.get(kind) ?? p.default }));
  return spec;
}

function usersOf(config: ModelConfig): ReadonlyMap<string, UserConfig> {
  let users = userTables.get(config);
  if (users === undefined) userTables.set(config, (users = new Map(config.users.map((u) => [u.name, u]))));
  return users;
}

/** One replication of one scenario variant: every actor, link and stream, built from the config. */
export class McModel implements World {
  readonly sim = new Simulator();
  readonly probes = new ProbeBus();
  readonly recorder: MetricRecorder;
  readonly topo: Topology;
  readonly streams: RandomStreams;
  readonly net: Network<McMessage>;
  readonly clients = new Map<string, Client>();
  readonly servers = new Map<SystemId, Server>();
  /** Infrastructure actors by address; clients are in `clients` only. */
  readonly actors = new Map<string, Actor>();
  private readonly counters = new Map<string, number>();
  /** With the `breakdown` option. */
  readonly breakdowns: Breakdowns | undefined;
  /** With the `paths` option: by `metric key` of each successful sample, the ids of the messages on its critical path, last first. */
  readonly paths = new Map<string, number[]>();
  private readonly ctx: Ctx;
  /** How far buildStep has come: users' clients (0..n), their affiliations (n..2n), the timeline (2n+1). */
  private built = 0;

  /** `stepwise`: build only the infrastructure now and the population with buildStep. */
  constructor(
    readonly config: ModelConfig,
    readonly options: RunOptions,
    stepwise = false,
  ) {
    this.streams = new RandomStreams(options.seed, options.replication);
    this.topo = new Topology(config);
    const breakdowns = (this.breakdowns = options.breakdown === true ? new Breakdowns() : undefined);
    this.recorder = new MetricRecorder(
      this.probes,
      METRICS,
      options.onSample,
      breakdowns === undefined && options.paths !== true
        ? undefined
        : (metric, key, start, end) => {
            const cause = this.sim.cause;
            breakdowns?.add(metric, cause, start, end);
            if (options.paths !== true) return;
            const ids: number[] = [];
            new CriticalPath().walk(cause, start, end, newTally(), ids);
            this.paths.set(`${metric} ${key}`, ids);
          },
    );
    this.net = new Network<McMessage>(this.sim, this.streams, {
      linkSpec: (from, to) => this.topo.linkSpec(from, to),
      linkEpoch: () => this.topo.linkEpoch,
      sizeOf: (msg) => sizeOf(config.sizes, msg),
      // A user that moved to a system with no interconnection towards a node is out of its reach.
      noPath: 'lose',
    });
    if (options.trace) this.net.onSend(options.trace);
    const nextId = (prefix: string): string => {
      const n = (this.counters.get(prefix) ?? 0) + 1;
      this.counters.set(prefix, n);
      return `${prefix}-${n}`;
    };
    const users = usersOf(config);
    const { sim, net, probes, topo, streams } = this;
    const ownerOf = (owner: FlowOwner): Actor | undefined =>
      owner.kind === 'user' ? this.clientOfId(owner.id) : this.servers.get(this.topo.systemOfId(owner.id) ?? '');
    const post = (from: Node, to: Node | string, msg: McMessage): Micros => {
      const env = net.send(from, to, msg);
      const arrive = net.lastArrive;
      const owner = arrive < 0 ? ownerOfLost(msg) : undefined;
      if (owner !== undefined) ownerOf(owner)?.undelivered(env);
      return arrive;
    };
    // No radio state anywhere: actors send straight into the network, as without this option.
    const radio =
      config.systems.some((s) => s.rrc !== undefined) || config.users.some((u) => u.rrc != null)
        ? new Radio({ sim, net, probes, topo, streams, users, nextId, post })
        : undefined;
    const ctx: Ctx = {
      sim: this.sim,
      net: this.net,
      probes: this.probes,
      topo: this.topo,
      config,
      streams: this.streams,
      users,
      radio,
      nextId,
      ownerOf,
      post,
      processing: (system, role) => processing(this.topo.system(system).processing[role]),
    };
    for (const s of config.systems) {
      const server = new Server(s.id, ctx);
      this.servers.set(s.id, server);
      this.addInfra(server);
      this.addInfra(new IdentityManagementServer(s.id, ctx));
      this.addInfra(new ConfigurationManagementServer(s.id, ctx));
      this.addInfra(new KeyManagementServer(s.id, ctx));
      if (s.hiding) this.addInfra(new Gateway(s.id, ctx));
    }
    this.ctx = ctx;
    if (!stepwise) while (!this.buildStep(Infinity));
  }

  /**
   * Builds the population: every user's client, then their affiliations, then the timeline, at
   * most `batch` users per call; true once the model is whole. A model made `stepwise` is built
   * by calling it until then, so a large population (some 4 us per user) can be built in steps
   * between which the caller attends to other things.
   */
  buildStep(batch = BUILD_BATCH): boolean {
    const users = this.config.users;
    const n = users.length;
    const end = Math.min(2 * n, this.built + batch);
    for (; this.built < Math.min(n, end); this.built++) {
      const u = users[this.built] as UserConfig;
      const client = new Client(u, this.ctx);
      this.clients.set(u.name, client);
      this.establishInitialState(client);
    }
    for (; this.built < end; this.built++) {
      const u = users[this.built - n] as UserConfig;
      for (const g of u.groups) this.affiliateAtStart(u.name, g);
    }
    if (this.built === 2 * n) {
      scheduleTimeline(this, this.config.timeline);
      this.built++;
    }
    return this.built > 2 * n;
  }

  private addInfra(actor: Actor): void {
    this.actors.set(actor.address, actor);
  }

  /** The client whose ID (primary or partner-issued) `id` is. */
  private clientOfId(id: McId): Client | undefined {
    const name = userOfId(id);
    return name === undefined ? undefined : this.clients.get(name);
  }

  /** The actor at a node address: infrastructure or client. */
  actor(address: string): Actor | undefined {
    return this.actors.get(address) ?? this.clients.get(address);
  }

  /**
   * Users start registered where they are; one starting in a partner system is already migrated
   * there. The tables are keyed by the client's own ID strings, not copies built again: one
   * string per ID and user, and a lookup with the client's ID matches on identity.
   */
  private establishInitialState(client: Client): void {
    const { primary, serving } = client.user;
    const primaryId = client.primaryId;
    const servingServer = this.servers.get(serving) as Server;
    if (serving === primary) {
      servingServer.registrations.set(primaryId, client);
      return;
    }
    const partnerId = client.currentId;
    servingServer.registrations.set(partnerId, client);
    servingServer.visitorTable.set(partnerId, { primaryId, status: 'migrated' });
    (this.servers.get(primary) as Server).migrationTable.set(primaryId, {
      partnerId,
      partnerSystem: serving,
      status: 'migrated',
    });
  }

  groupId(group: string): McId {
    const g = this.config.groups.find((x) => x.id === group);
    if (g === undefined) throw new Error(`unknown group ${group}`);
    return groupIdOf(g.id, g.home);
  }

  /** Members start affiliated to their groups at the group's home server (10.8.3 already done). */
  private affiliateAtStart(user: string, group: string): void {
    const client = this.client(user);
    const groupId = this.groupId(group);
    const home = this.server(this.topo.systemOfId(groupId) as SystemId);
    let members = home.groups.affiliations.get(groupId);
    if (members === undefined) home.groups.affiliations.set(groupId, (members = new Map()));
    members.set(client.currentId, client.serving);
    client.groups.affiliated.add(groupId);
  }

  client(name: string): Client {
    const c = this.clients.get(name);
    if (c === undefined) throw new Error(`unknown user ${name}`);
    return c;
  }

  server(system: SystemId): Server {
    const s = this.servers.get(system);
    if (s === undefined) throw new Error(`unknown system ${system}`);
    return s;
  }

  /** Private calls held now (a caller's dialog each): what a large load keeps in memory. */
  heldCalls(): number {
    let n = 0;
    for (const c of this.clients.values()) for (const leg of c.calls.legs.values()) if (leg.role === 'caller') n++;
    return n;
  }

  /** Messages and tasks waiting for a worker at the nodes: a saturated node's backlog. */
  queuedJobs(): number {
    let n = 0;
    for (const a of this.actors.values()) n += a.node.queueLength;
    for (const c of this.clients.values()) n += c.node.queueLength;
    return n;
  }

  run(): RunOutcome {
    if (this.built <= 2 * this.config.users.length) throw new Error('run() before the stepwise build ended');
    const stop = this.sim.run({
      ...(this.options.until === undefined ? {} : { until: this.options.until }),
      ...(this.options.maxEvents === undefined ? {} : { maxEvents: this.options.maxEvents }),
    });
    return { stop, endTime: this.sim.now, events: this.sim.eventsRun };
  }
}
