import type { SystemId } from '../config.ts';
import type { Envelope } from '../../net/index.ts';
import { Actor, type Ctx } from '../actor.ts';
import { dispatchSome, type Routes } from '../protocol/dispatch.ts';
import { addr, kmsUriOf } from '../protocol/identity.ts';
import type { McMessage, MessageOf } from '../protocol/messages.ts';

/**
 * Key management server (TS 33.180 annex D): initialize, key provisioning, certificates of the
 * external KMSs it holds, and the discovery lookup of D.2.7.
 */
export class KeyManagementServer extends Actor {
  readonly uri: string;
  /** KMS URIs whose certificates this KMS holds: its own and the permitted external ones. */
  private held: Set<string> | undefined;

  constructor(
    readonly system: SystemId,
    ctx: Ctx,
  ) {
    super(addr.kms(system), ctx, system, 'kms');
    this.uri = kmsUriOf(system);
  }

  /** Made at the first question: a replication builds every KMS and asks few of them anything. */
  private get certificates(): Set<string> {
    return (this.held ??= new Set([this.uri, ...this.ctx.topo.system(this.system).permittedKms.map(kmsUriOf)]));
  }

  receive(env: Envelope<McMessage>): void {
    dispatchSome(KeyManagementServer.routes, this, env.msg, env.from, (k, m, from) => k.unexpected(m, from));
  }

  private static readonly routes: Routes<
    KeyManagementServer,
    'KmsInitRequest' | 'KmsKeyProvisionRequest' | 'KmsCertRequest' | 'KmsLookupRequest' | 'KmsLookupResponse',
    string
  > = {
    KmsInitRequest: (k, m, from) => k.send(from, { type: 'KmsInitResponse', procId: m.procId }),
    KmsKeyProvisionRequest: (k, m, from) => k.send(from, { type: 'KmsKeyProvisionResponse', procId: m.procId }),
    KmsCertRequest: (k, m, from) =>
      k.send(from, {
        type: 'KmsCertResponse',
        procId: m.procId,
        kmsUri: m.kmsUri,
        found: k.certificates.has(m.kmsUri),
      }),
    KmsLookupRequest: (k, m, from) => k.lookup(m, from),
    // The answer of a federated lookup; one that comes after its timer is stale.
    KmsLookupResponse: (k, m, from) => void k.settle(m, from),
  };

  /**
   * D.2.7: the permitted KMS URIs for the target. The KMS of a target is the one of the domain
   * that issued its ID (a migrated user's partner ID lives in the migration KMS's domain). A Home
   * KMS answering for another domain asks that domain's KMS first when lookups are federated
   * (assumption A18 in docs/domain.md).
   */
  private lookup(m: MessageOf<'KmsLookupRequest'>, from: string): void {
    const system = this.ctx.topo.systemOfId(m.targetUri);
    if (system === undefined) return this.answer(m, from, []);
    const uri = kmsUriOf(system);
    const asked = this.ctx.topo.infoOf(from) !== undefined;
    if (system === this.system || asked) return this.answer(m, from, system === this.system ? [uri] : []);
    if (!this.certificates.has(uri)) return this.answer(m, from, []);
    if (!this.ctx.topo.connected(this.system, system)) return this.answer(m, from, [uri]);
    if (!this.ctx.config.security.kmsLookupFederated) return this.answer(m, from, [uri]);
    this.request(
      addr.kms(system),
      { ...m, procId: `${m.procId}>${this.system}` },
      (resp) =>
        this.answer(
          m,
          from,
          (resp as MessageOf<'KmsLookupResponse'>).kmsUris.filter((u) => this.certificates.has(u)),
        ),
      () => this.answer(m, from, []),
    );
  }

  private answer(m: MessageOf<'KmsLookupRequest'>, to: string, kmsUris: string[]): void {
    this.send(to, { type: 'KmsLookupResponse', procId: m.procId, targetUri: m.targetUri, kmsUris });
  }
}
