import { match } from 'ts-pattern';
import type { Action } from './config.ts';
import { injectFault } from './faults.ts';
import { startBackgroundLoad, startPrivateCallLoad } from './load.ts';
import type { McModel } from './model.ts';

/** Schedules the scenario's timed actions, load generators and background load. */
export function scheduleTimeline(model: McModel, actions: readonly Action[]): void {
  actions.forEach((action, index) => {
    if (action.kind === 'privateCallLoad') startPrivateCallLoad(model, action, index);
    else model.sim.scheduleAt(action.at, (a: Action) => perform(model, a), action);
  });
  const until = model.config.until;
  if (until !== undefined) for (const b of model.config.background) startBackgroundLoad(model, b, until);
}

function perform(model: McModel, action: Action): void {
  match(action)
    .with({ kind: 'privateCall' }, (a) => {
      model.client(a.from).calls.start({
        peer: a.to,
        service: a.service,
        commencement: a.commencement,
        floorControl: a.floorControl,
        ...(a.hangUpAfter === undefined ? {} : { hangUpAfter: a.hangUpAfter }),
      });
    })
    .with({ kind: 'release' }, (a) => {
      model.client(a.user).calls.releaseAll();
    })
    .with({ kind: 'migrate' }, (a) => {
      model.client(a.user).continuity.migrate({ to: a.to, profile: a.profile });
    })
    .with({ kind: 'migrateOnAccessLoss' }, (a) => {
      model.client(a.user).continuity.armOnAccessLoss({ to: a.to, profile: a.profile });
    })
    .with({ kind: 'accessLinkDown' }, (a) => {
      const client = model.client(a.user);
      model.topo.setAccessDown(a.user, client.serving);
      client.continuity.accessLost();
    })
    .with({ kind: 'privateCallLoad' }, () => undefined)
    .with({ kind: 'fault' }, (a) => injectFault(model, a, model.config.timeline.indexOf(a)))
    .with({ kind: 'groupCall' }, (a) => {
      model.client(a.from).groups.startCall(model.groupId(a.group));
    })
    .with({ kind: 'affiliate' }, (a) => {
      model.client(a.user).groups.affiliate(model.groupId(a.group), { lateEntry: true });
    })
    .with({ kind: 'deaffiliate' }, (a) => {
      model.client(a.user).groups.deaffiliate(model.groupId(a.group));
    })
    .exhaustive();
}
