import { parseDuration } from '../kernel/index.ts';
import type { LinkSpec } from '../net/index.ts';
import {
  ROLES,
  type BackgroundLoad,
  type GroupConfig,
  type ModelConfig,
  type ProcessingConfig,
  type Role,
  type RrcConfig,
  type SystemConfig,
  type UserConfig,
} from '../mc/config.ts';
import { DEFAULT_SIZES, type SizeTable } from '../mc/protocol/sizes.ts';
import type { MessageType } from '../mc/protocol/messages.ts';
import type { LinkInput, ProcessingInput, RrcInput, Scenario } from './format/scenario.ts';
import { PROFILES, RRC_BASE, type Profile } from './profiles.ts';
import { parseBandwidth, parseBytes, parseRate, toDistribution } from './format/quantities.ts';
import type { DistributionInput } from './format/units.ts';
import { action } from './build-timeline.ts';

/**
 * The lists most users share, one array for all of them rather than a new one per user: a
 * generated population has 100k+ users and each array is 32 bytes. Frozen, since
 * every user holding it sees any change.
 */
const DEFAULT_PROFILES: readonly string[] = Object.freeze(['default']);
const NO_GROUPS: readonly string[] = Object.freeze([]);

/** Bulk users: `prefix0..prefix{count-1}`; the first `share` of them start migrated. */
function generated(s: Scenario): UserConfig[] {
  const out: UserConfig[] = [];
  const dealt = dealtGroups(s);
  for (const g of s.population.generate ?? []) {
    const migrated = g.migrated === undefined ? 0 : Math.round(g.migrated.share * g.count);
    for (let i = 0; i < g.count; i++) {
      out.push({
        name: `${g.prefix}${i}`,
        primary: g.primary,
        serving: i < migrated && g.migrated !== undefined ? g.migrated.to : g.primary,
        migrationProfiles: DEFAULT_PROFILES,
        migrationForbidden: false,
        groups: dealt.get(`${g.prefix}${i}`) ?? g.groups ?? NO_GROUPS,
      });
    }
  }
  return out;
}

/**
 * The groups of each generated user that `generateGroups` deals members into: user j of the
 * listed blocks, in order, joins group j mod count (round robin), so every group draws members
 * from every block, migrated ones included. Only those users get a list of their own.
 */
function dealtGroups(s: Scenario): Map<string, string[]> {
  const dealt = new Map<string, string[]>();
  const blocks = new Map((s.population.generate ?? []).map((g) => [g.prefix, g]));
  for (const gg of s.population.generateGroups ?? []) {
    let j = 0;
    for (const prefix of gg.membersFrom) {
      const block = blocks.get(prefix);
      for (let i = 0; i < (block?.count ?? 0); i++, j++) {
        const name = `${prefix}${i}`;
        let list = dealt.get(name);
        if (list === undefined) dealt.set(name, (list = [...(block?.groups ?? [])]));
        list.push(`${gg.prefix}${j % gg.count}`);
      }
    }
  }
  return dealt;
}

/** Groups declared one by one, then those made in bulk (`prefix0..prefix{count-1}`). */
function groups(s: Scenario): GroupConfig[] {
  const out: GroupConfig[] = (s.population.groups ?? []).map((g) => ({ id: g.id, home: g.home }));
  for (const gg of s.population.generateGroups ?? [])
    for (let k = 0; k < gg.count; k++) out.push({ id: `${gg.prefix}${k}`, home: gg.home });
  return out;
}

function background(s: Scenario): BackgroundLoad[] {
  const out: BackgroundLoad[] = [];
  for (const [system, sys] of Object.entries(s.topology.systems)) {
    for (const [role, rate] of Object.entries({ ...s.topology.defaults?.background, ...sys.background })) {
      if (rate !== undefined) out.push({ system, role: role as BackgroundLoad['role'], rate: parseRate(rate) });
    }
  }
  return out;
}

/** Values used where a scenario is silent (docs/domain.md section 8, default delays and timers). */
export const DEFAULTS = {
  access: { latency: { uniform: ['10ms', '30ms'] } },
  core: { latency: { uniform: ['1ms', '5ms'] } },
  interconnect: { latency: { uniform: ['5ms', '20ms'] } },
  processing: {
    client: {
      default: { uniform: ['5ms', '10ms'] },
      workers: 1,
      byKind: {
        'sakke-encapsulate': { uniform: ['5ms', '20ms'] },
        'eccsi-sign': { uniform: ['1ms', '5ms'] },
        'eccsi-verify': { uniform: ['5ms', '10ms'] },
        'sakke-decapsulate': { uniform: ['10ms', '40ms'] },
      },
    },
    server: { default: { uniform: ['2ms', '5ms'] }, workers: 8 },
    gateway: { default: { uniform: ['1ms', '3ms'] }, workers: 8 },
    idms: { default: { uniform: ['50ms', '200ms'] }, workers: 8 },
    cms: { default: { uniform: ['10ms', '50ms'] }, workers: 8 },
    kms: { default: { uniform: ['5ms', '20ms'] }, workers: 8 },
  },
  calls: {
    service: 'mcptt',
    commencement: 'automatic',
    floorControl: true,
    mcdata: 'sds',
    fileSize: '1MB',
    redirectionMemory: 'none',
    answerDelay: { uniform: ['1s', '5s'] },
    setupTimeout: '20s',
  },
  transactionTimeout: '10s',
  interruptionTimeout: '60s',
  /** Group call hang time: 23.379 leaves its value to configuration (assumption A28 in docs/domain.md). */
  hangTime: '5s',
} as const satisfies Record<string, unknown>;

function link(
  input: Partial<LinkInput> | undefined,
  fallback: Partial<LinkInput> | undefined,
  base: LinkInput,
  name: string,
): LinkSpec {
  const merged = { ...base, ...fallback, ...input } as LinkInput;
  return {
    name,
    latency: toDistribution(merged.latency),
    ...(merged.bandwidth === undefined ? {} : { bandwidthBps: parseBandwidth(merged.bandwidth) }),
    ...(merged.loss === undefined ? {} : { loss: merged.loss }),
    ...(merged.transport === undefined ? {} : { transport: merged.transport }),
  };
}

/**
 * Radio state from layers (profile, defaults, system, user), later ones overriding field by
 * field; `false` turns it off, and what follows starts again from the LTE values.
 */
function rrc(...layers: (RrcInput | false | undefined)[]): RrcConfig | undefined {
  let merged: RrcInput | undefined = undefined;
  for (const layer of layers) {
    if (layer === false) merged = undefined;
    else if (layer !== undefined) merged = { ...(merged ?? RRC_BASE), ...layer };
  }
  if (merged === undefined) return undefined;
  const base = RRC_BASE as RrcInput;
  return {
    inactivity: parseDuration(merged.inactivity ?? (base.inactivity as string)),
    pagingCycle: parseDuration(merged.pagingCycle ?? (base.pagingCycle as string)),
    setup: toDistribution((merged.setup ?? base.setup) as DistributionInput),
    ...(merged.resume === undefined ? {} : { resume: toDistribution(merged.resume) }),
  };
}

function processing(role: Role, ...layers: (ProcessingInput | undefined)[]): ProcessingConfig {
  const base = DEFAULTS.processing[role] as ProcessingInput;
  let def = base.default as DistributionInput;
  let workers = base.workers ?? 1;
  const byKind = new Map<string, DistributionInput>(Object.entries(base.byKind ?? {}));
  for (const layer of layers) {
    if (layer === undefined) continue;
    if (layer.default !== undefined) def = layer.default;
    if (layer.workers !== undefined) workers = layer.workers;
    for (const [k, v] of Object.entries(layer.byKind ?? {})) byKind.set(k, v);
  }
  return {
    workers,
    default: toDistribution(def),
    byKind: new Map([...byKind].map(([k, v]) => [k, toDistribution(v)])),
  };
}

/** Turns a validated scenario (one variant, overrides applied) into the model's configuration. */
export function buildModelConfig(s: Scenario): ModelConfig {
  const ids = Object.keys(s.topology.systems);
  const interconnects = s.topology.interconnects ?? [];
  const neighbours = (id: string): string[] =>
    interconnects.flatMap((ic) =>
      ic.between[0] === id ? [ic.between[1]] : ic.between[1] === id ? [ic.between[0]] : [],
    );
  const d = s.topology.defaults;
  const p: Profile = PROFILES[s.profile ?? 'generic'];
  const base = (key: 'access' | 'core' | 'interconnect'): LinkInput => ({ ...DEFAULTS[key], ...p[key] }) as LinkInput;
  const systems: SystemConfig[] = ids.map((id) => {
    const sys = s.topology.systems[id] ?? {};
    const radio = rrc(p.rrc, d?.rrc, sys.rrc);
    return {
      id,
      hiding: sys.hiding ?? false,
      access: link(sys.access, d?.access, base('access'), `access:${id}`),
      core: link(sys.core, d?.core, base('core'), `core:${id}`),
      ...(radio === undefined ? {} : { rrc: radio }),
      processing: Object.fromEntries(
        ROLES.map((r) => [r, processing(r, p.processing?.[r], d?.processing?.[r], sys.processing?.[r])]),
      ) as Record<Role, ProcessingConfig>,
      acceptsMigrantsFrom: sys.acceptsMigrantsFrom ?? neighbours(id),
      allowsMigrationTo: sys.allowsMigrationTo ?? neighbours(id),
      permittedKms: sys.permittedKms ?? neighbours(id),
      deauthorizeTowardsPrimary: sys.deauthorizeTowardsPrimary ?? true,
    };
  });
  const declared: UserConfig[] = (s.population.users ?? []).map((u) => ({
    name: u.name,
    primary: u.primary,
    serving: u.serving ?? u.primary,
    migrationProfiles: u.migrationProfiles ?? DEFAULT_PROFILES,
    migrationForbidden: u.migrationForbidden ?? false,
    groups: u.groups ?? NO_GROUPS,
    ...(u.access === undefined ? {} : { access: link(u.access, undefined, u.access, `access:${u.name}`) }),
    // Its own radio state; a wired console (own access) has none unless it says so.
    ...(u.rrc !== undefined ? { rrc: rrc(u.rrc) ?? null } : u.access !== undefined ? { rrc: null } : {}),
  }));
  const users = [...declared, ...generated(s)];
  const calls = { ...DEFAULTS.calls, ...s.calls };
  const sizes: SizeTable = { ...DEFAULT_SIZES, ...(s.messageSizes as Partial<Record<MessageType, number>>) };
  return {
    systems,
    interconnects: interconnects.map((ic) => ({
      a: ic.between[0],
      b: ic.between[1],
      link: link(
        ic as Partial<LinkInput>,
        d?.interconnect,
        base('interconnect'),
        `interconnect:${ic.between.join('-')}`,
      ),
    })),
    linkOverrides: (s.topology.links ?? []).map((l) => ({
      from: l.from,
      to: l.to,
      link: link(l, undefined, l, `link:${l.from}-${l.to}`),
    })),
    users,
    groups: groups(s),
    security: {
      e2ee: s.security?.e2ee ?? false,
      kmsUri: s.security?.kmsUri ?? (s.security?.kmsUriInRedirection === false ? 'lookup' : 'redirection'),
      cachedCertificates: s.security?.cachedCertificates ?? ids,
      kmsLookupFederated: s.security?.kmsLookupFederated ?? true,
      maxKrrRounds: s.security?.maxKrrRounds ?? 2,
      staleProfileKmsUri: s.security?.staleProfileKmsUri ?? false,
    },
    calls: {
      service: calls.service,
      commencement: calls.commencement,
      floorControl: calls.floorControl,
      mcdata: calls.mcdata,
      fileBytes: parseBytes(calls.fileSize),
      redirectionMemory: calls.redirectionMemory === 'none' ? 0 : parseDuration(calls.redirectionMemory),
      answerDelay: toDistribution(calls.answerDelay as DistributionInput),
      setupTimeout: parseDuration(calls.setupTimeout),
    },
    timers: {
      transaction: parseDuration(s.timers?.transaction ?? DEFAULTS.transactionTimeout),
      interruption: parseDuration(s.timers?.interruption ?? DEFAULTS.interruptionTimeout),
      hangTime: parseDuration(s.timers?.hangTime ?? DEFAULTS.hangTime),
    },
    sizes,
    timeline: (s.timeline ?? []).map((a) => action(a, calls)),
    background: background(s),
    ...(s.experiment?.until === undefined ? {} : { until: parseDuration(s.experiment.until) }),
  };
}
