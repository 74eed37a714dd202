import { parseDuration, type Micros } from '../kernel/index.ts';
import type { Action, DataCommunication } from '../mc/config.ts';
import type { Scenario } from './format/scenario.ts';
import { parseBytes, parseRate, toDistribution } from './format/quantities.ts';

/** The calls' defaults a timeline action falls back on. */
export interface CallDefaultsInput {
  service: string;
  commencement: string;
  floorControl: boolean;
  mcdata: DataCommunication;
  fileSize: string;
}

/** For an MCData call: the communication it is and, for a file distribution, the file's size. */
function dataOf(
  service: string,
  own: { mcdata?: DataCommunication | undefined; fileSize?: string | undefined },
  calls: CallDefaultsInput,
): { data?: DataCommunication; fileBytes?: number } {
  if (service !== 'mcdata') return {};
  const data = own.mcdata ?? calls.mcdata;
  return data === 'fd-http' || data === 'fd-media'
    ? { data, fileBytes: parseBytes(own.fileSize ?? calls.fileSize) }
    : { data };
}

/** One timeline action of a validated scenario, as the model runs it. */
export function action(a: NonNullable<Scenario['timeline']>[number], calls: CallDefaultsInput): Action {
  const at: Micros = parseDuration(a.at);
  if ('privateCall' in a) {
    const p = a.privateCall;
    return {
      kind: 'privateCall',
      at,
      from: p.from,
      to: p.to,
      service: (p.service ?? calls.service) as Action & { kind: 'privateCall' } extends { service: infer S }
        ? S
        : never,
      commencement: (p.commencement ?? calls.commencement) as 'automatic' | 'manual',
      floorControl: p.floorControl ?? calls.floorControl,
      ...dataOf(p.service ?? calls.service, p, calls),
      ...(p.hangUpAfter === undefined ? {} : { hangUpAfter: parseDuration(p.hangUpAfter) }),
    };
  }
  if ('release' in a) return { kind: 'release', at, user: a.release.user };
  if ('fault' in a) {
    const f = a.fault;
    const duration = parseDuration(f.for);
    if (f.linkDown) return { kind: 'fault', at, duration, fault: { type: 'linkDown', between: f.linkDown.between } };
    if (f.lossBurst) {
      const l = f.lossBurst;
      return {
        kind: 'fault',
        at,
        duration,
        fault: {
          type: 'lossBurst',
          between: l.between,
          burst: { p: l.p, r: l.r, lossGood: l.lossGood ?? 0, lossBad: l.lossBad ?? 1 },
        },
      };
    }
    if (f.crash) return { kind: 'fault', at, duration, fault: { type: 'crash', node: f.crash.node } };
    return { kind: 'fault', at, duration, fault: { type: 'mute', node: (f.mute as { node: string }).node } };
  }
  if ('accessLinkDown' in a) return { kind: 'accessLinkDown', at, user: a.accessLinkDown.user };
  if ('detectMigrationNeed' in a) {
    const d = a.detectMigrationNeed;
    return {
      kind: d.on === 'accessLinkDown' ? 'migrateOnAccessLoss' : 'migrate',
      at,
      user: d.user,
      to: d.to,
      profile: d.profile ?? 'default',
    };
  }
  if ('privateCallLoad' in a) {
    const l = a.privateCallLoad;
    return {
      kind: 'privateCallLoad',
      at,
      rate: parseRate(l.rate),
      duration: parseDuration(l.duration),
      users: l.users ?? [],
      service: (l.service ?? calls.service) as 'mcptt',
      commencement: (l.commencement ?? calls.commencement) as 'automatic' | 'manual',
      floorControl: l.floorControl ?? calls.floorControl,
      ...dataOf(l.service ?? calls.service, l, calls),
      ...(l.hangUpAfter === undefined ? {} : { hangUpAfter: toDistribution(l.hangUpAfter) }),
    };
  }
  if ('groupCallLoad' in a) {
    const l = a.groupCallLoad;
    return {
      kind: 'groupCallLoad',
      at,
      rate: parseRate(l.rate),
      duration: parseDuration(l.duration),
      groups: l.groups ?? [],
      holdFor: toDistribution(l.holdFor),
    };
  }
  if ('groupCall' in a) {
    const g = a.groupCall;
    return {
      kind: 'groupCall',
      at,
      from: g.from,
      group: g.group,
      ...(g.holdFor === undefined ? {} : { holdFor: parseDuration(g.holdFor) }),
    };
  }
  if ('affiliate' in a) return { kind: 'affiliate', at, user: a.affiliate.user, group: a.affiliate.group };
  if ('deaffiliate' in a) return { kind: 'deaffiliate', at, user: a.deaffiliate.user, group: a.deaffiliate.group };
  if ('migrate' in a)
    return { kind: 'migrate', at, user: a.migrate.user, to: a.migrate.to, profile: a.migrate.profile ?? 'default' };
  throw new Error(`unhandled timeline action ${Object.keys(a).join(', ')}`);
}
