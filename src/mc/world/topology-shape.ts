import type { Distribution, Rng } from '../../kernel/index.ts';
import type { LinkSpec } from '../../net/index.ts';
import type { ModelConfig, Role, SystemConfig, SystemId } from '../config.ts';
import { addr, serviceDomain, type McId } from '../protocol/identity.ts';

/** Role and system of an infrastructure node. */
export interface NodeInfo {
  role: Role;
  system: SystemId;
}

/**
 * What a topology derives from its config alone: built once per config and shared by all its
 * replications (rebuilt per replication it was most of a short run's cost). Only caches of pure
 * functions of the config are added to it later (composed and down specs, ID domains).
 */
export interface Shape {
  systems: Map<SystemId, SystemConfig>;
  byDomain: Map<string, SystemId>;
  interconnect: Map<string, LinkSpec>;
  overrides: Map<string, LinkSpec>;
  composed: Map<string, LinkSpec>;
  infra: Map<string, NodeInfo>;
  personalAccess: Map<string, LinkSpec>;
  downSpecs: Map<LinkSpec, LinkSpec>;
  systemsOfIds: Map<McId, SystemId | null>;
  /**
   * `@domain` of each system when there are few and no domain holds an `@`: the last `@` of an
   * ID ending in one is then its own, so the match is the domain that domainOf would give.
   */
  suffixes: readonly DomainSuffix[] | undefined;
  /** linkSpec answers with every user where the config puts it and no fault on. */
  specs: Map<string, Map<string, LinkSpec | null>>;
}

const shapes = new WeakMap<ModelConfig, Shape>();

/** The shape of `config`, made once and shared by its replications. */
export function shapeFor(config: ModelConfig): Shape {
  let shape = shapes.get(config);
  if (shape === undefined) shapes.set(config, (shape = shapeOf(config)));
  return shape;
}

function shapeOf(config: ModelConfig): Shape {
  const shape: Shape = {
    systems: new Map(),
    byDomain: new Map(),
    interconnect: new Map(),
    overrides: new Map(),
    composed: new Map(),
    infra: new Map(),
    personalAccess: new Map(),
    downSpecs: new Map(),
    systemsOfIds: new Map(),
    specs: new Map(),
    suffixes: undefined,
  };
  for (const s of config.systems) {
    shape.systems.set(s.id, s);
    shape.byDomain.set(serviceDomain(s.id), s.id);
    const roles: Role[] = ['server', 'idms', 'cms', 'kms'];
    if (s.hiding) roles.push('gateway');
    for (const role of roles) shape.infra.set(addr[role as Exclude<Role, 'client'>](s.id), { role, system: s.id });
  }
  const domains = [...shape.byDomain];
  if (domains.length <= MAX_SUFFIXES && domains.every(([d]) => !d.includes('@')))
    shape.suffixes = domains.map(([d, system]) => ({ suffix: `@${d}`, system }));
  for (const ic of config.interconnects) {
    shape.interconnect.set(pairKey(ic.a, ic.b), { ...ic.link, name: `interconnect:${ic.a}-${ic.b}` });
  }
  for (const o of config.linkOverrides) {
    shape.overrides.set(`${o.from}>${o.to}`, { ...o.link, name: `override` });
    shape.overrides.set(`${o.to}>${o.from}`, { ...o.link, name: `override` });
  }
  for (const u of config.users) if (u.access !== undefined) shape.personalAccess.set(u.name, u.access);
  return shape;
}

export interface DomainSuffix {
  suffix: string;
  system: SystemId;
}

const MAX_SUFFIXES = 8;

export const pairKey = (a: SystemId, b: SystemId): string => (a < b ? `${a}|${b}` : `${b}|${a}`);

/** One draw of each, added; `parts` lets the breakdown of an interval split the sum again (critical-path.ts). */
export function sum(x: Distribution, y: Distribution): Distribution & { parts: readonly [Distribution, Distribution] } {
  return {
    mean: x.mean + y.mean,
    constant: x.constant && y.constant,
    sample: (rng: Rng) => x.sample(rng) + y.sample(rng),
    parts: [x, y],
  };
}
