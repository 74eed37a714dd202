import { describe, expect, it } from 'vitest';
import { runExperiment } from '../../../src/experiment/experiment.ts';
import { standardKpis } from '../../../src/mc/measure/kpis.ts';
import { loadScenario } from '../../../src/scenario/load.ts';

describe('standard MCPTT KPIs (TS 22.179 6.15.3)', () => {
  it('KPI 4 allows 350 ms with encryption and 150 ms without', () => {
    expect(standardKpis(false).find((k) => k.id === 'KPI4')?.limitMs).toBe(150);
    expect(standardKpis(true).find((k) => k.id === 'KPI4')?.limitMs).toBe(350);
  });

  it('are judged at the 95th percentile on the metrics a run measured, per variant', () => {
    const result = runExperiment(loadScenario('scenarios/migration-during-group-call.yaml'), { runs: 20 });
    for (const v of result.variants) {
      expect(v.kpis.map((k) => k.id)).toEqual(['KPI1', 'KPI4']);
      const late = v.kpis.find((k) => k.id === 'KPI4');
      expect(late?.limit_ms).toBe(v.name.endsWith('e2ee') ? 350 : 150);
      // The verdict is the nearest-rank p95 of the late-entry samples against the limit.
      expect(late?.value_ms).toBe(v.metrics['group_call.late_entry']?.p95);
      expect(late?.pass).toBe((late?.value_ms ?? Infinity) < (late?.limit_ms ?? 0));
    }
  });
});
