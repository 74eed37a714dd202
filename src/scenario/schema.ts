import { z } from 'zod';
import { SweepSchema } from './sweep.ts';
import {
  Commencement,
  DataCommunication,
  FileSize,
  Name,
  Service,
  SystemName,
  TimelineActionSchema,
} from './schema-timeline.ts';
import { Bandwidth, DistributionSchema, Duration, NoneOrDuration, Rate } from './units.ts';

/**
 * The scenario file format (README.md, Scenario files): topology, population and timeline,
 * experiment. This one definition is the validator, the TypeScript types and (through
 * `mcsim schema`) the JSON Schema editors use.
 */

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
  kmsUri: z
    .enum(['redirection', 'lookup', 'profile'])
    .optional()
    .describe(
      "where a caller finds a migrated callee's KMS URI: in the redirection (TS 23.280 table 10.16.5.2-1, default), by a KMS discovery lookup (TS 33.180 D.2.7), or preconfigured in the caller's profile; overrides kmsUriInRedirection",
    ),
  kmsUriInRedirection: z
    .boolean()
    .optional()
    .describe(
      "the primary puts the migrated callee's KMS URI in the private call redirection (TS 23.280 table 10.16.5.2-1; default true); false is kmsUri: lookup",
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

const Calls = z.strictObject({
  service: Service.optional(),
  commencement: Commencement.optional(),
  floorControl: z.boolean().optional(),
  mcdata: DataCommunication.optional(),
  fileSize: FileSize.optional(),
  redirectionMemory: NoneOrDuration.optional().describe(
    "how long a caller keeps a migrated callee's partner ID after a redirection and calls it directly (default none)",
  ),
  answerDelay: DistributionSchema.optional().describe('human delay before a manual answer'),
  setupTimeout: Duration.optional(),
});

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
  timeline: z.array(TimelineActionSchema).optional(),
  experiment: Experiment.optional(),
});

export type Scenario = z.infer<typeof ScenarioSchema>;
export type LinkInput = z.infer<typeof LinkSchema>;
export type ProcessingInput = z.infer<typeof ProcessingSchema>;
