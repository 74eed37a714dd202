import type { EventHandle, Micros } from '../kernel/index.ts';
import type { PrivateCalls } from './client-calls.ts';
import type { McId } from './identity.ts';
import type { Commencement, Service } from './messages.ts';
import type { Outcome } from './probes.ts';

/** What one client remembers of its private calls: the request, the attempt, the dialogs. */

export interface CallRequest {
  peer: string;
  service: Service;
  commencement: Commencement;
  floorControl: boolean;
  hangUpAfter?: Micros;
  /** Call this ID instead of the peer's primary ID (e.g. after a migration, the last one known). */
  target?: McId;
  /** Told how the attempt ended (e.g. by the migration this call re-establishes). */
  onDone?: (outcome: Outcome) => void;
}

/** The caller's side of one private call, across redirection and KRR retries (one metric sample). */
export interface Attempt {
  /** Whose attempt it is (the setup timer's handler is shared by all). */
  readonly calls: PrivateCalls;
  readonly key: string;
  readonly req: CallRequest;
  callId: string;
  tries: number;
  target: McId;
  kmsHint?: string;
  krrRounds: number;
  redirected: boolean;
  /** The floor (or transmission) grant arrived before the final response. */
  granted: boolean;
  state: 'preparing' | 'calling' | 'ringing' | 'awaiting-grant' | 'established' | 'failed';
  timer: EventHandle;
}

/** A signalling dialog this client takes part in. */
export interface Leg {
  readonly callId: string;
  readonly role: 'caller' | 'callee';
  readonly peer: McId;
  readonly service: Service;
  /** The server the dialog runs through: a release goes there even after the UE moved. */
  readonly server: string;
  state: 'setup' | 'connected' | 'releasing';
  attempt?: Attempt;
  commencement?: Commencement;
  floorControl?: boolean;
}
