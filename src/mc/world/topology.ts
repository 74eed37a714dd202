import { pathOf, type LinkSpec } from '../../net/index.ts';
import type { ModelConfig, SystemConfig, SystemId } from '../config.ts';
import { addr, domainOf, type McId } from '../protocol/identity.ts';
import { pairKey, shapeFor, sum, type DomainSuffix, type NodeInfo } from './topology-shape.ts';

/**
 * Who is where and which link joins two nodes. Access links join a client to the nodes of its
 * serving system; core links join the nodes of one system; interconnect links join systems.
 * A client reaching another system's node (e.g. its home KMS while migrated) crosses its access
 * link and then the interconnect: the latency is their sum.
 */
export class Topology {
  private readonly systems: Map<SystemId, SystemConfig>;
  private readonly byDomain: Map<string, SystemId>;
  private readonly interconnect: Map<string, LinkSpec>;
  private readonly overrides: Map<string, LinkSpec>;
  private readonly composed: Map<string, LinkSpec>;
  private readonly infra: Map<string, NodeInfo>;
  private readonly personalAccess: Map<string, LinkSpec>;
  private readonly downSpecs: Map<LinkSpec, LinkSpec>;
  private readonly systemsOfIds: Map<McId, SystemId | null>;
  private readonly suffixes: readonly DomainSuffix[] | undefined;
  /** Serving system of each client, updated when the client migrates. */
  readonly serving: WatchedMap<string, SystemId> = new WatchedMap(() => this.changed());
  /**
   * linkSpec answers between infrastructure nodes, by from -> to. While no fault is on they are
   * those of the config and shared with its other replications; the first change gives this
   * topology a cache of its own, dropped at every later change. A client's pairs are not kept:
   * Network keeps the link of a pair until the link epoch moves, so it asks once per pair, and
   * a table per client would cost some 250 bytes per user of a large population.
   */
  private specs: Map<string, Map<string, LinkSpec | null>>;
  /** `user|system` pairs whose access link is down: every attempt over it is lost. */
  private readonly accessDown = new Set<string>();
  private readonly faults = new Map<string, LinkSpec>();
  /** Counts changes that may alter linkSpec's answers (Network keeps links until it moves). */
  private epoch = 0;

  constructor(config: ModelConfig) {
    const shape = shapeFor(config);
    ({
      systems: this.systems,
      byDomain: this.byDomain,
      interconnect: this.interconnect,
      overrides: this.overrides,
      composed: this.composed,
      infra: this.infra,
      personalAccess: this.personalAccess,
      downSpecs: this.downSpecs,
      systemsOfIds: this.systemsOfIds,
      suffixes: this.suffixes,
    } = shape);
    // Users where the config puts them: no change to report, and the config's answers hold.
    for (const u of config.users) this.serving.seed(u.name, u.serving);
    this.specs = shape.specs;
  }

  private changed(): void {
    this.specs = new Map();
    this.epoch++;
  }

  /** Changes whenever linkSpec may answer differently: a user moved, a fault came or went. */
  get linkEpoch(): number {
    return this.epoch;
  }

  system(id: SystemId): SystemConfig {
    const s = this.systems.get(id);
    if (s === undefined) throw new Error(`unknown MC system ${id}`);
    return s;
  }

  hasSystem(id: SystemId): boolean {
    return this.systems.has(id);
  }

  /** The system an MC service ID or PSI belongs to, from its domain; undefined when unknown. */
  systemOfId(id: McId): SystemId | undefined {
    // A few systems: compare the ID's tail with each `@domain`, which allocates nothing and
    // looks nothing up; a table of every ID seen would grow with the population.
    if (this.suffixes !== undefined) {
      for (const d of this.suffixes) if (id.endsWith(d.suffix)) return d.system;
      return undefined;
    }
    let system = this.systemsOfIds.get(id);
    if (system === undefined) this.systemsOfIds.set(id, (system = this.byDomain.get(domainOf(id)) ?? null));
    return system ?? undefined;
  }

  /** Role and system of an infrastructure node; undefined for clients. */
  infoOf(address: string): NodeInfo | undefined {
    return this.infra.get(address);
  }

  infraNodes(): [string, NodeInfo][] {
    return [...this.infra.entries()];
  }

  connected(a: SystemId, b: SystemId): boolean {
    return a === b || this.interconnect.has(pairKey(a, b));
  }

  /** Where a system's server sends a flow bound for another system (10.6.3.3.1 steps 3-5). */
  nextHopFromServer(from: SystemId, to: SystemId): string {
    if (this.system(from).hiding) return addr.gateway(from);
    return this.system(to).hiding ? addr.gateway(to) : addr.server(to);
  }

  /** Where a system's gateway sends a flow: inwards to its server, or onwards to the target system. */
  nextHopFromGateway(gatewaySystem: SystemId, to: SystemId): string {
    if (to === gatewaySystem) return addr.server(to);
    return this.system(to).hiding ? addr.gateway(to) : addr.server(to);
  }

  linkSpec(from: string, to: string): LinkSpec | undefined {
    if (!this.infra.has(from) || !this.infra.has(to)) return this.findLinkSpec(from, to);
    let byTo = this.specs.get(from);
    if (byTo === undefined) this.specs.set(from, (byTo = new Map()));
    let spec = byTo.get(to);
    if (spec === undefined) byTo.set(to, (spec = this.findLinkSpec(from, to) ?? null));
    return spec ?? undefined;
  }

  private findLinkSpec(from: string, to: string): LinkSpec | undefined {
    if (this.faults.size > 0) {
      const fault = this.faults.get(`${from}>${to}`);
      if (fault !== undefined) return fault;
    }
    if (this.overrides.size > 0) {
      const override = this.overrides.get(`${from}>${to}`);
      if (override !== undefined) return override;
    }
    const a = this.infra.get(from);
    const b = this.infra.get(to);
    if (a !== undefined && b !== undefined) {
      if (a.system === b.system) return this.system(a.system).core;
      return this.interconnect.get(pairKey(a.system, b.system));
    }
    const client = a === undefined ? from : to;
    const node = a === undefined ? b : a;
    const at = this.serving.get(client);
    if (node === undefined || at === undefined) return undefined;
    const personal = this.personalAccess.get(client);
    if (node.system === at) {
      const access = personal ?? this.system(at).access;
      return this.accessDown.size > 0 && this.accessDown.has(`${client}|${at}`) ? this.down(access) : access;
    }
    return this.remoteAccess(at, node.system, personal);
  }

  /** A fault on the link between two nodes (both directions) until cleared. */
  setLinkFault(a: string, b: string, id: string, change: Partial<LinkSpec>): void {
    // Both bases first: a lookup made once a fault is set must not land in a shared cache.
    const pairs = (
      [
        [a, b],
        [b, a],
      ] as const
    ).map(([from, to]) => ({ from, to, base: this.linkSpec(from, to) }));
    this.changed();
    for (const { from, to, base } of pairs) {
      if (base !== undefined)
        this.faults.set(`${from}>${to}`, {
          ...base,
          ...change,
          name: `${id}:${base.name ?? 'link'}`,
          path: pathOf(base),
        });
    }
  }

  clearLinkFault(a: string, b: string): void {
    this.faults.delete(`${a}>${b}`);
    this.faults.delete(`${b}>${a}`);
    this.changed();
  }

  /** Takes a user's access link to a system down from now on (a fault, or loss of coverage). */
  setAccessDown(user: string, system: SystemId): void {
    this.accessDown.add(`${user}|${system}`);
    this.changed();
  }

  private down(access: LinkSpec): LinkSpec {
    let spec = this.downSpecs.get(access);
    if (spec === undefined)
      this.downSpecs.set(access, (spec = { ...access, name: `down:${access.name ?? 'access'}`, loss: 1 }));
    return spec;
  }

  private remoteAccess(at: SystemId, target: SystemId, personal: LinkSpec | undefined): LinkSpec | undefined {
    const key = `${at}|${personal?.name ?? ''}>${target}`;
    let spec = this.composed.get(key);
    if (spec === undefined) {
      const ic = this.interconnect.get(pairKey(at, target));
      if (ic === undefined) return undefined;
      const access = personal ?? this.system(at).access;
      spec = {
        name: `${access.name ?? `access:${at}`}+interconnect:${target}`,
        latency: sum(access.latency, ic.latency),
        bandwidthBps: access.bandwidthBps,
        loss: 1 - (1 - (access.loss ?? 0)) * (1 - (ic.loss ?? 0)),
        transport: access.transport,
      };
      this.composed.set(key, spec);
    }
    return spec;
  }
}

/** A Map that reports every change, so that answers derived from it can be dropped. */
class WatchedMap<K, V> extends Map<K, V> {
  constructor(private readonly changed: () => void) {
    super();
  }

  /** An entry that changes nothing derived yet (the starting state). */
  seed(key: K, value: V): void {
    super.set(key, value);
  }

  override set(key: K, value: V): this {
    this.changed();
    return super.set(key, value);
  }

  override delete(key: K): boolean {
    this.changed();
    return super.delete(key);
  }

  override clear(): void {
    this.changed();
    super.clear();
  }
}
