import type { McId } from './identity.ts';
import type { Acceptance, McMessage } from './messages.ts';

/** The actor a flow belongs to: the user of an ID, or the MC service server of the system an ID lies in. */
export interface FlowOwner {
  readonly kind: 'user' | 'server';
  readonly id: McId;
}

/**
 * Who must act when a flow never reached the node it was sent to: the node was crashed when it
 * arrived, or crashed with the flow received but not yet handled. The sending hop's transport
 * reports the error (a TCP reset; RFC 3261 18.4 hands transport errors to the transaction user),
 * and the error is taken to reach the flow's owner at once, as an error response would
 * (assumption A34 in docs/domain.md): with gateways between, the error is the gateway's, passed
 * back without a message. Only these flows change anything; every other undelivered flow simply
 * times out where it is awaited.
 * - A callee's accept (wherever it was lost): no ACK will come, so the callee ends the dialog
 *   when its 2xx retransmissions would give up (RFC 3261 13.3.1.4).
 * - Between servers only (a UE's own request just times out, and a partner's answer to its UE
 *   follows the partner's records):
 *   - a migration service authorization success on its way to the partner: the primary takes
 *     its step 7 back (10.6.3.3.1), or it would hold the user migrated to a partner that never
 *     stored it;
 *   - the primary's own de-authorization of a partner: the primary sends it again;
 *   - a partner's report of a de-authorization to the primary (10.6.3.3.2 steps 3-10): it ends at
 *     the partner as a failure response would (RFC 3261 8.1.3.1: a transport error is a 503).
 */
export function ownerOfUndelivered(msg: McMessage, betweenServers: boolean): FlowOwner | undefined {
  if (isAcceptance(msg)) return { kind: 'user', id: msg.responder };
  if (!betweenServers) return undefined;
  if (msg.type === 'MigrationServiceAuthorizationResponse' && msg.result === 'success')
    return { kind: 'server', id: msg.primaryId };
  if (msg.type === 'MigrationServiceDeauthorizationRequest' && msg.target === msg.partnerId)
    return { kind: 'server', id: msg.primaryId };
  if (msg.type === 'MigrationServiceDeauthorizationRequest' && msg.target === msg.primaryId)
    return { kind: 'server', id: msg.partnerId };
  return undefined;
}

/** A callee's acceptance of a private call or of an MCData communication. */
export function isAcceptance(msg: McMessage): msg is Acceptance {
  switch (msg.type) {
    case 'PrivateCallResponse':
    case 'SdsSessionResponse':
    case 'FdResponse':
    case 'IpconResponse':
      return msg.result === 'accepted';
    default:
      return false;
  }
}

/**
 * Who must act when every attempt of a flow is lost on some hop: only a callee's acceptance
 * changes anything, wherever on the path it was lost (RFC 3261 13.3.1.4: the 2xx never reaches
 * the caller, whose ACK therefore never comes). Every other flow lost for good times out where it
 * is awaited.
 */
export function ownerOfLost(msg: McMessage): FlowOwner | undefined {
  return isAcceptance(msg) ? { kind: 'user', id: msg.responder } : undefined;
}
