import type { Micros } from '../../kernel/index.ts';
import type { Outcome } from '../measure/probes.ts';
import type { McId } from '../protocol/identity.ts';
import type { Attempt } from './call-book.ts';
import type { ClientHost, KeptId, KeptIds, PrivateCallsHost } from './host.ts';

/**
 * The partner IDs a caller keeps after the redirections it received (`calls.redirectionMemory`,
 * assumption A51): per callee primary ID, the partner ID and the KMS URI the primary gave, for a
 * fixed time after the redirection. 23.280 10.16.5 neither asks nor forbids a caller to keep them.
 */
export class KeptPartnerIds implements KeptIds {
  private readonly byPrimary = new Map<McId, KeptId & { until: Micros }>();

  constructor(private readonly duration: Micros) {}

  get(primaryId: McId, now: Micros): KeptId | undefined {
    const kept = this.byPrimary.get(primaryId);
    if (kept === undefined || now < kept.until) return kept;
    this.byPrimary.delete(primaryId);
    return undefined;
  }

  keep(primaryId: McId, partnerId: McId, kmsUri: string | undefined, now: Micros): void {
    this.byPrimary.set(primaryId, { partnerId, kmsUri, until: now + this.duration });
  }

  forget(primaryId: McId): void {
    this.byPrimary.delete(primaryId);
  }
}

/** A partner ID kept from an earlier redirection replaces the primary ID the attempt calls (A51). */
export function useKeptId(c: PrivateCallsHost, a: Attempt): void {
  const kept = c.keptIds.get(a.target, c.now);
  if (kept === undefined) return;
  a.kept = a.target;
  a.target = kept.partnerId;
  a.kmsHint = kept.kmsUri;
  c.emit({ type: 'keptIdUsed', key: a.key, at: c.now });
}

/** How the kept partner ID was answered: `private_call.kept_id` ends. */
export function keptIdEnded(c: ClientHost, a: Attempt, outcome: Outcome): void {
  a.kept = undefined;
  c.emit({ type: 'keptIdEnded', key: a.key, outcome, at: c.now });
}
