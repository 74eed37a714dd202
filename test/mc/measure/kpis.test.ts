import { describe, expect, it } from 'vitest';
import { runExperiment } from '../../../src/experiment/experiment.ts';
import { SERVICE_KPIS, standardKpis } from '../../../src/mc/measure/kpis.ts';
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

describe('KPIs per service: MCPTT KPIs on MCPTT only (TS 22.179); TS 22.281 and TS 22.282 define none', () => {
  const result = runExperiment(
    loadScenario('scenarios/private-call-services.yaml', { 'experiment.standardKpis': true }),
    { runs: 20 },
  );
  const mcpttMetrics = SERVICE_KPIS.find((s) => s.service === 'mcptt')?.metrics ?? [];

  it('judges no MCPTT KPI on an MCVideo or MCData metric', () => {
    for (const v of result.variants)
      for (const k of v.kpis) expect(mcpttMetrics, `${v.name} ${k.id} on ${k.metric}`).toContain(k.metric);
    const byName = new Map(result.variants.map((v) => [v.name, v]));
    expect(byName.get('mcvideo')?.kpis).toEqual([]);
    expect(byName.get('mcdata')?.kpis).toEqual([]);
    expect(byName.get('mcptt-automatic')?.kpis.map((k) => k.id)).toEqual(['KPI2']);
  });

  it('lists, per service measured, the specification and the standard KPIs that applied', () => {
    const coverage = Object.fromEntries(result.variants.map((v) => [v.name, v.standard_kpis]));
    expect(coverage['mcptt-automatic']).toEqual([{ service: 'mcptt', spec: 'TS 22.179 6.15.3', judged: ['KPI2'] }]);
    expect(coverage['mcvideo']).toEqual([{ service: 'mcvideo', spec: 'TS 22.281', judged: [] }]);
    for (const v of result.variants.filter((x) => x.name.startsWith('mcdata')))
      expect(v.standard_kpis).toEqual([{ service: 'mcdata', spec: 'TS 22.282', judged: [] }]);
  });

  it('says no standard KPI applied when a scenario turns them off', () => {
    const off = runExperiment(loadScenario('scenarios/private-call-services.yaml'), {
      runs: 2,
      variants: ['mcptt-automatic'],
    });
    expect(off.variants[0]?.kpis).toEqual([]);
    expect(off.variants[0]?.standard_kpis).toEqual([{ service: 'mcptt', spec: 'TS 22.179 6.15.3', judged: [] }]);
  });

  it('lists KPI1-floor among the MCPTT KPIs judged where floor requests inside a call are measured', () => {
    const floors = runExperiment(loadScenario('scenarios/load-group-calls.yaml'), { runs: 2 });
    for (const v of floors.variants) {
      expect(v.kpis.map((k) => k.id)).toContain('KPI1-floor');
      expect(v.standard_kpis.find((s) => s.service === 'mcptt')?.judged).toEqual(v.kpis.map((k) => k.id));
    }
  });
});
