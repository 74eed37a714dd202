import type { CallRequest } from '../client/call-book.ts';
import type { Action } from '../config.ts';
import { injectFault } from './faults.ts';
import { startBackgroundLoad, startGroupCallLoad, startPrivateCallLoad } from './load.ts';
import type { World } from './world.ts';

interface Timed {
  action: Action;
  order: number;
}

/**
 * Schedules the scenario's timed actions, load generators and background load. The timed
 * actions are one chain, each scheduling the next when it runs, in the place among same-time
 * events it would have had if all were scheduled now: a timeline of thousands of actions then
 * keeps one entry in the event queue, not thousands that every push and pop sifts through, and
 * its events run in the same order as if all had been scheduled at the start.
 */
export function scheduleTimeline(model: World, actions: readonly Action[]): void {
  const timed: Timed[] = [];
  actions.forEach((action, index) => {
    if (action.kind === 'privateCallLoad') startPrivateCallLoad(model, action, index);
    else if (action.kind === 'groupCallLoad') startGroupCallLoad(model, action, index);
    else timed.push({ action, order: model.sim.reserveOrder() });
  });
  // Stable: same-time actions keep their order, as their reserved places do.
  timed.sort((a, b) => a.action.at - b.action.at);
  let next = 0;
  const step = (t: Timed): void => {
    const after = timed[++next];
    if (after !== undefined) model.sim.scheduleReserved(after.action.at, after.order, step, after);
    perform(model, t.action);
  };
  const first = timed[0];
  if (first !== undefined) model.sim.scheduleReserved(first.action.at, first.order, step, first);
  const until = model.config.until;
  if (until !== undefined) for (const b of model.config.background) startBackgroundLoad(model, b, until);
}

type Performers = { readonly [K in Action['kind']]: (model: World, action: Extract<Action, { kind: K }>) => void };

/**
 * What each kind of timed action does. A table over the kinds, so a new kind does not compile
 * until it is handled; built once rather than a ts-pattern chain per action.
 */
const PERFORMERS: Performers = {
  privateCall: (model, a) => {
    // Built field by field, as load.ts does: a spread copies through a generic path.
    const req: CallRequest = {
      peer: a.to,
      service: a.service,
      commencement: a.commencement,
      floorControl: a.floorControl,
    };
    if (a.data !== undefined) req.data = a.data;
    if (a.fileBytes !== undefined) req.fileBytes = a.fileBytes;
    if (a.hangUpAfter !== undefined) req.hangUpAfter = a.hangUpAfter;
    model.client(a.from).calls.start(req);
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

function perform(model: World, action: Action): void {
  (PERFORMERS[action.kind] as (model: World, action: Action) => void)(model, action);
}
