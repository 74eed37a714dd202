import type { McMessage, MessageType } from './messages.ts';

/**
 * Default wire sizes in bytes (SIP over TLS/TCP, HTTPS for the KMS), as docs/domain.md section 7
 * lists them. Scenario files may override any of them.
 */
export const DEFAULT_SIZES: Readonly<Record<MessageType, number>> = {
  PrivateCallRequest: 2100,
  PrivateCallRinging: 600,
  PrivateCallResponse: 1200,
  PrivateCallRedirection: 1000,
  KmsRedirectResponse: 1500,
  FloorGranted: 88,
  FloorTaken: 108,
  TransmissionGranted: 88,
  CallEndRequest: 500,
  CallEndResponse: 400,
  SdsMessage: 1400,
  SdsDeliveryReport: 700,
  SdsSessionRequest: 2100,
  SdsSessionResponse: 1200,
  FdRequest: 2300,
  FdResponse: 1200,
  IpconRequest: 2100,
  IpconResponse: 1200,
  MsrpSend: 150,
  DownloadCompletedReport: 700,
  CommunicationReleaseRequest: 500,
  CommunicationReleaseResponse: 400,
  FileUploadRequest: 600,
  FileUploadResponse: 500,
  FileDownloadRequest: 500,
  FileDownloadResponse: 400,
  AuthenticationRequest: 1500,
  AuthenticationResponse: 2500,
  UserProfileRequest: 900,
  UserProfileResponse: 8000,
  MigrationProfileRequest: 1000,
  MigrationProfileResponse: 8000,
  SipRegister: 1200,
  SipUnauthorized: 700,
  SipRegisterOk: 600,
  SipForbidden: 600,
  SipAuthInfoRequest: 800,
  SipAuthInfoResponse: 900,
  ServiceAuthorizationRequest: 1600,
  ServiceAuthorizationResponse: 600,
  MigrationServiceAuthorizationRequest: 1150,
  MigrationServiceAuthorizationResponse: 800,
  MigrationServiceDeauthorizationRequest: 1000,
  MigrationServiceDeauthorizationResponse: 700,
  MigrationIntentNotification: 700,
  GroupAffiliationRequest: 950,
  GroupAffiliationResponse: 700,
  GroupDeaffiliationRequest: 950,
  GroupDeaffiliationResponse: 700,
  GroupCallRequest: 2100,
  GroupCallResponse: 1200,
  FloorRequest: 88,
  FloorRelease: 80,
  FloorDeny: 96,
  FloorIdle: 80,
  GroupCallReleaseRequest: 500,
  GroupCallReleaseResponse: 400,
  KmsInitRequest: 1500,
  KmsInitResponse: 1640,
  KmsKeyProvisionRequest: 1500,
  KmsKeyProvisionResponse: 1870,
  KmsCertRequest: 1500,
  KmsCertResponse: 1300,
  KmsLookupRequest: 1600,
  KmsLookupResponse: 700,
};

/** The I_MESSAGE in `a=key-mgmt:mikey` (683 B binary, 912 B base64, plus the attribute). */
export const E2EE_SDP_EXTRA = 930;
/** Per KMS URI listed in a KmsLookup response or a KRR. */
export const PER_KMS_URI = 40;

export type SizeTable = Readonly<Record<MessageType, number>>;

/** The base size of a message type in a model's table (the scenario builder fills in every type). */
export function bytesOf(table: Readonly<Record<string, number>>, type: MessageType): number {
  const bytes = table[type];
  if (bytes === undefined) throw new Error(`no message size for ${type}`);
  return bytes;
}

export function sizeOf(table: Readonly<Record<string, number>>, msg: McMessage): number {
  const base = bytesOf(table, msg.type);
  switch (msg.type) {
    case 'PrivateCallRequest':
    case 'GroupCallRequest':
    case 'SdsSessionRequest':
    case 'FdRequest':
    case 'IpconRequest':
      return msg.e2ee ? base + E2EE_SDP_EXTRA : base;
    case 'MsrpSend':
    case 'FileUploadRequest':
    case 'FileDownloadResponse':
      return base + msg.bytes;
    case 'SdsMessage':
      return base + msg.payloadBytes + (msg.e2ee ? E2EE_SDP_EXTRA : 0);
    case 'KmsLookupResponse':
    case 'KmsRedirectResponse':
      return base + PER_KMS_URI * msg.kmsUris.length;
    case 'UserProfileResponse':
    case 'MigrationProfileResponse':
      return msg.bytes > 0 ? msg.bytes : base;
    default:
      return base;
  }
}
