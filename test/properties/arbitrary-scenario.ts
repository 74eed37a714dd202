import fc from 'fast-check';

/**
 * Random valid scenario documents: 1-3 systems with random topology hiding, de-authorization
 * steps 3-10 on or off, interconnections, users (some already migrated), a group, the three
 * sources of a migrated callee's KMS URI, a redirection memory, and a timeline mixing calls of
 * every service and MCData communication, migrations, group actions and faults. Built as plain data, then
 * validated by the real loader.
 */
const SYSTEMS = ['A', 'B', 'C'] as const;

const delay = fc.oneof(
  fc.integer({ min: 1, max: 40 }).map((ms) => `${ms}ms`),
  fc
    .tuple(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 0, max: 20 }))
    .map(([lo, d]) => ({ uniform: [`${lo}ms`, `${lo + d}ms`] })),
);

export const scenarioDocument = fc
  .record({
    systemCount: fc.integer({ min: 1, max: 3 }),
    hiding: fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
    // De-authorization steps 3-10 (23.280 10.6.3.3.2) are optional; most systems run them.
    towardsPrimary: fc.array(fc.constantFrom(true, true, false), { minLength: 3, maxLength: 3 }),
    meshMissing: fc.integer({ min: -1, max: 2 }),
    access: delay,
    core: delay,
    interconnect: delay,
    server: delay,
    e2ee: fc.boolean(),
    kmsUri: fc.constantFrom('redirection', 'lookup', 'profile'),
    unreliable: fc.boolean(),
    // Radio access with a bandwidth now and then: files then take time on the wire.
    bandwidth: fc.constantFrom(undefined, undefined, '2Mbps', '20Mbps'),
    memory: fc.constantFrom('none', 'none', '2s', '30s'),
    users: fc.array(fc.record({ primary: fc.nat(2), serving: fc.nat(2), member: fc.boolean() }), {
      minLength: 2,
      maxLength: 6,
    }),
    groupHome: fc.nat(2),
    hangTime: fc.integer({ min: 0, max: 8_000 }),
    actions: fc.array(
      fc.record({
        at: fc.integer({ min: 0, max: 30_000 }),
        kind: fc.constantFrom(
          'call',
          'call',
          'migrate',
          'groupCall',
          'groupCall',
          'groupLoad',
          'callLoad',
          'affiliate',
          'deaffiliate',
          'release',
          'linkDown',
          'crash',
          'crashOther',
          'mute',
          'burst',
          'accessDown',
          'detect',
        ),
        a: fc.nat(5),
        b: fc.nat(5),
        s: fc.nat(2),
        length: fc.integer({ min: 100, max: 20_000 }),
        service: fc.constantFrom('mcptt', 'mcvideo', 'mcdata'),
        mcdata: fc.constantFrom('sds', 'sds-session', 'fd-http', 'fd-media', 'ipcon'),
        manual: fc.boolean(),
      }),
      { maxLength: 16 },
    ),
  })
  .map((r) => {
    const systems = SYSTEMS.slice(0, r.systemCount);
    const pairs: [string, string][] = [];
    for (let i = 0; i < systems.length; i++)
      for (let j = i + 1; j < systems.length; j++) pairs.push([systems[i] as string, systems[j] as string]);
    const interconnects = pairs.filter((_, k) => k !== r.meshMissing);
    const joined = (x: string, y: string) =>
      x === y || interconnects.some(([p, q]) => (p === x && q === y) || (p === y && q === x));
    const sys = (n: number) => systems[n % systems.length] as string;
    const names = r.users.map((_, i) => `u${i}`);
    const users = r.users.map((u, i) => {
      const primary = sys(u.primary);
      const serving = sys(u.serving);
      return {
        name: names[i],
        primary,
        ...(joined(primary, serving) ? { serving } : {}),
        ...(u.member ? { groups: ['g'] } : {}),
      };
    });
    const user = (n: number) => names[n % names.length] as string;
    const servers = systems.map((s) => `server${s}`);
    const timeline = r.actions.map((a) => {
      const at = `${a.at}ms`;
      const u = user(a.a);
      const other = user(a.a + 1 + (a.b % (names.length - 1)));
      const target = sys(a.s);
      const primary = users[a.a % names.length]?.primary as string;
      const to = joined(primary, target) ? target : primary;
      switch (a.kind) {
        case 'call':
          return {
            at,
            privateCall: {
              from: u,
              to: other,
              service: a.service,
              ...(a.service === 'mcdata' ? { mcdata: a.mcdata } : {}),
              commencement: a.manual ? 'manual' : 'automatic',
              hangUpAfter: `${a.length}ms`,
            },
          };
        case 'migrate':
          return { at, migrate: { user: u, to } };
        case 'detect':
          return { at, detectMigrationNeed: { user: u, to, on: 'accessLinkDown' } };
        case 'accessDown':
          return { at, accessLinkDown: { user: u } };
        case 'groupCall':
          // Mostly talk bursts that end (then the hang timer releases the call); now and then held for good.
          return {
            at,
            groupCall: { from: u, group: 'g', ...(a.manual && a.b === 0 ? {} : { holdFor: `${a.length}ms` }) },
          };
        case 'groupLoad':
          // Only a group with members can be loaded (the scenario checks refuse one without).
          if (users.some((x) => x.groups !== undefined))
            return {
              at,
              groupCallLoad: { rate: `${1 + (a.b % 4)}/s`, duration: `${a.length}ms`, holdFor: `${a.length % 3000}ms` },
            };
          return { at, groupCall: { from: u, group: 'g' } };
        case 'callLoad':
          // Poisson private calls between random users, some of them migrated or migrating.
          return {
            at,
            privateCallLoad: {
              rate: `${1 + (a.b % 3)}/s`,
              duration: `${a.length}ms`,
              service: a.service,
              ...(a.service === 'mcdata' ? { mcdata: a.mcdata } : {}),
              hangUpAfter: { exponential: `${100 + (a.length % 5000)}ms` },
            },
          };
        case 'affiliate':
          return { at, affiliate: { user: u, group: 'g' } };
        case 'deaffiliate':
          return { at, deaffiliate: { user: u, group: 'g' } };
        case 'release':
          return { at, release: { user: u } };
        case 'linkDown':
          return { at, fault: { for: `${a.length}ms`, linkDown: { between: [u, servers[a.s % servers.length]] } } };
        case 'burst':
          return {
            at,
            fault: { for: `${a.length}ms`, lossBurst: { between: [u, servers[a.s % servers.length]], p: 0.2, r: 0.4 } },
          };
        case 'crash':
          return { at, fault: { for: `${a.length}ms`, crash: { node: servers[a.s % servers.length] } } };
        case 'crashOther': {
          // The servers' helpers: key management, configuration, identity, and the gateway where one hides the system.
          const roles = ['kms', 'cms', 'idms', ...(r.hiding[a.s % systems.length] === true ? ['gateway'] : [])];
          return {
            at,
            fault: { for: `${a.length}ms`, crash: { node: `${roles[a.b % roles.length] as string}${target}` } },
          };
        }
        default:
          return { at, fault: { for: `${a.length}ms`, mute: { node: `${a.b % 2 === 0 ? 'kms' : 'cms'}${target}` } } };
      }
    });
    return {
      topology: {
        defaults: {
          access: {
            latency: r.access,
            ...(r.unreliable ? { transport: 'unreliable' } : {}),
            ...(r.bandwidth === undefined ? {} : { bandwidth: r.bandwidth }),
          },
          core: { latency: r.core },
          interconnect: { latency: r.interconnect },
          processing: { server: { default: r.server, workers: 2 } },
        },
        systems: Object.fromEntries(
          systems.map((s, i) => [s, { hiding: r.hiding[i], deauthorizeTowardsPrimary: r.towardsPrimary[i] }]),
        ),
        ...(interconnects.length > 0 ? { interconnects: interconnects.map((between) => ({ between })) } : {}),
      },
      population: { users, groups: [{ id: 'g', home: sys(r.groupHome) }] },
      security: { e2ee: r.e2ee, kmsUri: r.kmsUri },
      calls: { redirectionMemory: r.memory, fileSize: '200kB' },
      timers: { hangTime: `${r.hangTime}ms` },
      timeline,
    };
  });
