import { METRICS } from '../mc/measure/metrics.ts';
import { addr } from '../mc/protocol/identity.ts';
import type { Scenario } from './format/scenario.ts';

export interface Problem {
  path: (string | number)[];
  message: string;
}

/** Cross-references the schema cannot see: names that must exist, pairs that must be joined. */
export function crossCheck(s: Scenario): Problem[] {
  const problems: Problem[] = [];
  const add = (path: (string | number)[], message: string): void => void problems.push({ path, message });
  const systems = s.topology.systems;
  const ids = Object.keys(systems);
  const known = (id: string): boolean => ids.includes(id);
  const pairs = new Set<string>();
  (s.topology.interconnects ?? []).forEach((ic, i) => {
    const [a, b] = ic.between;
    for (const [j, id] of [a, b].entries())
      if (!known(id))
        add(
          ['topology', 'interconnects', i, 'between', j],
          `expected one of the systems (${ids.join(', ')}), found "${id}"`,
        );
    if (a === b) add(['topology', 'interconnects', i, 'between'], `expected two different systems, found "${a}" twice`);
    pairs.add(`${a}|${b}`).add(`${b}|${a}`);
  });
  const joined = (a: string, b: string): boolean => a === b || pairs.has(`${a}|${b}`);

  for (const [id, sys] of Object.entries(systems)) {
    for (const key of ['acceptsMigrantsFrom', 'allowsMigrationTo', 'permittedKms'] as const) {
      (sys[key] ?? []).forEach((other, i) => {
        if (!known(other))
          add(['topology', 'systems', id, key, i], `expected one of the systems (${ids.join(', ')}), found "${other}"`);
      });
    }
  }

  (s.security?.cachedCertificates ?? []).forEach((id, i) => {
    if (!known(id))
      add(['security', 'cachedCertificates', i], `expected one of the systems (${ids.join(', ')}), found "${id}"`);
  });

  const nodes = new Map<string, string>();
  for (const [id, sys] of Object.entries(systems)) {
    for (const n of [addr.server(id), addr.idms(id), addr.cms(id), addr.kms(id)]) nodes.set(n, id);
    if (sys.hiding) nodes.set(addr.gateway(id), id);
  }
  (s.topology.links ?? []).forEach((l, i) => {
    for (const end of ['from', 'to'] as const) {
      const name = l[end];
      if (nodes.has(name)) continue;
      const hidingOff = /^gateway([A-Z][A-Z0-9]*)$/.exec(name);
      if (hidingOff && known(hidingOff[1] as string))
        add(
          ['topology', 'links', i, end],
          `"${name}" does not exist: system ${hidingOff[1]} has topology hiding off, so it has no MC gateway server`,
        );
      else
        add(
          ['topology', 'links', i, end],
          `expected a node name such as ${[...nodes.keys()].slice(0, 4).join(', ')}, found "${name}"`,
        );
    }
    const a = nodes.get(l.from);
    const b = nodes.get(l.to);
    if (a !== undefined && b !== undefined && !joined(a, b))
      add(['topology', 'links', i], `systems ${a} and ${b} are not interconnected`);
  });

  type UserInput = { name: string; primary: string; serving?: string | undefined; groups?: string[] | undefined };
  const users = new Map<string, UserInput>();
  (s.population.users ?? []).forEach((u, i) => {
    const at = ['population', 'users', i];
    if (users.has(u.name)) add([...at, 'name'], `duplicate user name "${u.name}"`);
    if (nodes.has(u.name) || /^(server|gateway|idms|cms|kms)[A-Z]/.test(u.name))
      add([...at, 'name'], `"${u.name}" is reserved for a system node`);
    users.set(u.name, u);
    if (!known(u.primary))
      add([...at, 'primary'], `expected one of the systems (${ids.join(', ')}), found "${u.primary}"`);
    if (u.serving !== undefined) {
      if (!known(u.serving))
        add([...at, 'serving'], `expected one of the systems (${ids.join(', ')}), found "${u.serving}"`);
      else if (known(u.primary) && !joined(u.primary, u.serving))
        add([...at, 'serving'], `partner system ${u.serving} is not interconnected with primary system ${u.primary}`);
    }
  });
  const groups = new Set<string>();
  (s.population.groups ?? []).forEach((g, i) => {
    if (groups.has(g.id)) add(['population', 'groups', i, 'id'], `duplicate group "${g.id}"`);
    groups.add(g.id);
    if (!known(g.home))
      add(['population', 'groups', i, 'home'], `expected one of the systems (${ids.join(', ')}), found "${g.home}"`);
  });
  const blocks = new Map((s.population.generate ?? []).map((g) => [g.prefix, g.count]));
  /** Generated groups each user block feeds: a group nobody is dealt into has no members. */
  const dealt = new Set<string>();
  (s.population.generateGroups ?? []).forEach((gg, i) => {
    const at = ['population', 'generateGroups', i];
    if (!known(gg.home)) add([...at, 'home'], `expected one of the systems (${ids.join(', ')}), found "${gg.home}"`);
    let members = 0;
    gg.membersFrom.forEach((prefix, j) => {
      const count = blocks.get(prefix);
      if (count === undefined)
        add(
          [...at, 'membersFrom', j],
          `expected the prefix of a population.generate block (${[...blocks.keys()].join(', ') || 'none defined'}), found "${prefix}"`,
        );
      else members += count;
    });
    for (let k = 0; k < gg.count; k++) {
      const id = `${gg.prefix}${k}`;
      if (groups.has(id)) {
        add([...at, 'prefix'], `generated group "${id}" clashes with another group`);
        break;
      }
      groups.add(id);
      if (k < members) dealt.add(id);
    }
  });
  (s.population.users ?? []).forEach((u, i) =>
    (u.groups ?? []).forEach((g, j) => {
      if (!groups.has(g))
        add(
          ['population', 'users', i, 'groups', j],
          `expected a group of population.groups (${[...groups].join(', ') || 'none defined'}), found "${g}"`,
        );
    }),
  );
  (s.population.generate ?? []).forEach((g, i) => {
    const at = ['population', 'generate', i];
    if (!known(g.primary))
      add([...at, 'primary'], `expected one of the systems (${ids.join(', ')}), found "${g.primary}"`);
    if (g.migrated !== undefined) {
      if (!known(g.migrated.to))
        add([...at, 'migrated', 'to'], `expected one of the systems (${ids.join(', ')}), found "${g.migrated.to}"`);
      else if (known(g.primary) && !joined(g.primary, g.migrated.to))
        add(
          [...at, 'migrated', 'to'],
          `partner system ${g.migrated.to} is not interconnected with primary system ${g.primary}`,
        );
    }
    (g.groups ?? []).forEach((name, j) => {
      if (!groups.has(name))
        add(
          [...at, 'groups', j],
          `expected a group of population.groups (${[...groups].join(', ') || 'none defined'}), found "${name}"`,
        );
    });
    for (let k = 0; k < g.count; k++) {
      const name = `${g.prefix}${k}`;
      if (users.has(name)) {
        add([...at, 'prefix'], `generated user "${name}" clashes with another user`);
        break;
      }
      users.set(name, { name, primary: g.primary });
    }
  });
  /** Groups some user is configured in: the ones a group call load can call. */
  const membered = new Set<string>([
    ...dealt,
    ...[...(s.population.users ?? []), ...(s.population.generate ?? [])].flatMap((u) => u.groups ?? []),
  ]);
  for (const [id, sys] of Object.entries(systems)) {
    if (sys.background !== undefined && s.experiment?.until === undefined)
      add(['topology', 'systems', id, 'background'], 'background load needs experiment.until to end');
  }
  if (s.topology.defaults?.background !== undefined && s.experiment?.until === undefined)
    add(['topology', 'defaults', 'background'], 'background load needs experiment.until to end');

  const actionIds = new Map<string, number>();
  (s.timeline ?? []).forEach((a, i) => {
    if (a.id === undefined) return;
    const first = actionIds.get(a.id);
    if (first !== undefined) add(['timeline', i, 'id'], `id "${a.id}" is already the id of timeline[${first}]`);
    else actionIds.set(a.id, i);
  });

  (s.timeline ?? []).forEach((a, i) => {
    const at = ['timeline', i];
    const needUser = (name: string, path: (string | number)[]): void => {
      if (!users.has(name)) add(path, `expected a user of the population, found "${name}"`);
    };
    if ('privateCall' in a) {
      needUser(a.privateCall.from, [...at, 'privateCall', 'from']);
      needUser(a.privateCall.to, [...at, 'privateCall', 'to']);
    } else if ('release' in a) needUser(a.release.user, [...at, 'release', 'user']);
    else if ('accessLinkDown' in a) needUser(a.accessLinkDown.user, [...at, 'accessLinkDown', 'user']);
    else if ('fault' in a) {
      const f = a.fault;
      const needNode = (name: string, path: (string | number)[]): void => {
        if (!nodes.has(name) && !users.has(name))
          add(path, `expected a node (${[...nodes.keys()].slice(0, 4).join(', ')}, ...) or a user, found "${name}"`);
      };
      const pair = f.linkDown?.between ?? f.lossBurst?.between;
      const key = f.linkDown ? 'linkDown' : 'lossBurst';
      pair?.forEach((n, j) => needNode(n, [...at, 'fault', key, 'between', j]));
      for (const [kind, target] of [
        ['crash', f.crash],
        ['mute', f.mute],
      ] as const) {
        if (target !== undefined && !nodes.has(target.node))
          add(
            [...at, 'fault', kind, 'node'],
            `expected a system node (${[...nodes.keys()].slice(0, 4).join(', ')}, ...), found "${target.node}"`,
          );
      }
    } else if ('privateCallLoad' in a)
      (a.privateCallLoad.users ?? []).forEach((u, j) => needUser(u, [...at, 'privateCallLoad', 'users', j]));
    else if ('groupCallLoad' in a) {
      const listed = a.groupCallLoad.groups ?? [];
      listed.forEach((g, j) => {
        const path = [...at, 'groupCallLoad', 'groups', j];
        if (!groups.has(g))
          add(
            path,
            `expected a group of population.groups (${[...groups].join(', ') || 'none defined'}), found "${g}"`,
          );
        else if (!membered.has(g))
          add(
            path,
            `group "${g}" has no members to press PTT (list it in users' groups, or deal it members with generateGroups)`,
          );
      });
      if (listed.length === 0 && membered.size === 0)
        add(
          [...at, 'groupCallLoad'],
          "no group has members to press PTT (list groups in users' groups, or deal members with generateGroups)",
        );
    } else if ('groupCall' in a || 'affiliate' in a || 'deaffiliate' in a) {
      const [kind, user, group] =
        'groupCall' in a
          ? ['groupCall', a.groupCall.from, a.groupCall.group]
          : 'affiliate' in a
            ? ['affiliate', a.affiliate.user, a.affiliate.group]
            : ['deaffiliate', a.deaffiliate.user, a.deaffiliate.group];
      needUser(user, [...at, kind, kind === 'groupCall' ? 'from' : 'user']);
      if (!groups.has(group))
        add(
          [...at, kind, 'group'],
          `expected a group of population.groups (${[...groups].join(', ') || 'none defined'}), found "${group}"`,
        );
    } else {
      const [key, m] = 'migrate' in a ? ['migrate', a.migrate] : ['detectMigrationNeed', a.detectMigrationNeed];
      needUser(m.user, [...at, key, 'user']);
      const u = users.get(m.user);
      if (!known(m.to)) add([...at, key, 'to'], `expected one of the systems (${ids.join(', ')}), found "${m.to}"`);
      else if (u !== undefined && known(u.primary) && !joined(u.primary, m.to)) {
        add(
          [...at, key, 'to'],
          `partner system ${m.to} is not interconnected with ${u.name}'s primary system ${u.primary}`,
        );
      }
    }
  });

  const metricNames = METRICS.map((m) => m.name);
  const exp = s.experiment;
  (exp?.kpis ?? []).forEach((k, i) => {
    if (!metricNames.includes(k.metric))
      add(
        ['experiment', 'kpis', i, 'metric'],
        `expected a metric of docs/domain.md section 5 such as ${similarMetrics(metricNames, k.metric)}, found "${k.metric}"`,
      );
  });
  const variants = new Set<string>();
  (exp?.variants ?? []).forEach((v, i) => {
    if (variants.has(v.name)) add(['experiment', 'variants', i, 'name'], `duplicate variant name "${v.name}"`);
    variants.add(v.name);
  });
  (exp?.compare ?? []).forEach((c, i) => {
    for (const side of ['a', 'b'] as const) {
      if (!variants.has(c[side]))
        add(
          ['experiment', 'compare', i, side],
          `expected a variant name (${[...variants].join(', ')}), found "${c[side]}"`,
        );
    }
  });
  return problems;
}

/** The metrics of the same family as `name` (the part before the dot), else the first few: a one-line hint. */
function similarMetrics(names: readonly string[], name: string): string {
  const family = names.filter((n) => n.split('.')[0] === name.split('.')[0]);
  const shown = family.length > 0 ? family : names.slice(0, 6);
  return shown.join(', ') + (shown.length < names.length ? ', ...' : '');
}
