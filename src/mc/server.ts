import { match, P } from 'ts-pattern';
import type { Envelope } from '../net/index.ts';
import { Actor, type Ctx } from './actor.ts';
import { GroupControl } from './server-groups.ts';
import { MigrationAuthority } from './server-migration.ts';
import { PrivateCallControl } from './server-calls.ts';
import { addr, serverPsi, type McId, type SystemId } from './identity.ts';
import type { McMessage } from './messages.ts';

/** Primary-side record (10.6.3.3.1 step 7). */
export interface MigrationRecord {
  partnerId: McId;
  partnerSystem: SystemId;
  status: 'migrated' | 'deauthorized';
}

/** Partner-side record (10.6.3.3.1 step 11). */
export interface VisitorRecord {
  primaryId: McId;
  status: 'migrated' | 'left';
}

/**
 * MC service server of one system (participating and controlling roles together). Routes flows
 * on the domain of their target (DOMAIN.md section 2) and delegates each procedure family to
 * its own part: private calls, migration, groups.
 */
export class Server extends Actor {
  /** SIP registration + service authorization: MC service ID -> client node. */
  readonly registrations = new Map<McId, string>();
  readonly migrationTable = new Map<McId, MigrationRecord>();
  readonly visitorTable = new Map<McId, VisitorRecord>();
  /** 10.16.4 step 2: users that announced a migration (service interruption expected). */
  readonly expectingInterruption = new Set<McId>();
  readonly calls: PrivateCallControl;
  readonly migration: MigrationAuthority;
  readonly groups: GroupControl;
  readonly psi: McId;

  constructor(
    readonly system: SystemId,
    ctx: Ctx,
  ) {
    super(addr.server(system), ctx);
    this.psi = serverPsi(system);
    this.calls = new PrivateCallControl(this, ctx);
    this.migration = new MigrationAuthority(this, ctx);
    this.groups = new GroupControl(this, ctx);
  }

  receive(env: Envelope<McMessage>): void {
    const { msg, from } = env;
    match(msg)
      .with({ type: 'SipRegister' }, (m) => this.onRegister(m, from))
      .with({ type: 'SipAuthInfoRequest' }, (m) => this.migration.onSipAuthInfoRequest(m))
      .with({ type: 'SipAuthInfoResponse' }, (m) => this.migration.onSipAuthInfoResponse(m))
      .with({ type: 'ServiceAuthorizationRequest' }, (m) => this.onServiceAuthorization(m, from))
      .with({ type: 'MigrationIntentNotification' }, (m) => {
        this.expectingInterruption.add(m.mcId);
      })
      .with(
        {
          type: P.union(
            'MigrationServiceAuthorizationRequest',
            'MigrationServiceAuthorizationResponse',
            'MigrationServiceDeauthorizationRequest',
            'MigrationServiceDeauthorizationResponse',
          ),
        },
        (m) => this.migration.receive(m, from),
      )
      .with({ type: P.union('FloorGranted', 'FloorTaken'), groupId: P.string }, (m) => this.groups.receive(m, from))
      .with(
        {
          type: P.union(
            'PrivateCallRequest',
            'PrivateCallRinging',
            'PrivateCallResponse',
            'PrivateCallRedirection',
            'KmsRedirectResponse',
            'FloorGranted',
            'FloorTaken',
            'TransmissionGranted',
            'CallEndRequest',
            'CallEndResponse',
            'SdsMessage',
            'SdsDeliveryReport',
          ),
        },
        (m) => this.calls.receive(m, from),
      )
      .with(
        {
          type: P.union(
            'GroupAffiliationRequest',
            'GroupAffiliationResponse',
            'GroupDeaffiliationRequest',
            'GroupDeaffiliationResponse',
            'GroupCallRequest',
            'GroupCallResponse',
          ),
        },
        (m) => this.groups.receive(m, from),
      )
      .with(
        {
          type: P.union(
            'AuthenticationRequest',
            'AuthenticationResponse',
            'UserProfileRequest',
            'UserProfileResponse',
            'MigrationProfileRequest',
            'MigrationProfileResponse',
            'SipUnauthorized',
            'SipRegisterOk',
            'SipForbidden',
            'ServiceAuthorizationResponse',
            'KmsInitRequest',
            'KmsInitResponse',
            'KmsKeyProvisionRequest',
            'KmsKeyProvisionResponse',
            'KmsCertRequest',
            'KmsCertResponse',
            'KmsLookupRequest',
            'KmsLookupResponse',
          ),
        },
        (m) => this.unexpected(m, from),
      )
      .exhaustive();
  }

  override crash(): void {
    super.crash();
    this.calls.records.clear();
    this.groups.homeCalls.clear();
    this.groups.joined.clear();
    this.expectingInterruption.clear();
  }

  /** Whether a flow to this target can leave here: its system is this one or interconnected with it. */
  reaches(target: McId): boolean {
    const to = this.ctx.topo.systemOfId(target);
    return to !== undefined && this.ctx.topo.connected(this.system, to);
  }

  /** Forwards a flow towards the system its target belongs to; false when that is this one. */
  route(msg: McMessage & { target: McId }): boolean {
    const to = this.ctx.topo.systemOfId(msg.target);
    if (to === undefined || to === this.system) return false;
    this.send(this.ctx.topo.nextHopFromServer(this.system, to), msg);
    return true;
  }

  /** Registration of the SIP identity; for a partner identity the primary is asked first (10.1.6.2). */
  private onRegister(m: Extract<McMessage, { type: 'SipRegister' }>, from: string): void {
    if (m.deregister) {
      // REGISTER with expires=0: the UE leaves this system (DOMAIN.md 3.1).
      if (this.registrations.get(m.mcId) === from) this.registrations.delete(m.mcId);
      this.send(from, { type: 'SipRegisterOk', procId: m.procId });
      return;
    }
    if (m.mcId !== m.primaryId && !m.authorization) {
      this.migration.challengeVisitor(m, from);
      return;
    }
    this.registrations.set(m.mcId, from);
    this.send(from, { type: 'SipRegisterOk', procId: m.procId });
  }

  /**
   * 10.6.1 step 4. The migration record is left alone: the primary learns that a user came back
   * only through de-authorization steps 3-10 (10.6.3.3.2), which are optional.
   */
  private onServiceAuthorization(m: Extract<McMessage, { type: 'ServiceAuthorizationRequest' }>, from: string): void {
    const ok = this.registrations.get(m.mcId) === from;
    this.send(from, { type: 'ServiceAuthorizationResponse', procId: m.procId, result: ok ? 'success' : 'failure' });
  }

  /** Sends a request to another system's server and waits for its answer (or times out). */
  requestRemote(
    msg: McMessage & { procId: string; target: McId },
    onResponse: (msg: McMessage) => void,
    onTimeout: () => void,
  ): void {
    const to = this.ctx.topo.systemOfId(msg.target) as SystemId;
    this.request(this.ctx.topo.nextHopFromServer(this.system, to), msg, onResponse, onTimeout);
  }

  reject(msg: McMessage, from: string): never {
    return this.unexpected(msg, from);
  }

  isClient(address: string): boolean {
    return this.ctx.topo.infoOf(address) === undefined;
  }
}
