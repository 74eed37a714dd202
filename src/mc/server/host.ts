import type { SystemId } from '../config.ts';
import type { Node } from '../../net/index.ts';
import type { Actor } from '../actor.ts';
import type { McId } from '../protocol/identity.ts';
import type { McMessage } from '../protocol/messages.ts';
import type { Registrations } from './registrations.ts';

/** The primary's record of a user migrated to a partner system (23.280 10.6.3.3.1 step 7). */
export interface MigrationRecord {
  partnerId: McId;
  partnerSystem: SystemId;
  status: 'migrated' | 'deauthorized';
}

/** The partner's record of a migrant, mapping its partner ID to its primary ID (23.280 10.6.3.3.1 step 11). */
export interface VisitorRecord {
  primaryId: McId;
  status: 'migrated' | 'left';
}

/**
 * What the procedure parts of an MC service server use of it: its identity, the tables that
 * outlive any one procedure, and its ways to send. The server itself is the host, so a call
 * through this interface costs what a call on the server does.
 */
export interface ServerHost {
  readonly address: string;
  /** The network node the server runs on (a crash takes it down). */
  readonly node: Node;
  readonly system: SystemId;
  /** The server's own public service identity, the target of flows between servers. */
  readonly psi: McId;
  /** SIP registration and service authorization (23.280 10.6.1): MC service ID -> the client. */
  readonly registrations: Registrations<Actor>;
  readonly migrationTable: Map<McId, MigrationRecord>;
  readonly visitorTable: Map<McId, VisitorRecord>;
  send(to: string, msg: McMessage): void;
  /** As send, to an actor at hand (a registered client): no lookup of its address. */
  sendTo(dest: Actor, msg: McMessage): void;
  /** Sends a request and waits for the message with the same procId, or times out. */
  request(
    to: string,
    msg: McMessage & { procId: string },
    onResponse: (msg: McMessage, from: string) => void,
    onTimeout: () => void,
  ): void;
  /** As request, to the server of the system the target belongs to. */
  requestRemote(
    msg: McMessage & { procId: string; target: McId },
    onResponse: (msg: McMessage) => void,
    onTimeout: () => void,
  ): void;
  /** Hands a response to the request waiting for it; false when none waits. */
  settle(msg: McMessage & { procId: string }, from: string): boolean;
  /** Whether a flow to this target can leave here: its system is this one or interconnected with it. */
  reaches(target: McId): boolean;
  /** Forwards a flow towards the system its target belongs to; false when that is this one. */
  route(msg: McMessage & { target: McId }): boolean;
  /** Whether a flow came from a client rather than from another system's server. */
  isClient(address: string): boolean;
}
