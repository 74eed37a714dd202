import { z } from 'zod';
import { NamedSweepSchema, SweepSchema } from '../sweep.ts';
import {
  Commencement,
  DataCommunication,
  FileSize,
  Name,
  Service,
  SystemName,
  TimelineActionSchema,
} from './timeline.ts';
import { DistributionSchema, Duration, NoneOrDuration } from './units.ts';
import { LinkSchema, RrcSchema, Topology } from './topology.ts';

/**
 * The scenario file format (docs/scenario-guide.md): topology, population, timeline, experiment.
 * This one definition is the validator, the TypeScript types, the JSON Schema editors use (through
 * `mcsim schema`) and, through its descriptions, docs/scenario-reference.md.
 */

/** Reference profiles (src/scenario/profiles.ts holds their values, docs/profiles.md their sources). */
export const ProfileName = z.enum(['generic', 'lte-public-safety', '5g-sa', '5g-urllc', 'satellite-backhaul', 'lab']);

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
  mcdata: DataCommunication.optional().describe(
    'the kind of MCData communication of calls that do not name one (default sds)',
  ),
  fileSize: FileSize.optional(),
  redirectionMemory: NoneOrDuration.optional().describe(
    "how long a caller keeps a migrated callee's partner ID after a redirection and calls it directly (default none)",
  ),
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
export type { LinkInput, ProcessingInput, RrcInput } from './topology.ts';
export type ProfileName = z.infer<typeof ProfileName>;

/** JSON Schema (draft 2020-12) of scenario files: what `mcsim schema` prints, and docs/scenario-reference.md is made from. */
export const scenarioJsonSchema = (): unknown =>
  z.toJSONSchema(ScenarioSchema, { io: 'input', unrepresentable: 'any' });
