import { z } from 'zod';
import { DistributionSchema, Duration, Rate } from './units.ts';

/** The timeline's actions in scenario files, and the names they use (schema.ts holds the rest of the format). */

export const Name = z.string().regex(/^[A-Za-z][A-Za-z0-9_-]*$/, {
  message: 'expected a name of letters, digits, "_" or "-", starting with a letter',
});
export const SystemName = z
  .string()
  .regex(/^[A-Z][A-Z0-9]*$/, { message: 'expected a system name in capitals, e.g. "A" or "B2"' });

export const Service = z.enum(['mcptt', 'mcvideo', 'mcdata']);
export const Commencement = z.enum(['automatic', 'manual']);

const PrivateCallAction = z.strictObject({
  from: Name,
  to: Name,
  service: Service.optional(),
  commencement: Commencement.optional(),
  floorControl: z.boolean().optional(),
  hangUpAfter: Duration.optional(),
});

/** A name for a timeline action, so that a variant can drop it or change it (`timeline[#id]`). */
const ActionId = Name.optional().describe(
  'a name for the action: a variant drops it by name, a path reaches it as timeline[#name]',
);

export const TimelineActionSchema = z.union(
  [
    z.strictObject({ id: ActionId, at: Duration, privateCall: PrivateCallAction }),
    z.strictObject({ id: ActionId, at: Duration, release: z.strictObject({ user: Name }) }),
    z.strictObject({
      id: ActionId,
      at: Duration,
      migrate: z.strictObject({ user: Name, to: SystemName, profile: z.string().optional() }),
    }),
    z.strictObject({
      id: ActionId,
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
    z.strictObject({ id: ActionId, at: Duration, accessLinkDown: z.strictObject({ user: Name }) }),
    z.strictObject({
      id: ActionId,
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
      id: ActionId,
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
      id: ActionId,
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
      id: ActionId,
      at: Duration,
      groupCall: z.strictObject({
        from: Name,
        group: z.string(),
        holdFor: Duration.optional().describe(
          'the talk burst; then the floor is released and the hang time runs (default: the floor is held for good)',
        ),
      }),
    }),
    z.strictObject({ id: ActionId, at: Duration, affiliate: z.strictObject({ user: Name, group: z.string() }) }),
    z.strictObject({ id: ActionId, at: Duration, deaffiliate: z.strictObject({ user: Name, group: z.string() }) }),
  ],
  {
    error: () =>
      'expected a timeline action {at, privateCall | privateCallLoad | groupCallLoad | fault | release | migrate | detectMigrationNeed | accessLinkDown | groupCall | affiliate | deaffiliate}',
  },
);
