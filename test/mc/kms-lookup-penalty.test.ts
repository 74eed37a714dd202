import { describe, expect, it } from 'vitest';
import { runExperiment } from '../../src/experiment/experiment.ts';
import { loadScenario } from '../../src/scenario/load.ts';

describe('KMS lookup vs KMS URI in the redirection, random delays, 1000 runs', () => {
  const result = runExperiment(loadScenario('scenarios/private-call-to-migrated-user.yaml'), {
    runs: 1000,
    variants: ['kms-uri-in-redirection', 'kms-lookup', 'e2ee-off'],
  });
  const variant = (name: string) => result.variants.find((v) => v.name === name);

  it('reports both variants with a ci95 of the set-up time', () => {
    for (const name of ['kms-uri-in-redirection', 'kms-lookup']) {
      const setup = variant(name)?.metrics['private_call.setup'];
      expect(setup?.n).toBe(1000);
      expect(setup?.ci95?.[0]).toBeLessThan(setup?.mean ?? NaN);
      expect(setup?.ci95?.[1]).toBeGreaterThan(setup?.mean ?? NaN);
      expect(variant(name)?.outcomes['private_call.setup']).toEqual({ success: 1000 });
    }
  });

  it('the lookup variant is slower by the extra round trip: the paired difference is the lookup time', () => {
    const diff = result.comparisons.find((c) => c.metric === 'private_call.setup' && c.b === 'kms-lookup');
    const lookup = variant('kms-lookup')?.metrics['kms.lookup'];
    expect(diff?.significant).toBe(true);
    // With common random numbers every draw but the lookup's is shared, so replication by
    // replication the set-up grows by exactly that replication's lookup round trip.
    expect(diff?.mean_diff).toBeCloseTo(lookup?.mean ?? NaN, 5);
    expect(lookup?.mean).toBeGreaterThanOrEqual(diff?.ci95?.[0] ?? Infinity);
    expect(lookup?.mean).toBeLessThanOrEqual(diff?.ci95?.[1] ?? -Infinity);
    expect(variant('kms-uri-in-redirection')?.metrics['kms.lookup']).toBeUndefined();
  });

  it('common random numbers make the paired interval far narrower than the unpaired one', () => {
    const diff = result.comparisons.find((c) => c.metric === 'private_call.setup' && c.b === 'kms-lookup');
    const width = (ci: [number, number] | null | undefined) => (ci ? ci[1] - ci[0] : NaN);
    expect(width(diff?.unpaired_ci95) / width(diff?.ci95)).toBeGreaterThan(5);
  });
});
