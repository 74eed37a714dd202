import { z } from 'zod';
import { SweepSchema } from './sweep.ts';
import { Bandwidth, DistributionSchema, Duration, Rate } from './units.ts';

/**
 * The scenario file format (README.md, Scenario files): topology, population and timeline,
 * experiment. This one definition is the validator, the TypeScript types and (through
 * `mcsim schema`) the JSON Schema editors use.
 */

const Name = z.string().regex(/^[A-Za-z][A-Za-z0-9_-]*$/, {
  message: 'expected a name of letters, digits, "_" or "-", starting with a letter',
});
const SystemName = z
  .string()
  .regex(/^[A-Z][A-Z0-9]*$/, { message: 'expected a system name in capitals, e.g. "A" or "B2"' });

export const LinkSchema = z.strictObject({
  latency: DistributionSchema.describe('one-way delay per message'),
  bandwidth: Bandwidth.optional().describe('e.g. "10Mbps"; transmission delay = size / bandwidth'),
  loss: z.number().min(0).max(1).optional().describe('probability that one transmission attempt is lost'),
  transport: z
    .enum(['reliable', 'unreliable'])
    .optional()
    .describe('reliable (TLS/TCP, default) or unreliable (UDP with SIP retransmission)'),
});

export const ProcessingSchema = z.strictObject({
  default: DistributionSchema.optional().describe('service time of any job without its own entry'),
  workers: z.int().min(1).max(10_000).optional(),
  byKind: z
    .record(z.string(), DistributionSchema)
    .optional()
    .describe('service time per message type or task (sakke-encapsulate, eccsi-sign, eccsi-verify, sakke-decapsulate)'),
});

const ROLES = ['client', 'server', 'gateway', 'idms', 'cms', 'kms'] as const;
const ProcessingByRole = z.strictObject(
  Object.fromEntries(ROLES.map((r) => [r, ProcessingSchema.optional()])) as Record<
    (typeof ROLES)[number],
    z.ZodOptional<typeof ProcessingSchema>
  >,
);

export const SystemSchema = z.strictObject({
  hiding: z.boolean().optional().describe('topology hiding: an MC gateway server on every inter-system path'),
  access: LinkSchema.optional(),
  core: LinkSchema.optional(),
  processing: ProcessingByRole.optional(),
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
  background: z
    .strictObject({
      server: Rate.optional(),
      gateway: Rate.optional(),
      idms: Rate.optional(),
      cms: Rate.optional(),
      kms: Rate.optional(),
    })
    .optional()
    .describe('Poisson background jobs per node (service time: the node\'s "background" kind); needs experiment.until'),
});

const Topology = z.strictObject({
  systems: z
    .record(SystemName, SystemSchema)
    .refine((s) => Object.keys(s).length > 0, { message: 'expected at least one system' }),
  defaults: z
    .strictObject({
      access: LinkSchema.optional(),
      core: LinkSchema.optional(),
      interconnect: LinkSchema.optional(),
      processing: ProcessingByRole.optional(),
    })
    .optional(),
  interconnects: z
    .array(LinkSchema.partial({ latency: true }).extend({ between: z.tuple([SystemName, SystemName]) }))
    .optional(),
  links: z
    .array(LinkSchema.extend({ from: z.string(), to: z.string() }))
    .optional()
    .describe('explicit links between two named nodes, overriding the defaults'),
});

const User = z.strictObject({
  name: Name,
  primary: SystemName,
  serving: SystemName.optional().describe(
    'where the user is at t=0; another system than primary means already migrated there',
  ),
  migrationProfiles: z
    .array(z.string())
    .optional()
    .describe('migration profiles the primary permits for this user (default ["default"])'),
  migrationForbidden: z.boolean().optional(),
  groups: z.array(z.string()).optional(),
  access: LinkSchema.optional().describe(
    "the user's own access link (e.g. a wired dispatcher console) instead of its serving system's",
  ),
});

const Generate = z.strictObject({
  prefix: Name,
  count: z.int().min(1).max(1_000_000),
  primary: SystemName,
  groups: z.array(z.string()).optional(),
  migrated: z
    .strictObject({ share: z.number().min(0).max(1), to: SystemName })
    .optional()
    .describe('this share of the users (the first ones) starts migrated to `to`'),
});

const GenerateGroups = z.strictObject({
  prefix: z.string().regex(/^[A-Za-z][A-Za-z0-9_-]*$/, {
    message: 'expected a name of letters, digits, "_" or "-", starting with a letter',
  }),
  count: z.int().min(1).max(100_000),
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
  maxKrrRounds: z.int().min(0).max(10).optional(),
  staleProfileKmsUri: z
    .boolean()
    .optional()
    .describe('profiles name the home KMS of migrated users, provoking a KMS redirect (488 + KRR)'),
});

const Service = z.enum(['mcptt', 'mcvideo', 'mcdata']);
const Commencement = z.enum(['automatic', 'manual']);

const Calls = z.strictObject({
  service: Service.optional(),
  commencement: Commencement.optional(),
  floorControl: z.boolean().optional(),
  answerDelay: DistributionSchema.optional().describe('human delay before a manual answer'),
  setupTimeout: Duration.optional(),
});

const PrivateCallAction = z.strictObject({
  from: Name,
  to: Name,
  service: Service.optional(),
  commencement: Commencement.optional(),
  floorControl: z.boolean().optional(),
  hangUpAfter: Duration.optional(),
});

const Action = z.union(
  [
    z.strictObject({ at: Duration, privateCall: PrivateCallAction }),
    z.strictObject({ at: Duration, release: z.strictObject({ user: Name }) }),
    z.strictObject({
      at: Duration,
      migrate: z.strictObject({ user: Name, to: SystemName, profile: z.string().optional() }),
    }),
    z.strictObject({
      at: Duration,
      detectMigrationNeed: z.strictObject({
        user: Name,
        to: SystemName,
        profile: z.string().optional(),
        on: z
          .enum(['time', 'accessLinkDown'])
          .optional()
          .describe('time: migrate at `at`; accessLinkDown: armed at `at`, fires when the access link goes down'),
      }),
    }),
    z.strictObject({ at: Duration, accessLinkDown: z.strictObject({ user: Name }) }),
    z.strictObject({
      at: Duration,
      fault: z
        .strictObject({
          for: Duration.describe('how long the fault lasts'),
          linkDown: z.strictObject({ between: z.tuple([z.string(), z.string()]) }).optional(),
          lossBurst: z
            .strictObject({
              between: z.tuple([z.string(), z.string()]),
              p: z.number().min(0).max(1).describe('good -> bad transition probability per attempt'),
              r: z.number().min(0).max(1).describe('bad -> good transition probability per attempt'),
              lossGood: z.number().min(0).max(1).optional(),
              lossBad: z.number().min(0).max(1).optional(),
            })
            .optional()
            .describe('Gilbert-Elliott loss bursts on the link'),
          crash: z.strictObject({ node: z.string() }).optional().describe('the node crashes and restarts after `for`'),
          mute: z
            .strictObject({ node: z.string() })
            .optional()
            .describe('the node receives but does not answer (e.g. a hung KMS or CMS)'),
        })
        .refine((f) => [f.linkDown, f.lossBurst, f.crash, f.mute].filter((x) => x !== undefined).length === 1, {
          message: 'expected exactly one of linkDown, lossBurst, crash, mute',
        }),
    }),
    z.strictObject({
      at: Duration,
      privateCallLoad: z.strictObject({
        rate: Rate.describe('mean Poisson arrival rate of call attempts'),
        duration: Duration,
        users: z.array(Name).optional().describe('callers and callees; default every user'),
        service: Service.optional(),
        commencement: Commencement.optional(),
        floorControl: z.boolean().optional(),
        hangUpAfter: DistributionSchema.optional().describe(
          'holding time of each call: a duration, or a distribution such as {exponential: 90s} for Erlang traffic; default: held until the run ends',
        ),
      }),
    }),
    z.strictObject({
      at: Duration,
      groupCallLoad: z.strictObject({
        rate: Rate.describe('mean Poisson arrival rate of PTT presses'),
        duration: Duration,
        groups: z
          .array(z.string())
          .optional()
          .describe('groups called, each arrival picking one uniformly; default every group with members'),
        holdFor: DistributionSchema.describe(
          'talk burst of each press, a duration or a distribution; then the floor is released and the hang time runs',
        ),
      }),
    }),
    z.strictObject({
      at: Duration,
      groupCall: z.strictObject({
        from: Name,
        group: z.string(),
        holdFor: Duration.optional().describe(
          'the talk burst; then the floor is released and the hang time runs (default: the floor is held for good)',
        ),
      }),
    }),
    z.strictObject({ at: Duration, affiliate: z.strictObject({ user: Name, group: z.string() }) }),
    z.strictObject({ at: Duration, deaffiliate: z.strictObject({ user: Name, group: z.string() }) }),
  ],
  {
    error: () =>
      'expected a timeline action {at, privateCall | privateCallLoad | groupCallLoad | fault | release | migrate | detectMigrationNeed | accessLinkDown | groupCall | affiliate | deaffiliate}',
  },
);

const Kpi = z.strictObject({
  id: z.string(),
  metric: z.string(),
  percentile: z.number().gt(0).max(100).optional(),
  limit: Duration,
});

const Variant = z.strictObject({
  name: Name,
  description: z.string().optional(),
  set: z.record(z.string(), z.unknown()).optional().describe('parameter overrides: dotted path -> value'),
});

const Experiment = z.strictObject({
  runs: z.int().min(1).max(1_000_000).optional(),
  seed: z.union([z.int(), z.string()]).optional(),
  until: Duration.optional().describe('simulated time limit of one replication'),
  variants: z.array(Variant).optional(),
  kpis: z.array(Kpi).optional(),
  standardKpis: z
    .boolean()
    .optional()
    .describe('judge the MCPTT KPIs 1, 2 and 4 of TS 22.179 on the metrics measured (default true)'),
  compare: z
    .array(z.strictObject({ a: Name, b: Name }))
    .optional()
    .describe('variant pairs to compare (b - a)'),
  sweep: SweepSchema.optional(),
});

export const ScenarioSchema = z.strictObject({
  name: z.string().optional(),
  description: z.string().optional(),
  topology: Topology,
  population: z
    .strictObject({
      users: z.array(User).optional(),
      generate: z.array(Generate).optional().describe('users made in bulk: prefix0, prefix1, ...'),
      groups: z.array(z.strictObject({ id: z.string(), home: SystemName })).optional(),
      generateGroups: z
        .array(GenerateGroups)
        .optional()
        .describe('groups made in bulk: prefix0, prefix1, ..., with members drawn from generated users'),
    })
    .refine((p) => (p.users?.length ?? 0) + (p.generate?.length ?? 0) > 0, {
      message: 'expected at least one user (users or generate)',
    }),
  security: Security.optional(),
  calls: Calls.optional(),
  timers: z
    .strictObject({
      transaction: Duration.optional().describe('guard timer of every request/response exchange (default 10s)'),
      interruption: Duration.optional().describe('longest wait for service to resume after a migration (default 60s)'),
      hangTime: Duration.optional().describe(
        'how long the floor of a group call stays idle before its controlling server releases the call (default 5s)',
      ),
    })
    .optional(),
  messageSizes: z
    .record(z.string(), z.int().min(1))
    .optional()
    .describe('bytes per message type, overriding the defaults'),
  timeline: z.array(Action).optional(),
  experiment: Experiment.optional(),
});

export type Scenario = z.infer<typeof ScenarioSchema>;
export type LinkInput = z.infer<typeof LinkSchema>;
export type ProcessingInput = z.infer<typeof ProcessingSchema>;
