import type { SystemId } from '../config.ts';
import type { Ctx } from '../actor.ts';
import { addr, kmsLookupPath, kmsUriOf, userOfPartnerId, type McId } from '../protocol/identity.ts';
import type { MessageOf } from '../protocol/messages.ts';
import type { Outcome } from '../measure/probes.ts';
import type { ClientHost } from './host.ts';

/** One key discovery under way: its probe key and whom to tell how it ended. */
interface Discovery {
  readonly key: string;
  readonly done: (kmsUri: string) => void;
  readonly fail: (o: Outcome) => void;
}

/**
 * The certificates every client of a home system holds from the start, one set per home system
 * of a run's topology, shared until a client fetches one more: a Set of its own per user would be
 * two more objects to reach on every call.
 */
const initialCertificates = new WeakMap<Ctx['topo'], Map<SystemId, ReadonlySet<string>>>();

function initialCertificatesOf(ctx: Ctx, primary: SystemId): ReadonlySet<string> {
  let bySystem = initialCertificates.get(ctx.topo);
  if (bySystem === undefined) initialCertificates.set(ctx.topo, (bySystem = new Map()));
  let held = bySystem.get(primary);
  if (held === undefined) {
    const home = ctx.topo.system(primary);
    const made = new Set([kmsUriOf(home.id)]);
    for (const s of ctx.config.security.cachedCertificates) if (home.permittedKms.includes(s)) made.add(kmsUriOf(s));
    bySystem.set(primary, (held = made));
  }
  return held;
}

/**
 * What the caller must hold before an encrypted private call: the callee's KMS URI and that KMS's
 * certificate, whose public key the PCK is encapsulated with (33.180 E.3). Sources in order: a
 * hint (the redirection's KMS URI), the caller's profile, a KMS discovery lookup (33.180 D.2.7);
 * then a certificate fetch unless one is held.
 */
export class KeyRing {
  /**
   * KMS certificates held (from KmsInit/CertCache at login, or fetched): the shared initial set
   * until a fetch adds one.
   */
  private held: ReadonlySet<string>;
  private discoveries = 0;

  constructor(
    private readonly client: ClientHost,
    private readonly ctx: Ctx,
  ) {
    this.held = initialCertificatesOf(ctx, client.user.primary);
  }

  get certificates(): ReadonlySet<string> {
    return this.held;
  }

  private get homeKms(): string {
    return addr.kms(this.client.user.primary);
  }

  /**
   * KMS URI the caller's profile gives for a target. Profiles list users by their primary IDs and
   * say nothing of partner-issued ones (assumption A17), unless the scenario preconfigures them
   * (`security.kmsUri: profile`: the KMS of the partner ID's domain, the callee's migration KMS) or
   * makes them stale: then a partner ID maps to the user's home KMS, which the callee no longer uses.
   */
  profileKmsUri(target: McId): string | undefined {
    const system = this.ctx.topo.systemOfId(target);
    const visitor = userOfPartnerId(target);
    if (visitor === undefined || this.ctx.config.security.kmsUri === 'profile')
      return system === undefined ? undefined : kmsUriOf(system);
    if (!this.ctx.config.security.staleProfileKmsUri) return undefined;
    const user = this.ctx.users.get(visitor);
    return user === undefined ? undefined : kmsUriOf(user.primary);
  }

  /** Calls `done(kmsUri)` once the URI and its certificate are held, or `fail(outcome)`. */
  ensure(
    key: string,
    target: McId,
    hint: string | undefined,
    done: (kmsUri: string) => void,
    fail: (o: Outcome) => void,
  ): void {
    const c = this.client;
    const known = hint ?? this.profileKmsUri(target);
    const discovery = ++this.discoveries;
    // The usual case: URI and certificate at hand, nothing to discover and no closures to make.
    if (known !== undefined && this.held.has(known)) return done(known);
    const discoveryKey = `${key}#${discovery}`;
    c.emit({ type: 'keyDiscoveryStarted', key: discoveryKey, at: c.now });
    // Steps as methods over a record, not named closures: the transform that runs the sources
    // (tsx, keeping function names) gives each named closure a property store when it is made.
    const d: Discovery = { key: discoveryKey, done, fail };
    if (known !== undefined) return this.withCertificate(d, known);
    this.lookup(
      target,
      (uris) => {
        const first = uris[0];
        if (first === undefined) this.failWith(d, 'no-permitted-kms');
        else this.withCertificate(d, first);
      },
      (o) => this.failWith(d, o),
    );
  }

  private withCertificate(d: Discovery, uri: string): void {
    if (this.held.has(uri)) return this.succeed(d, uri);
    this.fetchCertificate(
      uri,
      () => this.succeed(d, uri),
      (o) => this.failWith(d, o),
    );
  }

  private succeed(d: Discovery, uri: string): void {
    this.endDiscovery(d, 'success');
    d.done(uri);
  }

  private failWith(d: Discovery, o: Outcome): void {
    this.endDiscovery(d, o);
    d.fail(o);
  }

  private endDiscovery(d: Discovery, outcome: Outcome): void {
    this.client.emit({ type: 'keyDiscoveryEnded', key: d.key, outcome, at: this.client.now });
  }

  /** D.2.7 KMS Discovery Lookup at the caller's Home KMS. */
  private lookup(target: McId, done: (uris: string[]) => void, fail: (o: Outcome) => void): void {
    const c = this.client;
    const procId = this.ctx.nextId('kms');
    c.emit({ type: 'procedureStarted', procedure: 'kms.lookup', key: procId, at: c.now });
    c.request(
      this.homeKms,
      { type: 'KmsLookupRequest', procId, path: kmsLookupPath(target), targetUri: target },
      (resp) => {
        const r = resp as MessageOf<'KmsLookupResponse'>;
        c.emit({
          type: 'procedureEnded',
          procedure: 'kms.lookup',
          key: procId,
          outcome: r.kmsUris.length > 0 ? 'success' : 'no-permitted-kms',
          at: c.now,
        });
        done(r.kmsUris);
      },
      () => {
        c.emit({ type: 'procedureEnded', procedure: 'kms.lookup', key: procId, outcome: 'timeout', at: c.now });
        fail('timeout');
      },
    );
  }

  /** KMS Cert request (33.180 D.2, route `cert/<kmsUri>`) at the caller's Home KMS. */
  private fetchCertificate(uri: string, done: () => void, fail: (o: Outcome) => void): void {
    const c = this.client;
    c.request(
      this.homeKms,
      { type: 'KmsCertRequest', procId: this.ctx.nextId('kms'), kmsUri: uri },
      (resp) => {
        if (!(resp as MessageOf<'KmsCertResponse'>).found) return fail('cert-unavailable');
        if (!this.held.has(uri)) this.held = new Set(this.held).add(uri);
        done();
      },
      () => fail('timeout'),
    );
  }
}
