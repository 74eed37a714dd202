import { match, P } from 'ts-pattern';
import type { Envelope } from '../net/index.ts';
import { Actor, type Ctx } from './actor.ts';
import { PrivateCalls } from './client-calls.ts';
import { ServiceContinuity } from './client-continuity.ts';
import { GroupCalls } from './client-groups.ts';
import { KeyRing } from './client-keys.ts';
import { Migration } from './client-migration.ts';
import type { UserConfig } from './config.ts';
import { addr, kmsUriOf, partnerIdOf, primaryIdOf, type McId, type SystemId } from './identity.ts';
import type { McMessage } from './messages.ts';

/**
 * MC service client of one user (with its IdM, configuration and key management clients).
 * Procedures live in their own parts: private calls, key discovery, migration.
 */
export class Client extends Actor {
  readonly primaryId: McId;
  /** The ID the user communicates with now: primary, or partner-issued while migrated. */
  currentId: McId;
  serving: SystemId;
  registered = true;
  readonly calls: PrivateCalls;
  readonly keys: KeyRing;
  readonly migration: Migration;
  readonly groups: GroupCalls;
  readonly continuity: ServiceContinuity;

  constructor(
    readonly user: UserConfig,
    ctx: Ctx,
  ) {
    super(user.name, ctx);
    this.primaryId = primaryIdOf(user.name, user.primary);
    this.serving = user.serving;
    this.currentId = user.serving === user.primary ? this.primaryId : partnerIdOf(user.name, user.serving);
    this.keys = new KeyRing(this, ctx);
    this.calls = new PrivateCalls(this, ctx);
    this.migration = new Migration(this, ctx);
    this.groups = new GroupCalls(this, ctx);
    this.continuity = new ServiceContinuity(this, ctx);
  }

  get name(): string {
    return this.user.name;
  }

  get server(): string {
    return addr.server(this.serving);
  }

  /** KMS of the user's own security domain now: home KMS, or the migration KMS while migrated. */
  get kmsUri(): string {
    return kmsUriOf(this.serving);
  }

  receive(env: Envelope<McMessage>): void {
    const { msg, from } = env;
    match(msg)
      .with({ type: P.union('FloorGranted', 'FloorTaken'), groupId: P.string }, (m) => this.groups.receive(m))
      .with({ type: P.union('GroupCallRequest', 'GroupCallResponse') }, (m) => this.groups.receive(m))
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
        (m) => this.calls.receive(m),
      )
      .with(
        {
          type: P.union(
            'AuthenticationResponse',
            'UserProfileResponse',
            'SipUnauthorized',
            'SipRegisterOk',
            'SipForbidden',
            'ServiceAuthorizationResponse',
            'MigrationServiceAuthorizationResponse',
            'MigrationServiceDeauthorizationResponse',
            'KmsInitResponse',
            'KmsKeyProvisionResponse',
            'KmsCertResponse',
            'KmsLookupResponse',
            'GroupAffiliationResponse',
            'GroupDeaffiliationResponse',
          ),
        },
        (m) => {
          // A response whose request already timed out is stale: the procedure has its outcome.
          this.settle(m, from);
        },
      )
      .with(
        {
          type: P.union(
            'AuthenticationRequest',
            'UserProfileRequest',
            'MigrationProfileRequest',
            'MigrationProfileResponse',
            'SipRegister',
            'SipAuthInfoRequest',
            'SipAuthInfoResponse',
            'ServiceAuthorizationRequest',
            'MigrationServiceAuthorizationRequest',
            'MigrationServiceDeauthorizationRequest',
            'MigrationIntentNotification',
            'GroupAffiliationRequest',
            'GroupDeaffiliationRequest',
            'KmsInitRequest',
            'KmsKeyProvisionRequest',
            'KmsCertRequest',
            'KmsLookupRequest',
          ),
        },
        (m) => this.unexpected(m, from),
      )
      .exhaustive();
  }
}
