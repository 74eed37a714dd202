/**
 * The MCPTT KPIs of TS 22.179 clause 6.15.3 as mcsim measures them (docs/domain.md section 6).
 * KPI 1 (access time, receiver confirmations excluded) is read on group call set-up, where the
 * server grants the floor without waiting for the members, and (as KPI1-floor) on a floor request
 * inside an established call, which is the access time in its plainest form; KPI 2 (end-to-end access time,
 * call establishment included) on private call set-up; KPI 4 (late call entry) on late entry.
 * KPI 3 (mouth-to-ear) needs a media plane, which mcsim does not model.
 */
export interface KpiSpec {
  id: string;
  metric: string;
  percentile: number;
  limitMs: number;
}

export function standardKpis(e2ee: boolean): KpiSpec[] {
  return [
    { id: 'KPI1', metric: 'group_call.setup', percentile: 95, limitMs: 300 },
    // The same access time for a press inside an established call: Floor Request to Floor Granted.
    { id: 'KPI1-floor', metric: 'group_call.floor_request', percentile: 95, limitMs: 300 },
    { id: 'KPI2', metric: 'private_call.setup', percentile: 95, limitMs: 1000 },
    // R-6.15.3.2-015: 150 ms without application-layer encryption, 350 ms with it.
    { id: 'KPI4', metric: 'group_call.late_entry', percentile: 95, limitMs: e2ee ? 350 : 150 },
  ];
}
