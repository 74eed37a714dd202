import type { SystemId } from '../config.ts';
import type { Ctx } from '../actor.ts';
import { addr, userOfId, type McId } from '../protocol/identity.ts';
import type { Outcome } from '../measure/probes.ts';
import type { Leg } from './call-book.ts';
import type { ContinuityHost, MigrationPlan, MigrationResult } from './host.ts';

/**
 * Whether the migrating UE sets a communication up again after the migration (10.16.4 step 6):
 * every one but a file distribution it was receiving, whose file only its sender can send (A50).
 */
const resumes = (leg: Leg): boolean => leg.role === 'caller' || (leg.data !== 'fd-http' && leg.data !== 'fd-media');

/**
 * Migration while the user is communicating: 23.280 10.16.4 (ongoing private calls) and 10.16.2
 * (ongoing group calls). Every ongoing call is one `migration.interruption` interval: from the
 * release (private) or the de-affiliation (group) to the new call or the late-entry media.
 */
export class ServiceContinuity {
  private migrations = 0;
  private readonly open = new Set<string>();
  private armed: MigrationPlan | undefined = undefined;

  constructor(
    private readonly client: ContinuityHost,
    private readonly ctx: Ctx,
  ) {}

  /** detectMigrationNeed on the loss of the access link (a radio coverage loss, say). */
  armOnAccessLoss(plan: MigrationPlan): void {
    this.armed = plan;
  }

  accessLost(): void {
    const plan = this.armed;
    this.armed = undefined;
    if (plan !== undefined) this.migrate(plan, { attachFirst: true });
  }

  private start(key: string): void {
    this.open.add(key);
    this.client.emit({ type: 'interruptionStarted', key, at: this.client.now });
    // A service that never comes back (a late entry whose call ended, a lost answer) still ends;
    // a plain event, not a wait of the path (measure/waits.ts): it only ever ends one in failure.
    this.ctx.sim.schedule(this.ctx.config.timers.interruption, (k: string) => this.end(k, 'timeout'), key);
  }

  private end(key: string, outcome: Outcome): void {
    if (!this.open.delete(key)) return;
    this.client.emit({ type: 'interruptionEnded', key, outcome, at: this.client.now });
  }

  /**
   * `attachFirst`: the UE lost its access to the old system, so it attaches to the new one
   * first and releases and de-affiliates in the old system from there, across the interconnect.
   */
  migrate(plan: MigrationPlan, opts: { attachFirst?: boolean } = {}, done?: (r: MigrationResult) => void): void {
    const c = this.client;
    const n = ++this.migrations;
    const leaving = c.serving;
    const oldServer = addr.server(leaving);
    if (opts.attachFirst) {
      c.serving = plan.to;
      this.ctx.topo.serving.set(c.name, plan.to);
    }
    // Set-ups under way cannot follow the UE to another system: they end as aborted (cancelled).
    c.calls.abortSetups();
    const legs = c.calls.connectedLegs();
    const groups = [...c.groups.affiliated];
    const ongoing = new Map<McId, string>();
    for (const g of groups) if (c.groups.inCall.has(g)) ongoing.set(g, `${c.name}/migration-${n}/${g}`);
    const legKey = (callId: string): string => `${c.name}/migration-${n}/${callId}`;

    let pending = legs.length + groups.length;
    const leftOld = (): void => {
      if (--pending === 0) this.moveAndResume(plan, leaving, groups, ongoing, legs, legKey, done);
    };
    if (legs.length > 0) {
      // 10.16.4 step 2: the serving server is told to expect a service interruption.
      c.send(oldServer, { type: 'MigrationIntentNotification', procId: this.ctx.nextId('proc'), mcId: c.currentId });
    }
    // After attaching elsewhere the old system may be out of reach (no interconnection): then
    // the UE can only drop its side, as after a release whose answer never came.
    const oldReachable = this.ctx.topo.linkSpec(c.name, oldServer) !== undefined;
    for (const leg of legs) {
      // Step 3: release, telling the peer why.
      if (resumes(leg)) this.start(legKey(leg.callId));
      if (oldReachable) c.calls.releaseLeg(leg.callId, 'release due to migration', leftOld);
      else {
        c.calls.dropLeg(leg.callId);
        leftOld();
      }
    }
    for (const g of groups) {
      // 10.16.2 step 1: de-affiliation in the system being left.
      const key = ongoing.get(g);
      if (key !== undefined) this.start(key);
      if (oldReachable) c.groups.deaffiliate(g, leftOld, oldServer);
      else {
        c.groups.forget(g);
        leftOld();
      }
    }
    if (pending === 0) this.moveAndResume(plan, leaving, groups, ongoing, legs, legKey, done);
  }

  private moveAndResume(
    plan: MigrationPlan,
    leaving: SystemId,
    groups: McId[],
    ongoing: Map<McId, string>,
    legs: Leg[],
    legKey: (callId: string) => string,
    done?: (r: MigrationResult) => void,
  ): void {
    const c = this.client;
    // 10.16.4 steps 4-5 / 10.16.2 "after migration": profile, registration, authorization.
    c.migration.run(
      plan,
      (r) => {
        if (!r.ok) {
          for (const key of [...this.open]) this.end(key, r.outcome);
          done?.(r);
          return;
        }
        for (const g of groups) {
          const key = ongoing.get(g);
          // 10.16.2 steps 3-4: affiliation from the new system; late entry into the ongoing call.
          c.groups.affiliate(g, key === undefined ? {} : { lateEntry: true, onMedia: (o) => this.end(key, o) }, (o) => {
            if (o !== 'success' && key !== undefined) this.end(key, o);
          });
        }
        for (const leg of legs.filter(resumes)) {
          // 10.16.4 step 6: a new private call (or MCData communication) to the same peer,
          // redirected if the peer migrated.
          const calls = this.ctx.config.calls;
          c.calls.start({
            peer: userOfId(leg.peer) ?? leg.peer,
            target: leg.peer,
            service: leg.service,
            commencement: leg.commencement ?? calls.commencement,
            floorControl: leg.floorControl ?? calls.floorControl,
            data: leg.data,
            fileBytes: leg.fileBytes,
            onDone: (o) => this.end(legKey(leg.callId), o),
          });
        }
        done?.(r);
      },
      leaving,
    );
  }
}
