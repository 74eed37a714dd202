import type { FaultAction } from '../config.ts';
import type { World } from './world.ts';

/**
 * Starts a fault now and schedules its end. A crashed server loses its volatile state (calls,
 * pending transactions) and keeps what the spec has it store: registrations (held by the SIP
 * core), migration records (10.6.3.3.1 steps 7 and 11) and affiliations (GMS).
 */
export function injectFault(model: World, action: FaultAction, index: number): void {
  const f = action.fault;
  const id = `fault-${index}`;
  switch (f.type) {
    case 'linkDown':
    case 'lossBurst': {
      const [a, b] = f.between;
      model.topo.setLinkFault(a, b, id, f.type === 'linkDown' ? { loss: 1 } : { burst: f.burst });
      model.sim.schedule(action.duration, () => model.topo.clearLinkFault(a, b), undefined);
      return;
    }
    case 'crash': {
      model.net.setDown(f.node, true);
      model.actor(f.node)?.crash();
      model.sim.schedule(action.duration, () => model.net.setDown(f.node, false), undefined);
      return;
    }
    case 'mute': {
      model.net.setMuted(f.node, true);
      model.sim.schedule(action.duration, () => model.net.setMuted(f.node, false), undefined);
      return;
    }
  }
}
