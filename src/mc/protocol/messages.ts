import type { Commencement, Service, SystemId } from '../config.ts';
import type { McId } from './identity.ts';

/**
 * The information flows of TS 23.280 / 23.379 / 23.281 / 23.282 / 33.180 that mcsim carries,
 * as one union on `type`. Flows that cross MC service servers carry `target`, an MC service ID
 * or server PSI whose domain routes them (docs/domain.md section 2).
 */
export type Result = 'success' | 'failure';
/** Termination conditions of 23.379 10.6.2.3.1.1.3 that mcsim models; `call already ended`: a late answer's dialog. */
export type GroupReleaseReason = 'hang time expiry' | 'initiator left' | 'call already ended';

interface Routed {
  readonly target: McId;
}
interface InCall extends Routed {
  readonly callId: string;
}
interface InProc {
  readonly procId: string;
}
/** The answer to a set-up: a rejection (by the callee or a server), or an acceptance naming the ID the callee is registered under. */
type Answer<T extends string> =
  | (InCall & { type: T; result: 'rejected'; reason?: string })
  | (InCall & { type: T; result: 'accepted'; responder: McId });

export type McMessage =
  // --- private calls: 23.379 10.7.2, 23.281 7.2.2, 23.282 7.4.2 ---
  /** 23.379 10.7.2.1.1 MCPTT private call request (23.281 7.2.2.2.1 for MCVideo). */
  | (InCall & {
      type: 'PrivateCallRequest';
      caller: McId;
      service: Exclude<Service, 'mcdata'>;
      commencement: Commencement;
      floorControl: boolean;
      implicitFloorRequest: boolean;
      /** 23.283 encryption mode; the I_MESSAGE rides in the SDP offer (33.180 E.3). */
      e2ee: boolean;
      /** IDRkmsr of the I_MESSAGE: the KMS the caller encrypted to. */
      kmsUri?: string;
    })
  /** 23.379 10.7.2.2.2 MCPTT ringing (manual commencement). */
  | (InCall & { type: 'PrivateCallRinging' })
  /** 23.379 10.7.2.1.2 MCPTT private call response: a rejection (by the callee or a server). */
  | (InCall & { type: 'PrivateCallResponse'; result: 'rejected'; reason?: string })
  /** The same, accepting: with the ID the callee is registered under now (the Contact of SIP's 200 OK). */
  | (InCall & { type: 'PrivateCallResponse'; result: 'accepted'; responder: McId })
  /** 23.280 10.16.5.2 private call redirection (table 10.16.5.2-1; `kmsUri`: the KMS URI of the migrated callee). */
  | (InCall & {
      type: 'PrivateCallRedirection';
      callingId: McId;
      calleePrimaryId: McId;
      calleePartnerId: McId;
      kmsUri?: string;
      reason?: 'migrated';
    })
  /** 33.180 5.2.8 / D.4: SIP 488 with a KMS Redirect Response body. */
  | (InCall & { type: 'KmsRedirectResponse'; kmsUris: string[] })
  /** 24.380 floor control: Floor Granted to the talker. */
  | (InCall & { type: 'FloorGranted'; groupId?: McId })
  /** 24.380 floor control: Floor Taken to the listeners. */
  | (InCall & { type: 'FloorTaken'; talker: McId; groupId?: McId })
  /** 23.281 transmission control: transmission granted (MCVideo's floor grant). */
  | (InCall & { type: 'TransmissionGranted' })
  /** 23.379 10.7.2.2.3.1 call end request; `reason`: the release due to migration of 23.280 10.16.4 step 3. */
  | (InCall & { type: 'CallEndRequest'; sender: McId; reason?: 'release due to migration' })
  /** 23.379 10.7.2.2.3.1 call end response. */
  | (InCall & { type: 'CallEndResponse' })
  /** 23.282 7.4.2.2 MCData standalone SDS (one-to-one) with delivery disposition requested. */
  | (InCall & { type: 'SdsMessage'; caller: McId; payloadBytes: number; e2ee: boolean; kmsUri?: string })
  /** 23.282 7.4.2.2 MCData data disposition notification (delivered). */
  | (InCall & { type: 'SdsDeliveryReport' })
  // --- MCData one-to-one communications with a session: 23.282 7.4.2.5, 7.5.2.4-5, 7.14.2.2, 7.7.2.2 ---
  /** 23.282 7.4.2.5.2 MCData SDS session request: a session whose SDS messages ride the media plane. */
  | (InCall & { type: 'SdsSessionRequest'; caller: McId; e2ee: boolean; kmsUri?: string })
  | Answer<'SdsSessionResponse'>
  /**
   * 23.282 MCData FD request: over HTTP (7.5.2.4.2) it carries the `url` of the file uploaded to
   * the content server; over the media plane (7.5.2.5.2) the file follows the acceptance.
   */
  | (InCall & { type: 'FdRequest'; caller: McId; e2ee: boolean; kmsUri?: string; fileBytes: number; url?: string })
  | Answer<'FdResponse'>
  /** 23.282 7.14.2.1.1 MCData IPcon point-to-point request (7.14.2.2.2). */
  | (InCall & { type: 'IpconRequest'; caller: McId; e2ee: boolean; kmsUri?: string })
  | Answer<'IpconResponse'>
  /** 24.582 MSRP SEND on the media plane: an SDS of a session, its disposition notification, or the file of an FD. */
  | (InCall & { type: 'MsrpSend'; content: 'sds' | 'disposition' | 'file'; bytes: number })
  /** 23.282 7.5.2.4.2 / 7.5.2.5.2 MCData download completed report. */
  | (InCall & { type: 'DownloadCompletedReport' })
  /** 23.282 7.7.2.1.1 MCData communication release request (7.7.2.2.2); `reason`: 23.280 10.16.4 step 3. */
  | (InCall & { type: 'CommunicationReleaseRequest'; sender: McId; reason?: 'release due to migration' })
  /** 23.282 7.7.2.1.2 MCData communication release response. */
  | (InCall & { type: 'CommunicationReleaseResponse' })
  /** 23.282 7.5.2.1.1 MCData upload data request: the file, by HTTP POST to the content server (7.5.2.2). */
  | (InProc & { type: 'FileUploadRequest'; mcId: McId; bytes: number })
  /** 23.282 7.5.2.1.2 MCData upload data response: the content reference (URL). */
  | (InProc & { type: 'FileUploadResponse'; url: string })
  /** 23.282 7.5.2.1.3 MCData download data request: HTTP GET of the content reference (7.5.2.3). */
  | (InProc & { type: 'FileDownloadRequest'; mcId: McId; url: string })
  /** 23.282 7.5.2.1.4 MCData download data response: the file, when the content server holds it. */
  | (InProc & { type: 'FileDownloadResponse'; found: boolean; bytes: number })
  // --- identity, profile, registration: 23.280 10.6.1, 10.1.4.3, 10.1.6.2 ---
  /** 33.180 B.3 / B.6 user authentication at the (primary or partner) IdMS. */
  | (InProc & { type: 'AuthenticationRequest'; user: string; homeSystem: SystemId })
  | (InProc & { type: 'AuthenticationResponse'; result: Result; mcId?: McId })
  /** 10.1.4.3.1 get MC service user profile request (10.1.4.3.2 step 1 when migrating). */
  | (InProc & { type: 'UserProfileRequest'; mcId: McId; primaryId: McId; forMigration: boolean })
  | (InProc & { type: 'UserProfileResponse'; result: Result; profile?: string; bytes: number })
  /** 10.1.4.3.2 step 2: partner CMS asks the primary CMS for the migration profile (CSC-17). */
  | (InProc & Routed & { type: 'MigrationProfileRequest'; primaryId: McId; partnerSystem: SystemId })
  | (InProc & Routed & { type: 'MigrationProfileResponse'; result: Result; profile?: string; bytes: number })
  /** 10.6.1 step 3 / 10.1.6.2 step 1: SIP REGISTER (partner SIP identities when migrated). */
  | (InProc & { type: 'SipRegister'; mcId: McId; primaryId: McId; authorization: boolean; deregister?: true })
  /** 10.1.6.2 step 5: 401 challenge from the partner SIP core. */
  | (InProc & { type: 'SipUnauthorized' })
  | (InProc & { type: 'SipRegisterOk' })
  /** SIP 403: registration refused (unknown user, or the primary did not vouch for it). */
  | (InProc & { type: 'SipForbidden'; reason: string })
  /** 10.1.6.2 steps 2-4: SIP authentication information from the primary (MMS role, folded into the server). */
  | (InProc & Routed & { type: 'SipAuthInfoRequest'; partnerId: McId; primaryId: McId })
  | (InProc & Routed & { type: 'SipAuthInfoResponse'; result: Result })
  /** 10.6.1 step 4: MC service authorization with the access token. */
  | (InProc & { type: 'ServiceAuthorizationRequest'; mcId: McId })
  | (InProc & { type: 'ServiceAuthorizationResponse'; result: Result })
  // --- migration: 23.280 10.6.3.2 ---
  /** 10.6.3.2.1 migration service authorization request. */
  | (InProc &
      Routed & { type: 'MigrationServiceAuthorizationRequest'; partnerId: McId; primaryId: McId; profile: string })
  /** 10.6.3.2.2 migration service authorization response. */
  | (InProc &
      Routed & {
        type: 'MigrationServiceAuthorizationResponse';
        partnerId: McId;
        primaryId: McId;
        result: Result;
        reason?: string;
      })
  /** 10.6.3.2.3 migration service de-authorization request. */
  | (InProc & Routed & { type: 'MigrationServiceDeauthorizationRequest'; partnerId: McId; primaryId: McId })
  /** 10.6.3.2.4 migration service de-authorization response. */
  | (InProc &
      Routed & {
        type: 'MigrationServiceDeauthorizationResponse';
        partnerId: McId;
        primaryId: McId;
        result: Result;
        reason?: string;
      })
  /** 10.16.4 step 2: the serving server is told to expect a service interruption. */
  | (InProc & { type: 'MigrationIntentNotification'; mcId: McId })
  // --- groups: 23.280 10.8, 23.379 10.6.2.3.1.1 ---
  /**
   * 10.8.3 group affiliation request (server-to-server variant when the group is defined
   * elsewhere). `seq` orders a client's (de-)affiliations as SIP's CSeq does (RFC 3261 12.2.2):
   * one the network held up must not undo a later one.
   */
  | (InProc & Routed & { type: 'GroupAffiliationRequest'; mcId: McId; groupId: McId; seq: number })
  | (InProc & Routed & { type: 'GroupAffiliationResponse'; mcId: McId; groupId: McId; result: Result })
  /** 10.8.4 group de-affiliation request. */
  | (InProc &
      Routed & { type: 'GroupDeaffiliationRequest'; mcId: McId; groupId: McId; scope: 'this-client'; seq: number })
  | (InProc & Routed & { type: 'GroupDeaffiliationResponse'; mcId: McId; groupId: McId; result: Result })
  /**
   * 23.379 10.6.2.3.1.1.2 group call request (also late entry, 10.6.2.3.1.1.4). `caller` is the
   * initiator; `talker`, on a request from the server, who holds the floor (absent while idle).
   */
  | (InCall & {
      type: 'GroupCallRequest';
      groupId: McId;
      caller: McId;
      talker?: McId;
      lateEntry: boolean;
      e2ee: boolean;
    })
  /**
   * Answer to a group call request. `joined`: the group already had a call and the request
   * joined it (24.379 10.1.1.2.4 / 10.1.1.3.5 rejoin); `ongoingCallId` names that call.
   */
  | (InCall & {
      type: 'GroupCallResponse';
      groupId: McId;
      member: McId;
      result: 'accepted' | 'rejected' | 'joined';
      ongoingCallId?: string;
    })
  /** 24.380 Floor Request: a participant of an ongoing group call presses PTT. */
  | (InCall & { type: 'FloorRequest'; groupId: McId; member: McId })
  /** 24.380 Floor Release: the talker releases PTT at the end of its talk burst. */
  | (InCall & { type: 'FloorRelease'; groupId: McId; member: McId })
  /** 24.380 Floor Deny: another participant holds the floor (or the call is gone). */
  | (InCall & { type: 'FloorDeny'; groupId: McId; reason: 'floor taken' | 'no such call' })
  /** 24.380 Floor Idle: nobody holds the floor; the controlling server's hang timer runs. */
  | (InCall & { type: 'FloorIdle'; groupId: McId })
  /** 23.379 10.6.2.3.1.1.3 steps 2-3: group call release request (SIP BYE, 24.379 10.1.1.3.4). */
  | (InCall & InProc & { type: 'GroupCallReleaseRequest'; groupId: McId; reason: GroupReleaseReason })
  /** 23.379 10.6.2.3.1.1.3 step 5: group call release response. */
  | (InCall & InProc & { type: 'GroupCallReleaseResponse'; groupId: McId })
  // --- key management: TS 33.180 annex D ---
  /** D.2.2 KMS Initialize. */
  | (InProc & { type: 'KmsInitRequest'; userUri: McId })
  | (InProc & { type: 'KmsInitResponse' })
  /** D.2.3 KMS KeyProvision. */
  | (InProc & { type: 'KmsKeyProvisionRequest'; userUri: McId })
  | (InProc & { type: 'KmsKeyProvisionResponse' })
  /** D.2 KMS Cert: the certificate of one KMS. */
  | (InProc & { type: 'KmsCertRequest'; kmsUri: string })
  | (InProc & { type: 'KmsCertResponse'; kmsUri: string; found: boolean })
  /** D.2.7 KMS Discovery Lookup: POST .../lookup/<escaped target URI>. */
  | (InProc & { type: 'KmsLookupRequest'; path: string; targetUri: McId })
  | (InProc & { type: 'KmsLookupResponse'; targetUri: McId; kmsUris: string[] });

export type MessageType = McMessage['type'];
export type MessageOf<T extends MessageType> = Extract<McMessage, { type: T }>;

/** The set-up requests of one-to-one MCData communications with a session, and their answers. */
export type DataSetupType = 'SdsSessionRequest' | 'FdRequest' | 'IpconRequest';
export type DataAnswerType = 'SdsSessionResponse' | 'FdResponse' | 'IpconResponse';
/** Every answer to a set-up, and the accepting ones. */
export type SetupAnswer = MessageOf<'PrivateCallResponse' | DataAnswerType>;
export type Acceptance = SetupAnswer & { result: 'accepted' };

/** The answer type of each set-up request (a server refuses in the callee's stead with it). */
export const ANSWER_OF = {
  PrivateCallRequest: 'PrivateCallResponse',
  SdsMessage: 'PrivateCallResponse',
  SdsSessionRequest: 'SdsSessionResponse',
  FdRequest: 'FdResponse',
  IpconRequest: 'IpconResponse',
} as const satisfies Record<string, SetupAnswer['type']>;
export type SetupType = keyof typeof ANSWER_OF;

/** The flows of a private call (and of an MCData communication) that both its clients and its servers handle. */
export type PrivateCallMessage = MessageOf<
  | DataSetupType
  | DataAnswerType
  | 'MsrpSend'
  | 'DownloadCompletedReport'
  | 'CommunicationReleaseRequest'
  | 'CommunicationReleaseResponse'
  | 'PrivateCallRequest'
  | 'PrivateCallRinging'
  | 'PrivateCallResponse'
  | 'PrivateCallRedirection'
  | 'KmsRedirectResponse'
  | 'FloorGranted'
  | 'FloorTaken'
  | 'TransmissionGranted'
  | 'CallEndRequest'
  | 'CallEndResponse'
  | 'SdsMessage'
  | 'SdsDeliveryReport'
>;
