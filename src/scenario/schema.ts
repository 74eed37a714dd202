import { z } from 'zod';
import { parseDuration } from '../kernel/index.ts';
import { NamedSweepSchema, SweepSchema } from './sweep.ts';
import { Commencement, Name, Service, SystemName, TimelineActionSchema } from './schema-timeline.ts';
import { Bandwidth, DistributionSchema, Duration, Rate } from './units.ts';

/**
 * The scenario file format (README.md, Scenario files): topology, population and timeline,
 * experiment. This one definition is the validator, the TypeScript types and (through
 * `mcsim schema`) the JSON Schema editors use.
 */

export const LinkSchema = z
  .strictObject({
    latency: DistributionSchema.describe('one-way delay per message'),
    bandwidth: Bandwidth.optional().describe('e.g. "10Mbps"; transmission delay = size / bandwidth'),
    loss: z.number().min(0).max(1).optional().describe('probability that one transmission attempt is lost'),
    transport: z
      .enum(['reliable', 'unreliable'])
      .optional()
      .describe('reliable (TLS/TCP, default) or unreliable (UDP with SIP retransmission)'),
  })
  .meta({
    id: 'Link',
    description: 'a link between two nodes: every message sent on it takes latency + size / bandwidth',
  });

/** A duration above zero; one that does not parse is reported by Duration's own check. */
const PositiveDuration = Duration.refine(
  (d) => {
    try {
      return parseDuration(d) > 0;
    } catch {
      return true;
    }
  },
  { message: 'expected a positive duration' },
);

export const RrcSchema = z
  .union([
    z.literal(false),
    z.strictObject({
      inactivity: PositiveDuration.optional().describe('connected this long after the last message, then idle'),
      pagingCycle: PositiveDuration.optional().describe(
        'one paging occasion per cycle: 0.32s, 0.64s, 1.28s or 2.56s in LTE',
      ),
      setup: DistributionSchema.optional().describe('RRC connection set-up of an idle UE'),
      resume: DistributionSchema.optional().describe(
        'RRC resume of an inactive UE (5G RRC_INACTIVE), instead of set-up',
      ),
    }),
  ])
  .meta({
    id: 'Rrc',
    description:
      'radio state of an access (false: none): an idle UE is paged at its next paging occasion and sets up a connection before its first message; fields left out take the lte-public-safety values',
  });

/** Reference profiles (src/scenario/profiles.ts holds their values, docs/profiles.md their sources). */
export const ProfileName = z.enum(['generic', 'lte-public-safety', '5g-sa', '5g-urllc', 'satellite-backhaul', 'lab']);

export const ProcessingSchema = z
  .strictObject({
    default: DistributionSchema.optional().describe('service time of any job without its own entry'),
    workers: z
      .int()
      .min(1)
      .max(10_000)
      .optional()
      .describe('jobs served at once; the others wait in a first-come first-served queue (default 1)'),
    byKind: z
      .record(z.string(), DistributionSchema)
      .optional()
      .describe(
        'service time per message type or task (sakke-encapsulate, eccsi-sign, eccsi-verify, sakke-decapsulate)',
      ),
  })
  .meta({ id: 'Processing', description: 'how long a node takes per job, and how many jobs it serves at once' });

const ROLES = ['client', 'server', 'gateway', 'idms', 'cms', 'kms'] as const;
const ROLE_TEXT: Record<(typeof ROLES)[number], string> = {
  client: "each UE's MC client (its SAKKE and ECCSI work too)",
  server: 'the MC server (MCPTT, MCVideo and MCData server functions)',
  gateway: 'the MC gateway server, present with hiding: true',
  idms: 'the identity management server (migration authorization tokens)',
  cms: 'the configuration management server (user and migration profiles)',
  kms: 'the key management server (TS 33.180)',
};
const ProcessingByRole = z
  .strictObject(
    Object.fromEntries(ROLES.map((r) => [r, ProcessingSchema.optional().describe(ROLE_TEXT[r])])) as Record<
      (typeof ROLES)[number],
      z.ZodOptional<typeof ProcessingSchema>
    >,
  )
  .meta({
    id: 'ProcessingByRole',
    description: 'processing per node role: the UEs (client), the MC server, MC gateway server, IdMS, CMS and KMS',
  });

/** Poisson background jobs per node role: the rest of the traffic a real server carries. */
const Background = z
  .strictObject({
    server: Rate.optional().describe('background jobs at the MC server'),
    gateway: Rate.optional().describe('background jobs at the MC gateway server (systems with hiding)'),
    idms: Rate.optional().describe('background jobs at the identity management server'),
    cms: Rate.optional().describe('background jobs at the configuration management server'),
    kms: Rate.optional().describe('background jobs at the key management server'),
  })
  .meta({
    id: 'Background',
    description:
      "Poisson arrivals of background jobs at each node of a role: the rest of the traffic a real server carries; their service time is the node's processing byKind.background (else its default)",
  });

export const SystemSchema = z.strictObject({
  hiding: z.boolean().optional().describe('topology hiding: an MC gateway server on every inter-system path'),
  access: LinkSchema.optional().describe("access links of this system's clients (over the topology defaults)"),
  rrc: RrcSchema.optional().describe("radio state of this system's accesses (false: none)"),
  core: LinkSchema.optional().describe("links between this system's own nodes"),
  processing: ProcessingByRole.optional().describe("this system's processing, role by role, over the defaults"),
  acceptsMigrantsFrom: z
    .array(SystemName)
    .optional()
    .describe('partner initial check (10.6.3.3.1 step 2); default: every interconnected system'),
  allowsMigrationTo: z
    .array(SystemName)
    .optional()
    .describe("primary's check (step 6); default: every interconnected system"),
  permittedKms: z
    .array(SystemName)
    .optional()
    .describe('external KMSs whose certificates this KMS holds; default: every interconnected system'),
  deauthorizeTowardsPrimary: z
    .boolean()
    .optional()
    .describe('send the optional de-authorization steps 3-10 to the primary (default true)'),
  background: Background.optional().describe(
    'Poisson background jobs per node (service time: the node\'s "background" kind); needs experiment.until',
  ),
});

const Topology = z.strictObject({
  systems: z
    .record(SystemName, SystemSchema)
    .refine((s) => Object.keys(s).length > 0, { message: 'expected at least one system' })
    .describe('the MC systems by name, at least one; each has an MC server, IdMS, CMS and KMS'),
  defaults: z
    .strictObject({
      access: LinkSchema.optional().describe('access links of every system unless it says otherwise'),
      rrc: RrcSchema.optional().describe("radio state of every system's accesses unless it says otherwise"),
      core: LinkSchema.optional().describe('links inside every system unless it says otherwise'),
      interconnect: LinkSchema.optional().describe('the links of interconnects that give no latency of their own'),
      processing: ProcessingByRole.optional().describe('processing of every system unless it says otherwise'),
      background: Background.optional().describe("every system's background load, unless the system sets its own"),
    })
    .optional()
    .describe('links, radio state, processing and load for every system unless the system sets its own'),
  interconnects: z
    .array(
      LinkSchema.partial({ latency: true }).extend({
        between: z.tuple([SystemName, SystemName]).describe('the two systems joined'),
      }),
    )
    .optional()
    .describe(
      'which systems are joined (servers, or gateways with hiding); latency defaults to defaults.interconnect; without an interconnect two systems cannot reach each other',
    ),
  links: z
    .array(
      LinkSchema.extend({
        from: z.string().describe('a node (serverA, gatewayA, idmsA, cmsA, kmsA) or a user'),
        to: z.string().describe('the node or user at the other end'),
      }),
    )
    .optional()
    .describe('explicit links between two named nodes, overriding the defaults'),
});

const User = z.strictObject({
  name: Name.describe('the user (its MC service ID in results and traces)'),
  primary: SystemName.describe("the MC system that holds the user's subscription"),
  serving: SystemName.optional().describe(
    'where the user is at t=0; another system than primary means already migrated there',
  ),
  migrationProfiles: z
    .array(z.string())
    .optional()
    .describe('migration profiles the primary permits for this user (default ["default"])'),
  migrationForbidden: z.boolean().optional().describe("the primary refuses this user's migrations (default false)"),
  groups: z.array(z.string()).optional().describe('groups the user is affiliated to at the start'),
  access: LinkSchema.optional().describe(
    "the user's own access link (e.g. a wired dispatcher console) instead of its serving system's",
  ),
  rrc: RrcSchema.optional().describe("the UE's own radio state; a user with its own access has none unless given"),
});

const Generate = z.strictObject({
  prefix: Name.describe('the users are named prefix0, prefix1, ...'),
  count: z.int().min(1).max(1_000_000).describe('how many users'),
  primary: SystemName.describe('their primary MC system'),
  groups: z.array(z.string()).optional().describe('groups every one of them is affiliated to at the start'),
  migrated: z
    .strictObject({
      share: z.number().min(0).max(1).describe('the fraction of the block, 0 to 1'),
      to: SystemName.describe('the partner system they are migrated to'),
    })
    .optional()
    .describe('this share of the users (the first ones) starts migrated to `to`'),
});

const GenerateGroups = z.strictObject({
  prefix: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9_-]*$/, {
      message: 'expected a name of letters, digits, "_" or "-", starting with a letter',
    })
    .describe('the groups are named prefix0, prefix1, ...'),
  count: z.int().min(1).max(100_000).describe('how many groups'),
  home: SystemName.describe('the system whose GMS defines the groups'),
  membersFrom: z
    .array(Name)
    .min(1)
    .describe(
      'generate prefixes whose users are dealt round-robin: user j of these blocks, in order, joins group j mod count',
    ),
});

const Security = z.strictObject({
  e2ee: z.boolean().optional().describe('end-to-end encryption of private calls (TS 33.180)'),
  kmsUriInRedirection: z
    .boolean()
    .optional()
    .describe(
      "the primary puts the migrated callee's KMS URI in the private call redirection (TS 23.280 table 10.16.5.2-1; default true)",
    ),
  cachedCertificates: z
    .array(SystemName)
    .optional()
    .describe('systems whose KMS certificates every client holds from the start besides its home KMS (default: all)'),
  kmsLookupFederated: z
    .boolean()
    .optional()
    .describe("a Home KMS asks the KMS of the target's domain during a lookup, across the interconnect (default true)"),
  maxKrrRounds: z
    .int()
    .min(0)
    .max(10)
    .optional()
    .describe('KMS redirect answers (488 with a KRR) a call follows before it ends krr-exhausted (default 2)'),
  staleProfileKmsUri: z
    .boolean()
    .optional()
    .describe('profiles name the home KMS of migrated users, provoking a KMS redirect (488 + KRR)'),
});

const Calls = z.strictObject({
  service: Service.optional().describe('service of calls that do not name one (default mcptt)'),
  commencement: Commencement.optional().describe('commencement mode of calls that do not name one (default automatic)'),
  floorControl: z
    .boolean()
    .optional()
    .describe('private calls with floor control: set-up ends at the floor grant too (default true)'),
  answerDelay: DistributionSchema.optional().describe('human delay before a manual answer'),
  setupTimeout: Duration.optional().describe(
    'a call not set up this long after the press ends timeout, at the caller and at every server (default 20s)',
  ),
});

const Kpi = z.strictObject({
  id: z.string().describe('the name shown in verdicts, e.g. KPI2'),
  metric: z.string().describe('a metric of the results, e.g. private_call.setup'),
  percentile: z.number().gt(0).max(100).optional().describe('the percentile judged (default 95)'),
  limit: Duration.describe('the KPI passes when the percentile is below this'),
});

const Variant = z.strictObject({
  name: Name.describe('the variant, as results and --variant name it'),
  description: z.string().optional().describe('one line shown with the results'),
  set: z.record(z.string(), z.unknown()).optional().describe('parameter overrides: dotted path -> value'),
  drop: z.array(Name).optional().describe('timeline actions (by their id) this variant leaves out'),
});

const Experiment = z.strictObject({
  runs: z
    .int()
    .min(1)
    .max(1_000_000)
    .optional()
    .describe('replications per variant and sweep point (default 1; --runs overrides)'),
  seed: z
    .union([z.int(), z.string()])
    .optional()
    .describe('the run seed, a number or text (default 1): the same seed gives the same results'),
  until: Duration.optional().describe('simulated time limit of one replication'),
  variants: z
    .array(Variant)
    .optional()
    .describe('named sets of overrides, run on the same random numbers; without variants there is one, "default"'),
  kpis: z
    .array(Kpi)
    .optional()
    .describe('limits judged on every variant: the metric at the percentile must stay below the limit'),
  standardKpis: z
    .boolean()
    .optional()
    .describe('judge the MCPTT KPIs 1, 2 and 4 of TS 22.179 on the metrics measured (default true)'),
  compare: z
    .array(z.strictObject({ a: Name, b: Name }))
    .optional()
    .describe('variant pairs to compare (b - a)'),
  sweep: SweepSchema.optional().describe(
    'parameter path -> list of values or {from, to, step}; the points are the cartesian product',
  ),
  sweeps: z
    .record(Name, NamedSweepSchema)
    .optional()
    .describe(
      'named sweeps, run one after the other: each varies some parameters (vary) and moves others together (zip)',
    ),
});

export const ScenarioSchema = z.strictObject({
  name: z.string().optional().describe('shown in results (default: the file path as given)'),
  description: z.string().optional().describe('one line, shown by mcsim list and in reports'),
  profile: ProfileName.optional().describe(
    'reference delays set at once; the scenario overrides them (default generic)',
  ),
  topology: Topology.describe('the MC systems, their links, processing and load'),
  population: z
    .strictObject({
      users: z.array(User).optional().describe('users one by one'),
      generate: z.array(Generate).optional().describe('users made in bulk: prefix0, prefix1, ...'),
      groups: z
        .array(
          z.strictObject({
            id: z.string().describe('the group (its MC group ID)'),
            home: SystemName.describe('the system whose group management server defines it'),
          }),
        )
        .optional()
        .describe('groups one by one'),
      generateGroups: z
        .array(GenerateGroups)
        .optional()
        .describe('groups made in bulk: prefix0, prefix1, ..., with members drawn from generated users'),
    })
    .refine((p) => (p.users?.length ?? 0) + (p.generate?.length ?? 0) > 0, {
      message: 'expected at least one user (users or generate)',
    })
    .describe('the users and groups, at least one user'),
  security: Security.optional().describe('end-to-end encryption and key management'),
  calls: Calls.optional().describe('defaults for every call of the timeline'),
  timers: z
    .strictObject({
      transaction: Duration.optional().describe('guard timer of every request/response exchange (default 10s)'),
      interruption: Duration.optional().describe('longest wait for service to resume after a migration (default 60s)'),
      hangTime: Duration.optional().describe(
        'how long the floor of a group call stays idle before its controlling server releases the call (default 5s)',
      ),
    })
    .optional()
    .describe('guard timers'),
  messageSizes: z
    .record(z.string(), z.int().min(1))
    .optional()
    .describe('bytes per message type, overriding the defaults'),
  timeline: z
    .array(TimelineActionSchema)
    .optional()
    .describe('timed actions; each happens at its `at`, a duration from the start of the replication'),
  experiment: Experiment.optional().describe('replications, seed, variants, KPIs and sweeps'),
});

export type Scenario = z.infer<typeof ScenarioSchema>;
export type LinkInput = z.infer<typeof LinkSchema>;
export type ProcessingInput = z.infer<typeof ProcessingSchema>;
export type RrcInput = Exclude<z.infer<typeof RrcSchema>, false>;
export type ProfileName = z.infer<typeof ProfileName>;
