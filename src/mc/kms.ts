import { match } from 'ts-pattern';
import type { Envelope } from '../net/index.ts';
import { Actor, type Ctx } from './actor.ts';
import { addr, kmsUriOf, type SystemId } from './identity.ts';
import type { McMessage } from './messages.ts';

/**
 * Key management server (TS 33.180 annex D): initialize, key provisioning, certificates of the
 * external KMSs it holds, and the discovery lookup of D.2.7.
 */
export class KeyManagementServer extends Actor {
  readonly uri: string;
  /** KMS URIs whose certificates this KMS holds: its own and the permitted external ones. */
  private readonly certificates: Set<string>;

  constructor(
    readonly system: SystemId,
    ctx: Ctx,
  ) {
    super(addr.kms(system), ctx);
    this.uri = kmsUriOf(system);
    this.certificates = new Set([this.uri, ...ctx.topo.system(system).permittedKms.map(kmsUriOf)]);
  }

  receive(env: Envelope<McMessage>): void {
    const { msg, from } = env;
    match(msg)
      .with({ type: 'KmsInitRequest' }, (m) => this.send(from, { type: 'KmsInitResponse', procId: m.procId }))
      .with({ type: 'KmsKeyProvisionRequest' }, (m) => this.send(from, { type: 'KmsKeyProvisionResponse', procId: m.procId }))
      .with({ type: 'KmsCertRequest' }, (m) =>
        this.send(from, { type: 'KmsCertResponse', procId: m.procId, kmsUri: m.kmsUri, found: this.certificates.has(m.kmsUri) }),
      )
      .with({ type: 'KmsLookupRequest' }, (m) => {
        // D.2.7: the permitted KMS URIs for the target: the KMS of the domain that issued its ID.
        const system = this.ctx.topo.systemOfId(m.targetUri);
        const uri = system === undefined ? undefined : kmsUriOf(system);
        const kmsUris = uri !== undefined && this.certificates.has(uri) ? [uri] : [];
        this.send(from, { type: 'KmsLookupResponse', procId: m.procId, targetUri: m.targetUri, kmsUris });
      })
      .otherwise((m) => this.unexpected(m, from));
  }
}
