import { z } from 'zod';
import { parseDuration } from '../../kernel/index.ts';
import { SystemName } from './timeline.ts';
import { Bandwidth, DistributionSchema, Duration, Rate } from './units.ts';

/** The topology part of scenario files: systems, links, radio state, processing, background load. */

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

export const Topology = z.strictObject({
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

export type LinkInput = z.infer<typeof LinkSchema>;
export type ProcessingInput = z.infer<typeof ProcessingSchema>;
export type RrcInput = Exclude<z.infer<typeof RrcSchema>, false>;
