import type { SystemId } from '../config.ts';
import type { Ctx } from '../actor.ts';
import { addr } from '../protocol/identity.ts';
import type { McMessage, MessageOf } from '../protocol/messages.ts';
import type { Outcome, ProcedureName } from '../measure/probes.ts';
import type { ClientHost, MigrationPlan, MigrationResult } from './host.ts';

/**
 * The client side of moving to another MC system (23.280 10.6.3; 10.16.4 steps 4-5 for a UE in
 * a call): authentication at the new system's IdMS, profile retrieval (10.1.4.3.1 at home,
 * 10.1.4.3.2 in a partner), registration (10.6.1 at home, 10.1.6.2 in a partner), migration
 * service authorization in a partner (10.6.3.3.1) and, when leaving a partner, de-authorization
 * there (10.6.3.3.2).
 */
export class Migration {
  /** Phase name -> [start, end] of the last migration, for the interruption breakdown. */
  readonly phases = new Map<string, [number, number]>();
  inProgress = false;

  constructor(
    private readonly client: ClientHost,
    private readonly ctx: Ctx,
  ) {}

  /** `leaving` is the system the UE registered in before, when it already attached elsewhere. */
  run(plan: MigrationPlan, done: (r: MigrationResult) => void, leaving: SystemId = this.client.serving): void {
    const c = this.client;
    const home = c.user.primary;
    const previous = leaving;
    const previousId = c.currentId;
    const toPartner = plan.to !== home;
    this.inProgress = true;
    this.phases.clear();
    const finish = (r: MigrationResult): void => {
      this.inProgress = false;
      done(r);
    };
    const fail = (failedAt: string) => (outcome: Outcome) => finish({ ok: false, outcome, failedAt });

    // The UE leaves: REGISTER expires=0 towards the old system, then attach to the new one.
    // (Not when the UE already attached to a system with no interconnection towards the old one.)
    if (this.ctx.topo.linkSpec(c.name, addr.server(previous)) !== undefined)
      c.send(addr.server(previous), {
        type: 'SipRegister',
        procId: this.ctx.nextId('proc'),
        mcId: c.currentId,
        primaryId: c.primaryId,
        authorization: true,
        deregister: true,
      });
    c.registered = false;
    c.serving = plan.to;
    this.ctx.topo.serving.set(c.name, plan.to);

    const deauthorizePrevious = (): void => {
      // The user is served by the new system from here on; the old partner is cleaned up
      // alongside, and a failure there does not undo the migration. 10.6.3.3.2 leaves what
      // triggers it for further study (editor's note); the model assumes the new authorization.
      finish({ ok: true });
      // An old partner not interconnected with the new system cannot be reached to clean up.
      if (previous === home || previous === plan.to || !this.ctx.topo.connected(previous, plan.to)) return;
      this.step(
        'migration.deauthorization',
        addr.server(previous),
        {
          type: 'MigrationServiceDeauthorizationRequest',
          procId: this.ctx.nextId('proc'),
          target: previousId,
          partnerId: previousId,
          primaryId: c.primaryId,
        },
        (r) =>
          (r as MessageOf<'MigrationServiceDeauthorizationResponse'>).result === 'success' ? 'success' : 'rejected',
        () => undefined,
        () => undefined,
      );
    };

    // E2EE resumes only with key material for the partner identity (33.180 5.3.1.3).
    const provisionKeys = (): void =>
      toPartner && this.ctx.config.security.e2ee
        ? this.provisionKeys(plan.to, deauthorizePrevious, fail('migration.key_provisioning'))
        : deauthorizePrevious();

    const authorize = (): void => {
      c.registered = true;
      if (!toPartner) return deauthorizePrevious();
      this.step(
        'migration.authorization',
        c.server,
        {
          type: 'MigrationServiceAuthorizationRequest',
          procId: this.ctx.nextId('proc'),
          target: c.currentId,
          partnerId: c.currentId,
          primaryId: c.primaryId,
          profile: plan.profile,
        },
        (r) =>
          (r as MessageOf<'MigrationServiceAuthorizationResponse'>).result === 'success' ? 'success' : 'rejected',
        provisionKeys,
        (o) => {
          c.registered = false;
          fail('migration.authorization')(o);
        },
      );
    };

    const register = (): void =>
      toPartner
        ? this.registerInPartner(authorize, fail('registration'))
        : this.registerAtHome(authorize, fail('registration'));

    const retrieveProfile = (): void =>
      this.step(
        'profile.retrieval',
        addr.cms(plan.to),
        {
          type: 'UserProfileRequest',
          procId: this.ctx.nextId('proc'),
          mcId: c.currentId,
          primaryId: c.primaryId,
          forMigration: toPartner,
        },
        (r) => ((r as MessageOf<'UserProfileResponse'>).result === 'success' ? 'success' : 'rejected'),
        register,
        fail('profile.retrieval'),
      );

    this.step(
      'authentication',
      addr.idms(plan.to),
      { type: 'AuthenticationRequest', procId: this.ctx.nextId('proc'), user: c.name, homeSystem: home },
      (r) => ((r as MessageOf<'AuthenticationResponse'>).result === 'success' ? 'success' : 'rejected'),
      (r) => {
        // 10.6.3.2.3 NOTE 1: the partner IdMS issues the ID used while migrated.
        c.currentId = (r as MessageOf<'AuthenticationResponse'>).mcId ?? c.primaryId;
        retrieveProfile();
      },
      fail('authentication'),
    );
  }

  /** 10.6.1 steps 3-4: REGISTER / 200 OK, then MC service authorization. */
  private registerAtHome(next: () => void, fail: (o: Outcome) => void): void {
    const c = this.client;
    const procId = this.ctx.nextId('proc');
    this.phaseStart('registration', procId);
    const ended = (o: Outcome): void => this.phaseEnd('registration', procId, o);
    c.request(
      c.server,
      { type: 'SipRegister', procId, mcId: c.currentId, primaryId: c.primaryId, authorization: true },
      () =>
        c.request(
          c.server,
          { type: 'ServiceAuthorizationRequest', procId: `${procId}.auth`, mcId: c.currentId },
          (r) => {
            const o: Outcome =
              (r as MessageOf<'ServiceAuthorizationResponse'>).result === 'success' ? 'success' : 'rejected';
            ended(o);
            if (o === 'success') next();
            else fail(o);
          },
          () => (ended('timeout'), fail('timeout')),
        ),
      () => (ended('timeout'), fail('timeout')),
    );
  }

  /** 10.1.6.2: REGISTER with partner identities, 401 challenge after the primary vouched, REGISTER, 200 OK. */
  private registerInPartner(next: () => void, fail: (o: Outcome) => void): void {
    const c = this.client;
    const procId = this.ctx.nextId('proc');
    this.phaseStart('registration', procId);
    const ended = (o: Outcome): void => {
      this.phaseEnd('registration', procId, o);
      if (o === 'success') next();
      else fail(o);
    };
    const register = (authorization: boolean, onAnswer: (m: McMessage) => void): void =>
      c.request(
        c.server,
        { type: 'SipRegister', procId, mcId: c.currentId, primaryId: c.primaryId, authorization },
        onAnswer,
        () => ended('timeout'),
      );
    register(false, (challenge) => {
      if (challenge.type !== 'SipUnauthorized') return ended('rejected');
      register(true, (ok) => ended(ok.type === 'SipRegisterOk' ? 'success' : 'rejected'));
    });
  }

  /**
   * Key material for the partner identity from the partner domain's Migration KMS (33.180
   * 5.3.1.3): KMS Initialize, then KMS KeyProvision for the partner ID (D.2.2, D.2.3), over the
   * UE's access to its new system. The Home KMS must list that KMS among the permitted ones
   * (5.3.1.2); mcsim reads `permittedKms` for that list.
   */
  private provisionKeys(partner: SystemId, next: () => void, fail: (o: Outcome) => void): void {
    const c = this.client;
    const procId = this.ctx.nextId('kms');
    this.phaseStart('migration.key_provisioning', procId);
    const ended = (o: Outcome): void => {
      this.phaseEnd('migration.key_provisioning', procId, o);
      if (o === 'success') next();
      else fail(o);
    };
    if (!this.ctx.topo.system(c.user.primary).permittedKms.includes(partner)) return ended('no-permitted-kms');
    const kms = addr.kms(partner);
    c.request(
      kms,
      { type: 'KmsInitRequest', procId, userUri: c.currentId },
      () =>
        c.request(
          kms,
          { type: 'KmsKeyProvisionRequest', procId: `${procId}.keys`, userUri: c.currentId },
          () => ended('success'),
          () => ended('timeout'),
        ),
      () => ended('timeout'),
    );
  }

  /** One request/response procedure with its probe and phase record. */
  private step(
    procedure: ProcedureName,
    to: string,
    msg: McMessage & { procId: string },
    judge: (r: McMessage) => Outcome,
    next: (r: McMessage) => void,
    fail: (o: Outcome) => void,
  ): void {
    this.phaseStart(procedure, msg.procId);
    this.client.request(
      to,
      msg,
      (r) => {
        const outcome = judge(r);
        this.phaseEnd(procedure, msg.procId, outcome);
        if (outcome === 'success') next(r);
        else fail(outcome);
      },
      () => {
        this.phaseEnd(procedure, msg.procId, 'timeout');
        fail('timeout');
      },
    );
  }

  private phaseStart(procedure: ProcedureName, key: string): void {
    const now = this.client.now;
    this.phases.set(procedure, [now, now]);
    this.client.emit({ type: 'procedureStarted', procedure, key, at: now });
  }

  private phaseEnd(procedure: ProcedureName, key: string, outcome: Outcome): void {
    const now = this.client.now;
    const phase = this.phases.get(procedure);
    if (phase !== undefined) phase[1] = now;
    this.client.emit({ type: 'procedureEnded', procedure, key, outcome, at: now });
  }
}
