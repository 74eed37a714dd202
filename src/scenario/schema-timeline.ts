import { z } from 'zod';
import { Bytes, DistributionSchema, Duration, Rate } from './units.ts';

/** The timeline's actions in scenario files, and the names they use (schema.ts holds the rest of the format). */

export const Name = z.string().regex(/^[A-Za-z][A-Za-z0-9_-]*$/, {
  message: 'expected a name of letters, digits, "_" or "-", starting with a letter',
});
export const SystemName = z
  .string()
  .regex(/^[A-Z][A-Z0-9]*$/, { message: 'expected a system name in capitals, e.g. "A" or "B2"' });

export const Service = z.enum(['mcptt', 'mcvideo', 'mcdata']);
export const Commencement = z.enum(['automatic', 'manual']);
export const DataCommunication = z
  .enum(['sds', 'sds-session', 'fd-http', 'fd-media', 'ipcon'])
  .describe(
    'what an MCData call is (TS 23.282): sds (standalone, 7.4.2.2), sds-session (7.4.2.5), fd-http or fd-media (file distribution, 7.5.2.4 / 7.5.2.5), ipcon (point-to-point IP connectivity, 7.14.2.2)',
  );
export const FileSize = Bytes.describe('size of the file a file distribution sends, e.g. "2MB"');

const PrivateCallAction = z.strictObject({
  from: Name,
  to: Name,
  service: Service.optional(),
  commencement: Commencement.optional(),
  floorControl: z.boolean().optional(),
  mcdata: DataCommunication.optional(),
  fileSize: FileSize.optional(),
  hangUpAfter: Duration.optional(),
});

export const TimelineActionSchema = z.union(
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
        mcdata: DataCommunication.optional(),
        fileSize: FileSize.optional(),
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
