import { describe, expect, it } from 'vitest';
import { runExperiment } from '../../../src/experiment/experiment.ts';
import { runReplication } from '../../../src/experiment/replication.ts';
import { loadScenario } from '../../../src/scenario/load.ts';

/**
 * The critical path of a migration service authorization (23.280 10.6.3.3.1), bob moving from his
 * primary A to B and on to C, with every delay constant: each category and each numbered step of
 * the clause equals what its flows add up to, from the scenario's numbers (docs/domain.md 4.5).
 */
const FILE = 'scenarios/migration-authorization.yaml';

const D = { access: 20, core: 2, inter: 15, client: 7, server: 3, gateway: 2 };

const CONSTANT = {
  'topology.defaults.access.latency': `${D.access}ms`,
  'topology.defaults.core.latency': `${D.core}ms`,
  'topology.defaults.interconnect.latency': `${D.inter}ms`,
  'topology.defaults.processing': {
    client: { default: `${D.client}ms` },
    server: { default: `${D.server}ms` },
    gateway: { default: `${D.gateway}ms` },
  },
};

const AUTH = '23.280 10.6.3.3.1';
const REQUEST = 'MigrationServiceAuthorizationRequest';
const RESPONSE = 'MigrationServiceAuthorizationResponse';

type Parts = Record<string, number>;

/**
 * One authorization, step by step: the UE's request to the partner (1), its initial check (2),
 * steps 3-5 towards the primary through the gateways of the systems that hide, the primary's check
 * and record (6-7), steps 8-10 back, the partner's record (11), and the answer to the UE (12).
 */
function authorization(partnerHides: boolean, primaryHides: boolean): { categories: Parts; steps: Parts } {
  const steps: Parts = {
    [`${AUTH} step 1 ${REQUEST}`]: D.access,
    [`${AUTH} step 2 ${REQUEST}`]: D.server,
    [`${AUTH} steps 6-7 ${REQUEST}`]: D.server,
    [`${AUTH} step 11 ${RESPONSE}`]: D.server,
    [`${AUTH} step 12 ${RESPONSE}`]: D.access + D.client,
  };
  // Each leg's link, then the job of the gateway it reaches (the gateway's relaying is that leg's step).
  const legs = (flow: string, numbers: [string, string, string]): void => {
    const [out, across, into] = numbers;
    if (partnerHides && primaryHides) {
      steps[`${AUTH} step ${out} ${flow}`] = D.core + D.gateway;
      steps[`${AUTH} step ${across} ${flow}`] = D.inter + D.gateway;
      steps[`${AUTH} step ${into} ${flow}`] = D.core;
    } else if (partnerHides || primaryHides) {
      const outFromPartner = flow === REQUEST ? partnerHides : primaryHides;
      if (outFromPartner) {
        steps[`${AUTH} step ${out} ${flow}`] = D.core + D.gateway;
        steps[`${AUTH} steps ${across}-${into} ${flow}`] = D.inter;
      } else {
        steps[`${AUTH} steps ${out}-${across} ${flow}`] = D.inter + D.gateway;
        steps[`${AUTH} step ${into} ${flow}`] = D.core;
      }
    } else steps[`${AUTH} steps ${out}-${into} ${flow}`] = D.inter;
  };
  legs(REQUEST, ['3', '4', '5']);
  legs(RESPONSE, ['8', '9', '10']);
  const gateways = (partnerHides ? 2 : 0) + (primaryHides ? 2 : 0);
  const categories: Parts = {
    'link.access': 2 * D.access,
    ...(gateways > 0 ? { 'link.core': gateways * D.core } : {}),
    'link.interconnect': 2 * D.inter,
    'processing.client': D.client,
    'processing.server': 3 * D.server,
    ...(gateways > 0 ? { 'processing.gateway': gateways * D.gateway } : {}),
  };
  return { categories, steps };
}

const twice = (p: Parts): Parts => Object.fromEntries(Object.entries(p).map(([k, v]) => [k, 2 * v]));
const inMs = (m: Map<string, number> | undefined): Parts =>
  Object.fromEntries([...(m ?? [])].map(([k, us]) => [k, us / 1000]));

/** Whether the partners (B, C) and the primary (A) hide their topology, per variant. */
const VARIANTS: Record<string, [boolean, boolean]> = {
  'hiding-both': [true, true],
  'hiding-off': [false, false],
  'hiding-partner-only': [true, false],
  'deauth-local-only': [true, true],
};

describe('where the time of a migration service authorization goes, constant delays', () => {
  const loaded = loadScenario(FILE, CONSTANT);

  it.each(Object.entries(VARIANTS))(
    '%s: every category and every step of 10.6.3.3.1 is its hand sum',
    (name, hides) => {
      const variant = loaded.variants.find((v) => v.name === name);
      const data = runReplication(variant?.model as NonNullable<typeof variant>['model'], 1, 0);
      const one = authorization(...hides);
      const total = Object.values(one.categories).reduce((s, x) => s + x, 0);
      // A to B, then B to C: the same shape twice.
      expect(data.samples.get('migration.authorization')).toEqual([total * 1000, total * 1000]);
      expect(inMs(data.breakdown.get('migration.authorization'))).toEqual(twice(one.categories));
      expect(inMs(data.steps.get('migration.authorization'))).toEqual(twice(one.steps));
    },
  );

  it('hiding in both systems costs four core hops and four gateway jobs, paired', () => {
    const result = runExperiment(loaded, { runs: 2, variants: ['hiding-off', 'hiding-both'] });
    const c = result.comparisons.find((x) => x.metric === 'migration.authorization');
    expect(c?.mean_diff).toBe(4 * D.core + 4 * D.gateway);
    const diffs = Object.fromEntries(Object.entries(c?.breakdown ?? {}).map(([k, d]) => [k, d.mean_diff]));
    expect(diffs).toEqual({
      'link.access': 0,
      'link.core': 4 * D.core,
      'link.interconnect': 0,
      'processing.client': 0,
      'processing.server': 0,
      'processing.gateway': 4 * D.gateway,
    });
  });
});
