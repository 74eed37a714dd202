import { RandomStreams, Simulator, type StopReason } from '../../kernel/index.ts';
import { Network, type Envelope, type ProcessingSpec, type SendRecord } from '../../net/index.ts';
import type { Actor, Ctx } from '../actor.ts';
import { Client } from '../client/client.ts';
import { ConfigurationManagementServer } from '../infra/cms.ts';
import type { ModelConfig, ProcessingConfig, UserConfig } from '../config.ts';
import { Gateway } from '../infra/gateway.ts';
import { IdentityManagementServer } from '../infra/idms.ts';
import { groupIdOf, userOfId, type McId, type SystemId } from '../protocol/identity.ts';
import { KeyManagementServer } from '../infra/kms.ts';
import type { McMessage } from '../protocol/messages.ts';
import { METRICS, MetricRecorder, type SampleSink } from '../measure/metrics.ts';
import { ProbeBus } from '../measure/probes.ts';
import { Server } from '../server/server.ts';
import type { MigrationAuthority } from '../server/migration-authority.ts';
import { sizeOf } from '../protocol/sizes.ts';
import { scheduleTimeline } from './timeline.ts';
import { Topology } from './topology.ts';

export interface RunOptions {
  seed: number | string;
  replication: number;
  /** Hard stop in simulated time; the timeline's own end when absent. */
  until?: number;
  maxEvents?: number;
  trace?: (rec: SendRecord<McMessage>) => void;
  /** Finished intervals go here instead of `recorder.samples` (see MetricRecorder). */
  onSample?: SampleSink;
}

export interface RunOutcome {
  stop: StopReason;
  endTime: number;
  events: number;
}

/**
 * Node processing specs and the user table depend on the config alone: made once per config
 * and shared by its replications, which would otherwise rebuild them every time (issue 8).
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
export class McModel {
  readonly sim = new Simulator();
  readonly probes = new ProbeBus();
  readonly recorder: MetricRecorder;
  readonly topo: Topology;
  readonly streams: RandomStreams;
  readonly net: Network<McMessage>;
  readonly clients = new Map<string, Client>();
  readonly servers = new Map<SystemId, Server>();
  /** Infrastructure actors by address; clients are in `clients` only (issue 8: one entry per user less). */
  readonly actors = new Map<string, Actor>();
  private readonly counters = new Map<string, number>();

  constructor(
    readonly config: ModelConfig,
    readonly options: RunOptions,
  ) {
    this.streams = new RandomStreams(options.seed, options.replication);
    this.topo = new Topology(config);
    this.recorder = new MetricRecorder(this.probes, METRICS, options.onSample);
    this.net = new Network<McMessage>(this.sim, this.streams, {
      linkSpec: (from, to) => this.topo.linkSpec(from, to),
      linkEpoch: () => this.topo.linkEpoch,
      sizeOf: (msg) => sizeOf(config.sizes, msg),
      // A user that moved to a system with no interconnection towards a node is out of its reach.
      noPath: 'lose',
    });
    if (options.trace) this.net.onSend(options.trace);
    this.net.onRefused((env) => this.refused(env));
    const ctx: Ctx = {
      sim: this.sim,
      net: this.net,
      probes: this.probes,
      topo: this.topo,
      config,
      streams: this.streams,
      users: usersOf(config),
      nextId: (prefix) => {
        const n = (this.counters.get(prefix) ?? 0) + 1;
        this.counters.set(prefix, n);
        return `${prefix}-${n}`;
      },
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
    for (const u of config.users) {
      const client = new Client(u, ctx);
      this.clients.set(u.name, client);
      this.net.adopt(client);
      this.establishInitialState(client);
    }
    for (const u of config.users) for (const g of u.groups) this.affiliateAtStart(u.name, g);
    scheduleTimeline(this, config.timeline);
  }

  private addInfra(actor: Actor): void {
    this.actors.set(actor.address, actor);
    this.net.adopt(actor);
  }

  /**
   * A message that reached a crashed node, or that the node had received and not yet handled
   * when it crashed, told to its sender's side as a transport error (RFC 3261 18.4): either
   * way the node never acted on it [A]. With gateways between, the error is the gateway's; it
   * is taken to reach the primary as an error response would. Only messages on the way from
   * the primary towards the partner server matter here: a partner's answer to its UE follows
   * the partner's own records, and a UE's request simply times out.
   * - A migration service authorization success lost so (the partner crashed with the success
   *   in flight, queued or in service) would leave the primary holding the user as migrated
   *   to a partner that never stored it, whose UE was told "timeout": the primary takes its
   *   step 7 back [A].
   * - The primary's own de-authorization of a partner (partner-releases.ts) is sent again.
   * - A callee's accept kept from the caller so: the callee ends the dialog when its 2xx
   *   retransmissions would give up, as with no ACK (PrivateCalls.acceptUndelivered).
   * - A partner's report of a de-authorization to the primary (10.6.3.3.2 steps 3-10) ends at
   *   the partner as a failure response would (RFC 3261 8.1.3.1: a transport error is a 503),
   *   so the partner takes its step 11 back rather than let the user go where the primary,
   *   which never heard of it, still holds the user as migrated there.
   */
  private refused(env: Envelope<McMessage>): void {
    const msg = env.msg;
    // A callee's accept that a crashed node kept from the caller: no ACK will come for it.
    if (msg.type === 'PrivateCallResponse' && msg.result === 'accepted')
      return this.clientOfId(msg.responder)?.calls.acceptUndelivered(msg.callId);
    if (this.clients.has(env.to) || this.clients.has(env.from)) return;
    const migration = (): MigrationAuthority | undefined => {
      const primary = this.topo.systemOfId((msg as { primaryId: McId }).primaryId);
      return primary === undefined ? undefined : this.servers.get(primary)?.migration;
    };
    if (msg.type === 'MigrationServiceAuthorizationResponse' && msg.result === 'success')
      migration()?.authorizationUndelivered(msg);
    // The primary's own de-authorization of a partner (its target the partner's user ID).
    else if (msg.type === 'MigrationServiceDeauthorizationRequest' && msg.target === msg.partnerId)
      migration()?.releases.retry(msg);
    else if (msg.type === 'MigrationServiceDeauthorizationRequest' && msg.target === msg.primaryId) {
      const partner = this.topo.systemOfId(msg.partnerId);
      const { procId, partnerId, primaryId } = msg;
      const failure: McMessage = {
        type: 'MigrationServiceDeauthorizationResponse',
        procId,
        target: partnerId,
        partnerId,
        primaryId,
        result: 'failure',
        reason: 'unreachable',
      };
      if (partner !== undefined) this.servers.get(partner)?.settle(failure, env.to);
    }
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
   * string per ID and user, and a lookup with the client's ID matches on identity (issue 8).
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

  run(): RunOutcome {
    const stop = this.sim.run({
      ...(this.options.until === undefined ? {} : { until: this.options.until }),
      ...(this.options.maxEvents === undefined ? {} : { maxEvents: this.options.maxEvents }),
    });
    return { stop, endTime: this.sim.now, events: this.sim.eventsRun };
  }
}
