import type { Envelope } from '../../net/index.ts';
import { Actor, type Ctx } from '../actor.ts';
import { dispatch, type Routes } from '../protocol/dispatch.ts';
import { PrivateCalls } from './private-calls.ts';
import { ServiceContinuity } from './continuity.ts';
import { GroupCalls } from './group-calls.ts';
import { KeyRing } from './key-ring.ts';
import { KeptPartnerIds } from './kept-ids.ts';
import { Migration } from './migration.ts';
import type { UserConfig, SystemId } from '../config.ts';
import { addr, kmsUriOf, partnerIdOf, primaryIdOf, type McId } from '../protocol/identity.ts';
import type { McMessage, MessageType } from '../protocol/messages.ts';
import { isAcceptance } from '../protocol/undelivered.ts';
import type { ContinuityHost, PrivateCallsHost } from './host.ts';

/**
 * MC service client of one user (with its IdM, configuration and key management clients). The
 * procedures live in parts (private calls, key ring, migration, service continuity, group
 * calls), each holding the client by the narrow host interface of host.ts.
 */
export class Client extends Actor implements PrivateCallsHost, ContinuityHost {
  readonly primaryId: McId;
  /** The ID the user communicates with now: primary, or partner-issued while migrated. */
  currentId: McId;
  serving: SystemId;
  registered = true;
  // Each part is made when first used: a replication builds every user's client, and most use
  // one or two parts. Fields of the client, not of an object of their own: one object less to
  // reach per message.
  private callsPart: PrivateCalls | undefined = undefined;
  private keysPart: KeyRing | undefined = undefined;
  private migrationPart: Migration | undefined = undefined;
  private groupsPart: GroupCalls | undefined = undefined;
  private continuityPart: ServiceContinuity | undefined = undefined;
  private keptIdsPart: KeptPartnerIds | undefined = undefined;
  /**
   * Releases the peers gave no reason for, counted here until another reason needs `reasons`.
   * Kept by the client, not the calls part, which it lets go of between calls.
   */
  private unspecifiedReleases = 0;
  private reasons: Map<string, number> | undefined = undefined;

  constructor(
    readonly user: UserConfig,
    ctx: Ctx,
  ) {
    super(user.name, ctx, user.serving, 'client');
    this.primaryId = primaryIdOf(user.name, user.primary);
    this.serving = user.serving;
    this.currentId = user.serving === user.primary ? this.primaryId : partnerIdOf(user.name, user.serving);
  }

  get calls(): PrivateCalls {
    return (this.callsPart ??= new PrivateCalls(this, this.ctx));
  }

  /**
   * Lets go of the calls part once it holds nothing (CallBook.idle): an idle user then holds no
   * book, and the next call makes a new one. Asked when a flow or a timer of the part has been
   * handled, never while one of its methods runs. A timer that still names a part let go of finds
   * no dialog or attempt there, as it would in the part kept (call IDs are never reused).
   */
  releaseIdleCalls(): void {
    if (this.callsPart?.idle === true) this.callsPart = undefined;
  }

  /**
   * How often peers gave each release reason, in first-seen order: a release for a migration
   * says so (23.280 10.16.4 step 3).
   */
  get releaseReasons(): ReadonlyMap<string, number> {
    return this.reasons ?? new Map(this.unspecifiedReleases > 0 ? [['unspecified', this.unspecifiedReleases]] : []);
  }

  countRelease(reason: string): void {
    if (this.reasons === undefined && reason === 'unspecified') {
      this.unspecifiedReleases++;
      return;
    }
    // Another reason: from here on every count is kept in the Map, the earlier ones first.
    this.reasons ??= new Map(this.unspecifiedReleases > 0 ? [['unspecified', this.unspecifiedReleases]] : []);
    this.reasons.set(reason, (this.reasons.get(reason) ?? 0) + 1);
  }

  get keys(): KeyRing {
    return (this.keysPart ??= new KeyRing(this, this.ctx));
  }

  /** Kept by the client, not the calls part, which it lets go of between calls. */
  get keptIds(): KeptPartnerIds {
    return (this.keptIdsPart ??= new KeptPartnerIds(this.ctx.config.calls.redirectionMemory));
  }

  get migration(): Migration {
    return (this.migrationPart ??= new Migration(this, this.ctx));
  }

  get groups(): GroupCalls {
    return (this.groupsPart ??= new GroupCalls(this, this.ctx));
  }

  get continuity(): ServiceContinuity {
    return (this.continuityPart ??= new ServiceContinuity(this, this.ctx));
  }

  /** The user's name, which is the client's address (read here without reaching the user's configuration). */
  get name(): string {
    return this.address;
  }

  get server(): string {
    return addr.server(this.serving);
  }

  /** KMS of the user's own security domain now: home KMS, or the migration KMS while migrated. */
  get kmsUri(): string {
    return kmsUriOf(this.serving);
  }

  receive(env: Envelope<McMessage>): void {
    dispatch(Client.routes, this, env.msg, env.from);
  }

  /** Every flow by type: to the procedure part that handles it, or a loud error. */
  private static readonly routes: Routes<Client, MessageType, string> = {
    // Floor control of a group call carries its group; that of a private call does not.
    FloorGranted: (c, m, from) => (m.groupId === undefined ? toCalls(c, m) : c.groups.receive(m, from)),
    FloorTaken: (c, m, from) => (m.groupId === undefined ? toCalls(c, m) : c.groups.receive(m, from)),
    GroupCallRequest: toGroups,
    GroupCallResponse: toGroups,
    FloorDeny: toGroups,
    FloorIdle: toGroups,
    GroupCallReleaseRequest: toGroups,
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
    FileUploadResponse: settle,
    FileDownloadResponse: settle,
    FileUploadRequest: unexpected,
    FileDownloadRequest: unexpected,
    AuthenticationResponse: settle,
    UserProfileResponse: settle,
    SipUnauthorized: settle,
    SipRegisterOk: settle,
    SipForbidden: settle,
    ServiceAuthorizationResponse: settle,
    MigrationServiceAuthorizationResponse: settle,
    MigrationServiceDeauthorizationResponse: settle,
    KmsInitResponse: settle,
    KmsKeyProvisionResponse: settle,
    KmsCertResponse: settle,
    KmsLookupResponse: settle,
    GroupAffiliationResponse: settle,
    GroupDeaffiliationResponse: settle,
    AuthenticationRequest: unexpected,
    UserProfileRequest: unexpected,
    MigrationProfileRequest: unexpected,
    MigrationProfileResponse: unexpected,
    SipRegister: unexpected,
    SipAuthInfoRequest: unexpected,
    SipAuthInfoResponse: unexpected,
    ServiceAuthorizationRequest: unexpected,
    MigrationServiceAuthorizationRequest: unexpected,
    MigrationServiceDeauthorizationRequest: unexpected,
    MigrationIntentNotification: unexpected,
    GroupAffiliationRequest: unexpected,
    GroupDeaffiliationRequest: unexpected,
    FloorRequest: unexpected,
    FloorRelease: unexpected,
    GroupCallReleaseResponse: unexpected,
    KmsInitRequest: unexpected,
    KmsKeyProvisionRequest: unexpected,
    KmsCertRequest: unexpected,
    KmsLookupRequest: unexpected,
  };

  /** Its accept never reached the caller: no ACK will come (protocol/undelivered.ts). */
  override undelivered(env: Envelope<McMessage>): void {
    if (isAcceptance(env.msg)) this.calls.acceptUndelivered(env.msg.callId);
  }

  /** Lets the static route table reach the protected error. */
  reject(msg: McMessage, from: string): never {
    return this.unexpected(msg, from);
  }
}

// Function declarations, hoisted: the static route table above is built when the class is defined.
function toCalls(c: Client, m: Parameters<PrivateCalls['receive']>[0]): void {
  c.calls.receive(m);
  c.releaseIdleCalls();
}
function toGroups(c: Client, m: Parameters<GroupCalls['receive']>[0], from: string): void {
  c.groups.receive(m, from);
}
/** A response whose request already timed out is stale: the procedure has its outcome. */
function settle(c: Client, m: McMessage & { procId: string }, from: string): void {
  c.settle(m, from);
}
function unexpected(c: Client, m: McMessage, from: string): never {
  return c.reject(m, from);
}
