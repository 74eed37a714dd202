import type { SystemId } from '../config.ts';
import type { Envelope } from '../../net/index.ts';
import { Actor, type Ctx } from '../actor.ts';
import { dispatch, type Routes } from '../protocol/dispatch.ts';
import { addr, contentUrlOf, serverPsi, type McId } from '../protocol/identity.ts';
import type { McMessage, MessageType } from '../protocol/messages.ts';
import { GroupControl } from './group-control.ts';
import type { MigrationRecord, ServerHost, VisitorRecord } from './host.ts';
import { MigrationAuthority } from './migration-authority.ts';
import { PrivateCallControl } from './private-call-control.ts';
import { Registrations } from './registrations.ts';

/**
 * MC service server of one system (participating and controlling roles together). Routes each
 * flow towards the system whose domain its target's ID lies in (a partner-issued ID lies in the
 * partner's) and hands each procedure family to its own part: private calls, migration, groups.
 */
export class Server extends Actor implements ServerHost {
  readonly psi = serverPsi(this.system);
  readonly registrations = new Registrations<Actor>();
  readonly migrationTable = new Map<McId, MigrationRecord>();
  readonly visitorTable = new Map<McId, VisitorRecord>();
  /** 23.280 10.16.4 step 2: users that announced a migration (a service interruption is expected). */
  readonly expectingInterruption = new Set<McId>();
  /**
   * The MCData content server's files (23.282 7.5.2.2), folded into the server (assumption A48):
   * content reference -> size. Stored, so a crash keeps them.
   */
  readonly files = new Map<string, number>();
  /** Each made when first used: a replication builds every server, and most use one part or none. */
  private parts: { calls?: PrivateCallControl; migration?: MigrationAuthority; groups?: GroupControl } = {};

  constructor(
    readonly system: SystemId,
    ctx: Ctx,
  ) {
    super(addr.server(system), ctx, system, 'server');
  }

  get calls(): PrivateCallControl {
    return (this.parts.calls ??= new PrivateCallControl(this, this.ctx));
  }

  get migration(): MigrationAuthority {
    return (this.parts.migration ??= new MigrationAuthority(this, this.ctx));
  }

  get groups(): GroupControl {
    return (this.parts.groups ??= new GroupControl(this, this.ctx));
  }

  receive(env: Envelope<McMessage>): void {
    dispatch(Server.routes, this, env.msg, env);
  }

  /** Every flow by type: to the procedure family that handles it, or a loud error. */
  private static readonly routes: Routes<Server, MessageType, Envelope<McMessage>> = {
    SipRegister: (s, m, env) => s.onRegister(m, env.from),
    SipAuthInfoRequest: toMigration,
    SipAuthInfoResponse: toMigration,
    ServiceAuthorizationRequest: (s, m, env) => s.onServiceAuthorization(m, env.from),
    MigrationIntentNotification: (s, m) => void s.expectingInterruption.add(m.mcId),
    MigrationServiceAuthorizationRequest: toMigration,
    MigrationServiceAuthorizationResponse: toMigration,
    MigrationServiceDeauthorizationRequest: toMigration,
    MigrationServiceDeauthorizationResponse: toMigration,
    // Floor control of a group call carries its group; that of a private call does not.
    FloorGranted: (s, m, env) => (m.groupId === undefined ? s.calls.receive(m, env) : s.groups.receive(m, env.from)),
    FloorTaken: (s, m, env) => (m.groupId === undefined ? s.calls.receive(m, env) : s.groups.receive(m, env.from)),
    PrivateCallRequest: toCalls,
    PrivateCallRinging: toCalls,
    PrivateCallResponse: toCalls,
    PrivateCallRedirection: toCalls,
    KmsRedirectResponse: toCalls,
    TransmissionGranted: toCalls,
    CallEndRequest: toCalls,
    CallEndResponse: toCalls,
    SdsMessage: toCalls,
    SdsDeliveryReport: toCalls,
    SdsSessionRequest: toCalls,
    SdsSessionResponse: toCalls,
    FdRequest: toCalls,
    FdResponse: toCalls,
    IpconRequest: toCalls,
    IpconResponse: toCalls,
    MsrpSend: toCalls,
    DownloadCompletedReport: toCalls,
    CommunicationReleaseRequest: toCalls,
    CommunicationReleaseResponse: toCalls,
    // 23.282 7.5.2.2 / 7.5.2.3: HTTP upload and download at the content server.
    FileUploadRequest: (s, m, env) => {
      const url = contentUrlOf(s.system, m.procId);
      s.files.set(url, m.bytes);
      s.send(env.from, { type: 'FileUploadResponse', procId: m.procId, url });
    },
    FileDownloadRequest: (s, m, env) => {
      const bytes = s.files.get(m.url);
      s.send(env.from, {
        type: 'FileDownloadResponse',
        procId: m.procId,
        found: bytes !== undefined,
        bytes: bytes ?? 0,
      });
    },
    FileUploadResponse: unexpected,
    FileDownloadResponse: unexpected,
    GroupAffiliationRequest: toGroups,
    GroupAffiliationResponse: toGroups,
    GroupDeaffiliationRequest: toGroups,
    GroupDeaffiliationResponse: toGroups,
    GroupCallRequest: toGroups,
    GroupCallResponse: toGroups,
    FloorRequest: toGroups,
    FloorRelease: toGroups,
    FloorDeny: toGroups,
    FloorIdle: toGroups,
    GroupCallReleaseRequest: toGroups,
    GroupCallReleaseResponse: toGroups,
    AuthenticationRequest: unexpected,
    AuthenticationResponse: unexpected,
    UserProfileRequest: unexpected,
    UserProfileResponse: unexpected,
    MigrationProfileRequest: unexpected,
    MigrationProfileResponse: unexpected,
    SipUnauthorized: unexpected,
    SipRegisterOk: unexpected,
    SipForbidden: unexpected,
    ServiceAuthorizationResponse: unexpected,
    KmsInitRequest: unexpected,
    KmsInitResponse: unexpected,
    KmsKeyProvisionRequest: unexpected,
    KmsKeyProvisionResponse: unexpected,
    KmsCertRequest: unexpected,
    KmsCertResponse: unexpected,
    KmsLookupRequest: unexpected,
    KmsLookupResponse: unexpected,
  };

  override crash(): void {
    super.crash();
    this.parts.calls?.crash();
    this.parts.groups?.crash();
    this.expectingInterruption.clear();
    this.parts.migration?.crash();
  }

  /** A flow this server sent never arrived: only migration flows are the server's to act on (protocol/undelivered.ts). */
  override undelivered(env: Envelope<McMessage>): void {
    this.migration.undelivered(env.msg, env.to);
  }

  reaches(target: McId): boolean {
    const to = this.ctx.topo.systemOfId(target);
    return to !== undefined && this.ctx.topo.connected(this.system, to);
  }

  route(msg: McMessage & { target: McId }): boolean {
    const to = this.ctx.topo.systemOfId(msg.target);
    if (to === undefined || to === this.system) return false;
    this.send(this.ctx.topo.nextHopFromServer(this.system, to), msg);
    return true;
  }

  /** Registration of the SIP identity; for a partner identity the primary is asked first (23.280 10.1.6.2). */
  private onRegister(m: Extract<McMessage, { type: 'SipRegister' }>, from: string): void {
    if (m.deregister) {
      // RFC 3261 10.2.2: a REGISTER with expires 0 removes the binding; the UE leaves this system.
      if (this.registrations.get(m.mcId)?.address === from) this.registrations.delete(m.mcId);
      this.send(from, { type: 'SipRegisterOk', procId: m.procId });
      return;
    }
    if (m.mcId !== m.primaryId && !m.authorization) {
      this.migration.partner.challengeVisitor(m, from);
      return;
    }
    this.registrations.set(m.mcId, this.ctx.net.node(from).recipient as Actor);
    this.send(from, { type: 'SipRegisterOk', procId: m.procId });
  }

  /** 23.280 10.6.1 step 4; a user authorized at home is no longer migrated (MigrationPrimaryRole.returnedHome). */
  private onServiceAuthorization(m: Extract<McMessage, { type: 'ServiceAuthorizationRequest' }>, from: string): void {
    const ok = this.registrations.get(m.mcId)?.address === from;
    if (ok) this.migration.primary.returnedHome(m.mcId);
    this.send(from, { type: 'ServiceAuthorizationResponse', procId: m.procId, result: ok ? 'success' : 'failure' });
  }

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

// Function declarations, hoisted: the static route table above is built when the class is defined.
function toCalls(s: Server, m: Parameters<PrivateCallControl['receive']>[0], env: Envelope<McMessage>): void {
  s.calls.receive(m, env);
}
function toMigration(s: Server, m: Parameters<MigrationAuthority['receive']>[0], env: Envelope<McMessage>): void {
  s.migration.receive(m, env.from);
}
function toGroups(s: Server, m: Parameters<GroupControl['receive']>[0], env: Envelope<McMessage>): void {
  s.groups.receive(m, env.from);
}
function unexpected(s: Server, m: McMessage, env: Envelope<McMessage>): never {
  return s.reject(m, env.from);
}
