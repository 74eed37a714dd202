import { describe, expect, it } from 'vitest';
import { runExperiment } from '../../../src/experiment/experiment.ts';
import { runReplication } from '../../../src/experiment/replication.ts';
import { loadScenario } from '../../../src/scenario/load.ts';

/**
 * The critical path of a private call towards a migrated user (23.280 10.16.5), with every delay
 * constant: each category of every variant's set-up equals the sum the clause's message sequence
 * gives, added up here from the scenario's numbers (docs/domain.md 4.7-4.9).
 */
const FILE = 'scenarios/private-call-to-migrated-user.yaml';

/** One-way delays and job times, ms: alice on her wired console, bob on the radio access of B. */
const D = {
  alice: 5,
  bob: 20,
  core: 2,
  inter: 12,
  client: 7,
  server: 3,
  gateway: 2,
  kms: 5,
  sakkeEncapsulate: 11,
  eccsiSign: 3,
  eccsiVerify: 6,
  sakkeDecapsulate: 17,
};

const CONSTANT = {
  'topology.defaults.access.latency': `${D.bob}ms`,
  'population.users[0].access.latency': `${D.alice}ms`,
  'topology.defaults.core.latency': `${D.core}ms`,
  'topology.defaults.interconnect.latency': `${D.inter}ms`,
  'topology.defaults.processing.client': {
    default: `${D.client}ms`,
    byKind: {
      'sakke-encapsulate': `${D.sakkeEncapsulate}ms`,
      'eccsi-sign': `${D.eccsiSign}ms`,
      'eccsi-verify': `${D.eccsiVerify}ms`,
      'sakke-decapsulate': `${D.sakkeDecapsulate}ms`,
    },
  },
  'topology.defaults.processing.server': { default: `${D.server}ms` },
  'topology.defaults.processing.gateway': { default: `${D.gateway}ms` },
  'topology.defaults.processing.kms': { default: `${D.kms}ms` },
};

type Parts = Record<string, number>;

/** Adds parts together, category by category. */
const sum = (...all: Parts[]): Parts => {
  const out: Parts = {};
  for (const p of all) for (const [k, v] of Object.entries(p)) out[k] = (out[k] ?? 0) + v;
  return out;
};

/** A flow from one MC service server to another's, and the receiving server's job (section 3's hop table). */
const serverToServer = (hiding: boolean): Parts =>
  hiding
    ? {
        'link.core': 2 * D.core,
        'processing.gateway': 2 * D.gateway,
        'link.interconnect': D.inter,
        'processing.server': D.server,
      }
    : { 'link.interconnect': D.inter, 'processing.server': D.server };

/** The caller's SAKKE encapsulation and ECCSI signing before each encrypted request (33.180 E.3, A21). */
const prepare: Parts = { 'crypto.sakke': D.sakkeEncapsulate, 'crypto.eccsi': D.eccsiSign };

/** The set-up, message by message, of each variant. */
function expectedSetup(opts: { hiding: boolean; e2ee: boolean; lookup: boolean; fetchCert: boolean }): Parts {
  const toServer = (access: number): Parts => ({ 'link.access': access, 'processing.server': D.server });
  const atAlice: Parts = { 'link.access': D.alice, 'processing.client': D.client };
  return sum(
    opts.e2ee ? prepare : {},
    // 10.16.5.3 step 1: to bob's primary ID, answered by A with the redirection (step 3).
    toServer(D.alice),
    serverToServer(opts.hiding),
    serverToServer(opts.hiding),
    atAlice,
    // D.2.7: alice's Home KMS (C) asks B's KMS, across the interconnect and back: three KMS jobs.
    opts.lookup
      ? sum({ 'link.access': D.alice, 'processing.kms': 3 * D.kms, 'link.interconnect': 2 * D.inter }, atAlice)
      : {},
    // D.2: the certificate of B's KMS from the Home KMS, when alice does not hold it.
    opts.fetchCert ? sum({ 'link.access': D.alice, 'processing.kms': D.kms }, atAlice) : {},
    opts.e2ee ? prepare : {},
    // Step 4: to bob's partner ID at B; bob verifies and decapsulates, then accepts.
    toServer(D.alice),
    serverToServer(opts.hiding),
    { 'link.access': D.bob, 'processing.client': D.client },
    opts.e2ee ? { 'crypto.eccsi': D.eccsiVerify, 'crypto.sakke': D.sakkeDecapsulate } : {},
    toServer(D.bob),
    serverToServer(opts.hiding),
    // C's server sends the response and Floor Granted together; alice handles the response first,
    // so the grant, which ends the set-up, waits one client job for her only worker (A23).
    { 'link.access': D.alice, 'queue.client': D.client, 'processing.client': D.client },
  );
}

const VARIANTS = {
  'kms-uri-in-redirection': { hiding: true, e2ee: true, lookup: false, fetchCert: false },
  'kms-lookup': { hiding: true, e2ee: true, lookup: true, fetchCert: false },
  'kms-lookup-cert-not-cached': { hiding: true, e2ee: true, lookup: true, fetchCert: true },
  'e2ee-off': { hiding: true, e2ee: false, lookup: false, fetchCert: false },
  'kms-uri-in-redirection-hiding-off': { hiding: false, e2ee: true, lookup: false, fetchCert: false },
  'kms-lookup-hiding-off': { hiding: false, e2ee: true, lookup: true, fetchCert: false },
};

const inMs = (m: Map<string, number> | undefined): Parts =>
  Object.fromEntries([...(m ?? [])].map(([k, us]) => [k, us / 1000]));

describe('where the time of a private call to a migrated user goes, constant delays', () => {
  const loaded = loadScenario(FILE, CONSTANT);

  it.each(Object.entries(VARIANTS))('%s: every category is the sum of its stretches', (name, opts) => {
    const variant = loaded.variants.find((v) => v.name === name);
    const data = runReplication(variant?.model as NonNullable<typeof variant>['model'], 1, 0);
    const expected = expectedSetup(opts);
    const total = Object.values(expected).reduce((s, x) => s + x, 0);
    expect(data.samples.get('private_call.setup')).toEqual([total * 1000]);
    expect(inMs(data.breakdown.get('private_call.setup'))).toEqual(expected);
  });

  it('the lookup adds two access hops, two interconnect crossings, three KMS jobs and one client job, exactly', () => {
    const result = runExperiment(loaded, { runs: 3, variants: ['kms-uri-in-redirection', 'kms-lookup'] });
    const c = result.comparisons.find((x) => x.metric === 'private_call.setup');
    expect(c?.mean_diff).toBe(2 * D.alice + 2 * D.inter + 3 * D.kms + D.client);
    expect(c?.breakdown).toEqual({
      'link.access': { mean_diff: 2 * D.alice, ci95: [2 * D.alice, 2 * D.alice] },
      'link.core': { mean_diff: 0, ci95: [0, 0] },
      'link.interconnect': { mean_diff: 2 * D.inter, ci95: [2 * D.inter, 2 * D.inter] },
      'queue.client': { mean_diff: 0, ci95: [0, 0] },
      'processing.client': { mean_diff: D.client, ci95: [D.client, D.client] },
      'processing.server': { mean_diff: 0, ci95: [0, 0] },
      'processing.gateway': { mean_diff: 0, ci95: [0, 0] },
      'processing.kms': { mean_diff: 3 * D.kms, ci95: [3 * D.kms, 3 * D.kms] },
      'crypto.sakke': { mean_diff: 0, ci95: [0, 0] },
      'crypto.eccsi': { mean_diff: 0, ci95: [0, 0] },
    });
  });

  it('names the procedure steps: the redirection, the lookup and the second request of 10.16.5.3', () => {
    const result = runExperiment(loaded, { runs: 1, variants: ['kms-lookup'] });
    const steps = result.variants[0]?.metrics['private_call.setup']?.steps ?? {};
    const hops = (...xs: number[]): number => xs.reduce((s, x) => s + x, 0);
    // Step 3: A's server to the gateways, across, into C, C's server, alice's access and her job.
    expect(steps['23.280 10.16.5.3 step 3 PrivateCallRedirection']).toBe(
      hops(2 * D.core, 2 * D.gateway, D.inter, D.server, D.alice, D.client),
    );
    expect(steps['33.180 D.2.7 KmsLookupRequest']).toBe(hops(D.alice, D.kms, D.inter, D.kms));
    expect(steps['33.180 D.2.7 KmsLookupResponse']).toBe(hops(D.inter, D.kms, D.alice, D.client));
    // Step 4: alice to C, C to B through both gateways, B's server, bob's access and his job.
    expect(steps['23.280 10.16.5.3 step 4 PrivateCallRequest']).toBe(
      hops(D.alice, D.server, 2 * D.core, 2 * D.gateway, D.inter, D.server, D.bob, D.client),
    );
    const mean = result.variants[0]?.metrics['private_call.setup']?.mean as number;
    expect(Object.values(steps).reduce((s, x) => s + x, 0)).toBeCloseTo(mean, 9);
  });
});
