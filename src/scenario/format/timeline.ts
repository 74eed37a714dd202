import { z } from 'zod';
import { Bytes, DistributionSchema, Duration, Rate } from './units.ts';

/** The timeline's actions in scenario files, and the names they use (scenario.ts holds the rest of the format). */

export const Name = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_-]*$/, {
    message: 'expected a name of letters, digits, "_" or "-", starting with a letter',
  })
  .meta({ id: 'Name', description: 'letters, digits, "_" and "-", starting with a letter: "alice", "ff-12"' });
export const SystemName = z
  .string()
  .regex(/^[A-Z][A-Z0-9]*$/, { message: 'expected a system name in capitals, e.g. "A" or "B2"' })
  .meta({
    id: 'SystemName',
    description:
      'an MC system: capitals and digits, starting with a capital, e.g. "A", "B2"; its nodes are serverA, gatewayA, idmsA, cmsA, kmsA',
  });

export const Service = z
  .enum(['mcptt', 'mcvideo', 'mcdata'])
  .meta({ id: 'Service', description: 'the MC service of a call: mcptt (voice), mcvideo or mcdata' });
export const Commencement = z.enum(['automatic', 'manual']).meta({
  id: 'Commencement',
  description: 'automatic: the callee answers at once; manual: after calls.answerDelay (a human)',
});
export const DataCommunication = z.enum(['sds', 'sds-session', 'fd-http', 'fd-media', 'ipcon']).meta({
  id: 'DataCommunication',
  description:
    'what an MCData call is (TS 23.282): sds (standalone, 7.4.2.2), sds-session (7.4.2.5), fd-http or fd-media (file distribution, 7.5.2.4 / 7.5.2.5), ipcon (point-to-point IP connectivity, 7.14.2.2)',
});
export const FileSize = Bytes.describe('size of the file a file distribution sends, e.g. "2MB"');

const At = Duration.describe('when, from the start of the replication');
const User = Name.describe('the user');

/** What a call is, where a call or a load of calls names it; each defaults to its `calls` entry. */
const CallChoices = {
  service: Service.optional().describe('default: calls.service'),
  commencement: Commencement.optional().describe('default: calls.commencement'),
  floorControl: z.boolean().optional().describe('default: calls.floorControl'),
  mcdata: DataCommunication.optional().describe(
    'with service mcdata, the kind of communication (default: calls.mcdata)',
  ),
  fileSize: FileSize.optional(),
};

const PrivateCallAction = z
  .strictObject({
    from: Name.describe('the caller'),
    to: Name.describe("the callee, by its primary MC service ID (a migrated callee's primary redirects the call)"),
    ...CallChoices,
    hangUpAfter: Duration.optional().describe('the caller releases the call this long after it is set up'),
  })
  .describe('a private call (MCPTT 23.379 10.7.2.2, MCVideo 23.281 7.2.2, MCData SDS 23.282 7.4.2.2)');

const Between = z
  .tuple([z.string(), z.string()])
  .describe('the link: two nodes (serverA, gatewayB, kmsC, ...) or a user and a node');
const Node = z.string().describe('a system node: serverA, gatewayA, idmsA, cmsA or kmsA');
const Group = z.string().describe('the group');

/** A name for a timeline action, so that a variant can drop it or change it (`timeline[#id]`). */
const ActionId = Name.optional().describe(
  'a name for the action: a variant drops it by name, a path reaches it as timeline[#name]',
);

export const TimelineActionSchema = z.union(
  [
    z.strictObject({ id: ActionId, at: At, privateCall: PrivateCallAction }),
    z.strictObject({
      id: ActionId,
      at: At,
      release: z.strictObject({ user: User }).describe('the user releases its ongoing private calls'),
    }),
    z.strictObject({
      id: ActionId,
      at: At,
      migrate: z
        .strictObject({
          user: User,
          to: SystemName.describe('the partner system, or the primary to come home'),
          profile: z.string().optional().describe('the migration profile asked for (default "default")'),
        })
        .describe(
          'the user migrates: authorization at the partner (23.280 10.6.3.3) or de-authorization home (10.6.3.4)',
        ),
    }),
    z.strictObject({
      id: ActionId,
      at: At,
      detectMigrationNeed: z
        .strictObject({
          user: User,
          to: SystemName.describe('the system to migrate to'),
          profile: z.string().optional().describe('the migration profile asked for (default "default")'),
          on: z
            .enum(['time', 'accessLinkDown'])
            .optional()
            .describe('time: migrate at `at`; accessLinkDown: armed at `at`, fires when the access link goes down'),
        })
        .describe(
          'the UE detects it must migrate; with on: accessLinkDown it attaches to the new system first and releases in the old one from there',
        ),
    }),
    z.strictObject({
      id: ActionId,
      at: At,
      accessLinkDown: z
        .strictObject({ user: User })
        .describe("the user's access to its serving system goes down for good"),
    }),
    z.strictObject({
      id: ActionId,
      at: At,
      fault: z
        .strictObject({
          for: Duration.describe('how long the fault lasts'),
          linkDown: z
            .strictObject({ between: Between })
            .optional()
            .describe('every transmission attempt on the link is lost'),
          lossBurst: z
            .strictObject({
              between: Between,
              p: z.number().min(0).max(1).describe('good -> bad transition probability per attempt'),
              r: z.number().min(0).max(1).describe('bad -> good transition probability per attempt'),
              lossGood: z.number().min(0).max(1).optional().describe('loss probability in the good state (default 0)'),
              lossBad: z.number().min(0).max(1).optional().describe('loss probability in the bad state (default 1)'),
            })
            .optional()
            .describe('Gilbert-Elliott loss bursts on the link'),
          crash: z.strictObject({ node: Node }).optional().describe('the node crashes and restarts after `for`'),
          mute: z
            .strictObject({ node: Node })
            .optional()
            .describe('the node receives but does not answer (e.g. a hung KMS or CMS)'),
        })
        .refine((f) => [f.linkDown, f.lossBurst, f.crash, f.mute].filter((x) => x !== undefined).length === 1, {
          message: 'expected exactly one of linkDown, lossBurst, crash, mute',
        })
        .describe('a fault that lasts `for`: exactly one of linkDown, lossBurst, crash, mute'),
    }),
    z.strictObject({
      id: ActionId,
      at: At,
      privateCallLoad: z
        .strictObject({
          rate: Rate.describe('mean Poisson arrival rate of call attempts'),
          duration: Duration.describe('how long calls keep arriving'),
          users: z.array(Name).optional().describe('callers and callees; default every user'),
          ...CallChoices,
          hangUpAfter: DistributionSchema.optional().describe(
            'holding time of each call: a duration, or a distribution such as {exponential: 90s} for Erlang traffic; default: held until the run ends',
          ),
        })
        .describe('Poisson private call attempts between random pairs of users, each a private_call.setup sample'),
    }),
    z.strictObject({
      id: ActionId,
      at: At,
      groupCallLoad: z
        .strictObject({
          rate: Rate.describe('mean Poisson arrival rate of PTT presses'),
          duration: Duration.describe('how long presses keep arriving'),
          groups: z
            .array(z.string())
            .optional()
            .describe('groups called, each arrival picking one uniformly; default every group with members'),
          holdFor: DistributionSchema.describe(
            'talk burst of each press, a duration or a distribution; then the floor is released and the hang time runs',
          ),
        })
        .describe('Poisson PTT presses: each picks a group, then one of its members, uniformly'),
    }),
    z.strictObject({
      id: ActionId,
      at: At,
      groupCall: z
        .strictObject({
          from: Name.describe('the user who presses PTT'),
          group: z.string().describe('the group called'),
          holdFor: Duration.optional().describe(
            'the talk burst; then the floor is released and the hang time runs (default: the floor is held for good)',
          ),
        })
        .describe(
          'a PTT press on a group (23.379 10.6.2.3.1.1.2): sets up the group call, or joins or asks the floor of the ongoing one',
        ),
    }),
    z.strictObject({
      id: ActionId,
      at: At,
      affiliate: z
        .strictObject({ user: User, group: Group })
        .describe('the user affiliates to the group at its serving system (23.280 10.8.3)'),
    }),
    z.strictObject({
      id: ActionId,
      at: At,
      deaffiliate: z.strictObject({ user: User, group: Group }).describe('the user leaves the group (23.280 10.8.4)'),
    }),
  ],
  {
    error: () =>
      'expected a timeline action {at, privateCall | privateCallLoad | groupCallLoad | fault | release | migrate | detectMigrationNeed | accessLinkDown | groupCall | affiliate | deaffiliate}',
  },
);
