import type { Role } from '../config.ts';
import type { McMessage, MessageType } from './messages.ts';

/**
 * The procedure step a stretch of an interval's critical path belongs to, as a label naming the
 * clause (and the step number where the clause numbers its flows, docs/domain.md section 4) and
 * the flow. A message's transit is its step; so is the job that handles it, except where the
 * clause numbers the receiver's action (the checks of 23.280 10.6.3.3.1 steps 2, 6-7 and 11).
 * Every label is made once and numbered (STEP_LABELS), so that following an interval back adds
 * into an array by number and makes nothing.
 */

/** Every step label, by number. */
export const STEP_LABELS: string[] = [];
const numberOf = (label: string): number => STEP_LABELS.push(label) - 1;

/** The clause of each flow, for flows the clause does not number hop by hop. */
const CLAUSE: Record<MessageType, string> = {
  PrivateCallRequest: '23.379 10.7.2.2.1',
  PrivateCallRinging: '23.379 10.7.2.2.2',
  PrivateCallResponse: '23.379 10.7.2.2.1',
  PrivateCallRedirection: '23.280 10.16.5.3 step 3',
  KmsRedirectResponse: '33.180 5.2.8',
  FloorGranted: '24.380',
  FloorTaken: '24.380',
  FloorRequest: '24.380',
  FloorRelease: '24.380',
  FloorDeny: '24.380',
  FloorIdle: '24.380',
  TransmissionGranted: '23.281 7.2.2.3',
  CallEndRequest: '23.379 10.7.2.2.3.1',
  CallEndResponse: '23.379 10.7.2.2.3.1',
  SdsMessage: '23.282 7.4.2.2',
  SdsDeliveryReport: '23.282 7.4.2.2',
  SdsSessionRequest: '23.282 7.4.2.5.2',
  SdsSessionResponse: '23.282 7.4.2.5.2',
  FdRequest: '23.282 7.5.2.4-5',
  FdResponse: '23.282 7.5.2.4-5',
  IpconRequest: '23.282 7.14.2.2.2',
  IpconResponse: '23.282 7.14.2.2.2',
  MsrpSend: '24.582',
  DownloadCompletedReport: '23.282 7.5.2.4.2',
  CommunicationReleaseRequest: '23.282 7.7.2.2.2',
  CommunicationReleaseResponse: '23.282 7.7.2.2.2',
  FileUploadRequest: '23.282 7.5.2.2',
  FileUploadResponse: '23.282 7.5.2.2',
  FileDownloadRequest: '23.282 7.5.2.3',
  FileDownloadResponse: '23.282 7.5.2.3',
  AuthenticationRequest: '23.280 10.6.1 step 1',
  AuthenticationResponse: '23.280 10.6.1 step 1',
  UserProfileRequest: '23.280 10.1.4.3 step 1',
  UserProfileResponse: '23.280 10.1.4.3',
  MigrationProfileRequest: '23.280 10.1.4.3.2 step 2',
  MigrationProfileResponse: '23.280 10.1.4.3.2 step 3',
  SipRegister: '23.280 10.6.1 step 3 / 10.1.6.2',
  SipUnauthorized: '23.280 10.1.6.2 step 5',
  SipRegisterOk: '23.280 10.6.1 step 3 / 10.1.6.2',
  SipForbidden: '23.280 10.1.6.2 step 5',
  SipAuthInfoRequest: '23.280 10.1.6.2 steps 2-4',
  SipAuthInfoResponse: '23.280 10.1.6.2 steps 2-4',
  ServiceAuthorizationRequest: '23.280 10.6.1 step 4',
  ServiceAuthorizationResponse: '23.280 10.6.1 step 4',
  MigrationServiceAuthorizationRequest: '23.280 10.6.3.3.1',
  MigrationServiceAuthorizationResponse: '23.280 10.6.3.3.1',
  MigrationServiceDeauthorizationRequest: '23.280 10.6.3.3.2',
  MigrationServiceDeauthorizationResponse: '23.280 10.6.3.3.2',
  MigrationIntentNotification: '23.280 10.16.4 step 2',
  GroupAffiliationRequest: '23.280 10.8.3',
  GroupAffiliationResponse: '23.280 10.8.3',
  GroupDeaffiliationRequest: '23.280 10.8.4',
  GroupDeaffiliationResponse: '23.280 10.8.4',
  GroupCallRequest: '23.379 10.6.2.3.1.1.2',
  GroupCallResponse: '23.379 10.6.2.3.1.1.2',
  GroupCallReleaseRequest: '23.379 10.6.2.3.1.1.3',
  GroupCallReleaseResponse: '23.379 10.6.2.3.1.1.3',
  KmsInitRequest: '33.180 D.2.2',
  KmsInitResponse: '33.180 D.2.2',
  KmsKeyProvisionRequest: '33.180 D.2.3',
  KmsKeyProvisionResponse: '33.180 D.2.3',
  KmsCertRequest: '33.180 D.2',
  KmsCertResponse: '33.180 D.2',
  KmsLookupRequest: '33.180 D.2.7',
  KmsLookupResponse: '33.180 D.2.7',
};

/** Flows whose step depends on the transit or the message: their FLOW entry is -1. */
const VARIES = new Set<MessageType>([
  'PrivateCallRequest',
  'MigrationServiceAuthorizationRequest',
  'MigrationServiceAuthorizationResponse',
  'MigrationServiceDeauthorizationRequest',
  'MigrationServiceDeauthorizationResponse',
]);
const FLOW = new Map(
  (Object.keys(CLAUSE) as MessageType[]).map((t) => [t, VARIES.has(t) ? -1 : numberOf(`${CLAUSE[t]} ${t}`)]),
);
const REQUEST = numberOf(`${CLAUSE.PrivateCallRequest} PrivateCallRequest`);

/** 23.280 10.16.5.3 step 4: the new request, towards the partner ID the redirection gave. */
const REQUEST_TO_PARTNER = numberOf('23.280 10.16.5.3 step 4 PrivateCallRequest');

/**
 * The stretches of a server-to-server flow through MC gateway servers (docs/domain.md section 3):
 * out of the sending system (server to its gateway), across (gateway to gateway), into the
 * receiving one (gateway to server), or two or three of them at once when a system does not hide.
 */
type Leg = 'out' | 'across' | 'in' | 'out-across' | 'across-in' | 'direct';

function legOf(from: Role, to: Role, sameSystem: boolean): Leg {
  if (from === 'server') return to === 'server' ? 'direct' : sameSystem ? 'out' : 'out-across';
  return to === 'gateway' ? 'across' : sameSystem ? 'in' : 'across-in';
}

/** The steps of a numbered exchange between a partner and a primary server, by leg. */
function numbered(clause: string, flow: string, steps: Record<Leg, string>): Record<Leg, number> {
  return Object.fromEntries(
    (Object.keys(steps) as Leg[]).map((leg) => [leg, numberOf(`${clause} ${steps[leg]} ${flow}`)]),
  ) as Record<Leg, number>;
}

const AUTH = '23.280 10.6.3.3.1';
const AUTH_REQUEST = numbered(AUTH, 'MigrationServiceAuthorizationRequest', {
  out: 'step 3',
  across: 'step 4',
  in: 'step 5',
  'out-across': 'steps 3-4',
  'across-in': 'steps 4-5',
  direct: 'steps 3-5',
});
const AUTH_RESPONSE = numbered(AUTH, 'MigrationServiceAuthorizationResponse', {
  out: 'step 8',
  across: 'step 9',
  in: 'step 10',
  'out-across': 'steps 8-9',
  'across-in': 'steps 9-10',
  direct: 'steps 8-10',
});
const AUTH_STEP = {
  ueRequest: numberOf(`${AUTH} step 1 MigrationServiceAuthorizationRequest`),
  initialCheck: numberOf(`${AUTH} step 2 MigrationServiceAuthorizationRequest`),
  primaryCheck: numberOf(`${AUTH} steps 6-7 MigrationServiceAuthorizationRequest`),
  partnerRecord: numberOf(`${AUTH} step 11 MigrationServiceAuthorizationResponse`),
  ueResponse: numberOf(`${AUTH} step 12 MigrationServiceAuthorizationResponse`),
};
const DEAUTH = '23.280 10.6.3.3.2';
const DEAUTH_STEP = {
  ueRequest: numberOf(`${DEAUTH} step 1 MigrationServiceDeauthorizationRequest`),
  check: numberOf(`${DEAUTH} steps 2, 11 MigrationServiceDeauthorizationRequest`),
  towardsPrimary: numberOf(`${DEAUTH} steps 3-10 MigrationServiceDeauthorizationRequest`),
  fromPrimary: numberOf(`${DEAUTH} steps 3-10 MigrationServiceDeauthorizationResponse`),
  ueResponse: numberOf(`${DEAUTH} step 12 MigrationServiceDeauthorizationResponse`),
};

/**
 * The step of a message's transit from a node of role `from` to one of role `to`; `sameSystem`
 * tells, between infrastructure nodes, whether both are of one system.
 */
export function stepOfTransit(msg: McMessage, from: Role, to: Role, sameSystem: boolean): number {
  const flow = stepOfFlow(msg);
  if (flow >= 0) return flow;
  switch (msg.type) {
    case 'MigrationServiceAuthorizationRequest':
      return from === 'client' ? AUTH_STEP.ueRequest : AUTH_REQUEST[legOf(from, to, sameSystem)];
    case 'MigrationServiceAuthorizationResponse':
      return to === 'client' ? AUTH_STEP.ueResponse : AUTH_RESPONSE[legOf(from, to, sameSystem)];
    case 'MigrationServiceDeauthorizationRequest':
      return from === 'client' ? DEAUTH_STEP.ueRequest : DEAUTH_STEP.towardsPrimary;
    default:
      return to === 'client' ? DEAUTH_STEP.ueResponse : DEAUTH_STEP.fromPrimary;
  }
}

/**
 * The step of a flow whose every transit is the same step, or -1 for one the clause numbers hop
 * by hop (stepOfTransit). A function of the message alone: one object forwarded over several
 * hops has one step.
 */
export function stepOfFlow(msg: McMessage): number {
  const flow = FLOW.get(msg.type) as number;
  if (flow >= 0 || msg.type !== 'PrivateCallRequest') return flow;
  return msg.target.includes('.visitor@') ? REQUEST_TO_PARTNER : REQUEST;
}

/** Whether the clause numbers a server's handling of a flow apart from its transit (stepOfHandling). */
export const handledApart = (type: string): boolean =>
  type === 'MigrationServiceAuthorizationRequest' ||
  type === 'MigrationServiceAuthorizationResponse' ||
  type === 'MigrationServiceDeauthorizationRequest';

/**
 * The step of a server's job that handles a flow the clause numbers apart (handledApart), arrived
 * from a node of role `from`: the checks of 10.6.3.3.1 steps 2, 6-7 and 11 and of 10.6.3.3.2
 * steps 2 and 11.
 */
export function stepOfHandling(msg: McMessage, from: Role): number {
  switch (msg.type) {
    case 'MigrationServiceAuthorizationRequest':
      return from === 'client' ? AUTH_STEP.initialCheck : AUTH_STEP.primaryCheck;
    case 'MigrationServiceAuthorizationResponse':
      return AUTH_STEP.partnerRecord;
    default:
      return from === 'client' ? DEAUTH_STEP.check : DEAUTH_STEP.towardsPrimary;
  }
}

/** Steps of what is not a message: the UE's key work, waits, and time before the path's first cause. */
export const STEP = {
  sakkeEncapsulate: numberOf('33.180 E.3 sakke-encapsulate'),
  eccsiSign: numberOf('33.180 E.3 eccsi-sign'),
  eccsiVerify: numberOf('33.180 E.3 eccsi-verify'),
  sakkeDecapsulate: numberOf('33.180 E.3 sakke-decapsulate'),
  otherJob: numberOf('other work'),
  timer: numberOf('timer'),
  human: numberOf('user (answer delay, holding time)'),
  paging: numberOf('RRC paging'),
  setup: numberOf('RRC connection set-up'),
  idle: numberOf('idle'),
} as const;
