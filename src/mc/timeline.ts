import type { Action } from './config.ts';
import { injectFault } from './faults.ts';
import { startBackgroundLoad, startGroupCallLoad, startPrivateCallLoad } from './load.ts';
import type { McModel } from './model.ts';

/** Schedules the scenario's timed actions, load generators and background load. */
export function scheduleTimeline(model: McModel, actions: readonly Action[]): void {
  actions.forEach((action, index) => {
    if (action.kind === 'privateCallLoad') startPrivateCallLoad(model, action, index);
    else if (action.kind === 'groupCallLoad') startGroupCallLoad(model, action, index);
    else model.sim.scheduleAt(action.at, (a: Action) => perform(model, a), action);
  });
  const until = model.config.until;
  if (until !== undefined) for (const b of model.config.background) startBackgroundLoad(model, b, until);
}

type Performers = { readonly [K in Action['kind']]: (model: McModel, action: Extract<Action, { kind: K }>) => void };

/**
 * What each kind of timed action does. A table over the kinds, so a new kind does not compile
 * until it is handled; built once rather than a ts-pattern chain per action (issue 8).
 */
const PERFORMERS: Performers = {
  privateCall: (model, a) => {
    model.client(a.from).calls.start({
      peer: a.to,
      service: a.service,
      commencement: a.commencement,
      floorControl: a.floorControl,
      ...(a.hangUpAfter === undefined ? {} : { hangUpAfter: a.hangUpAfter }),
    });
  },
  release: (model, a) => {
    model.client(a.user).calls.releaseAll();
  },
  migrate: (model, a) => {
    model.client(a.user).continuity.migrate({ to: a.to, profile: a.profile });
  },
  migrateOnAccessLoss: (model, a) => {
    model.client(a.user).continuity.armOnAccessLoss({ to: a.to, profile: a.profile });
  },
  accessLinkDown: (model, a) => {
    const client = model.client(a.user);
    model.topo.setAccessDown(a.user, client.serving);
    client.continuity.accessLost();
  },
  // Started by scheduleTimeline: a generator, not one timed action.
  privateCallLoad: () => undefined,
  groupCallLoad: () => undefined,
  fault: (model, a) => injectFault(model, a, model.config.timeline.indexOf(a)),
  groupCall: (model, a) => {
    model.client(a.from).groups.press(model.groupId(a.group), a.holdFor);
  },
  affiliate: (model, a) => {
    model.client(a.user).groups.affiliate(model.groupId(a.group), { lateEntry: true });
  },
  deaffiliate: (model, a) => {
    model.client(a.user).groups.deaffiliate(model.groupId(a.group));
  },
};

function perform(model: McModel, action: Action): void {
  (PERFORMERS[action.kind] as (model: McModel, action: Action) => void)(model, action);
}
