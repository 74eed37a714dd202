import type { McModel } from '../world/model.ts';

/**
 * Properties every finished replication must have (`--check-invariants`). Each returns the
 * violations it found, as sentences a user can act on; an empty list means the run is sound.
 */
export function checkInvariants(model: McModel): string[] {
  return [
    ...procedureOutcomes(model),
    ...messageAccounting(model),
    ...latencies(model),
    ...migrationTables(model),
    ...halfOpenCalls(model),
    ...halfOpenGroupCalls(model),
  ];
}

/** Every started procedure has exactly one outcome (the recorder refuses a second one). */
function procedureOutcomes(model: McModel): string[] {
  if (model.sim.pending > 0) return [];
  return model.recorder.unfinished().map((u) => `${u.metric} ${u.key} started but never ended with an outcome`);
}

/** Messages sent = delivered + lost + still in flight, counted independently. */
function messageAccounting(model: McModel): string[] {
  const c = model.net.counters;
  const inFlight = model.net.scheduledDeliveries;
  if (c.messages === c.delivered + c.lost + inFlight) return [];
  return [
    `messages do not add up: ${c.messages} sent, ${c.delivered} delivered, ${c.lost} lost, ${inFlight} in flight`,
  ];
}

function latencies(model: McModel): string[] {
  const bad = model.recorder.samples.filter(
    (s) => !(Number.isFinite(s.start) && Number.isFinite(s.end) && s.end >= s.start),
  );
  return bad.slice(0, 5).map((s) => `${s.metric} ${s.key} has latency ${s.end - s.start}us`);
}

/**
 * After completed (de-)authorizations the primary's record and the partner's agree
 * (10.6.3.3.1 steps 7 and 11): a user the primary calls migrated to P is migrated at P, and
 * a user P holds as migrated is the one its primary points to. Checked when no procedure
 * is still under way.
 */
function migrationTables(model: McModel): string[] {
  if (model.sim.pending > 0) return [];
  const out: string[] = [];
  for (const primary of model.servers.values()) {
    for (const [primaryId, rec] of primary.migrationTable) {
      if (rec.status !== 'migrated') continue;
      const visitor = model.servers.get(rec.partnerSystem)?.visitorTable.get(rec.partnerId);
      // Without de-authorization steps 3-10 (optional in 10.6.3.3.2) the primary is never told.
      if (visitor?.status === 'left' && !model.topo.system(rec.partnerSystem).deauthorizeTowardsPrimary) continue;
      if (visitor?.status !== 'migrated' || visitor.primaryId !== primaryId) {
        out.push(
          `server${primary.system} holds ${primaryId} as migrated to ${rec.partnerSystem}, which does not hold ${rec.partnerId} as migrated`,
        );
      }
    }
  }
  for (const partner of model.servers.values()) {
    for (const [partnerId, rec] of partner.visitorTable) {
      if (rec.status !== 'migrated') continue;
      const home = model.topo.systemOfId(rec.primaryId);
      const primary = home === undefined ? undefined : model.servers.get(home)?.migrationTable.get(rec.primaryId);
      // A newer authorization elsewhere supersedes this one; the old partner is told only by a
      // de-authorization the user may have had no path to send (10.6.3.3.2 editor's note: FFS).
      if (primary !== undefined && primary.partnerId !== partnerId && primary.status === 'migrated') continue;
      if (primary?.partnerId !== partnerId || primary.status !== 'migrated') {
        out.push(`server${partner.system} holds ${partnerId} as migrated here, but its primary does not point to it`);
      }
    }
  }
  return out;
}

/**
 * No call is left half-open: a connected private dialog at one client is connected at its
 * peer too, and every call record a server keeps belongs to a dialog that still exists. A call
 * whose end went unanswered (a client's release, or a server's end of an accept nobody would
 * take) may have lost that end for good: a network failure, not a model fault.
 */
function halfOpenCalls(model: McModel): string[] {
  if (model.sim.pending > 0) return [];
  const out: string[] = [];
  const legs = new Map<string, string[]>();
  const unconfirmed = new Set<string>();
  for (const client of model.clients.values()) {
    for (const callId of client.calls.unconfirmedReleases) unconfirmed.add(callId);
    for (const leg of client.calls.legs.values()) {
      const list = legs.get(leg.callId) ?? [];
      list.push(`${client.name}:${leg.state}`);
      legs.set(leg.callId, list);
    }
  }
  for (const server of model.servers.values())
    for (const callId of server.calls.unansweredEnds) unconfirmed.add(callId);
  for (const [callId, sides] of legs) {
    // The peer's call end request was lost for good: a network failure, not a model fault.
    if (sides.length === 1 && unconfirmed.has(callId) && sides[0]?.endsWith(':part of ongoing call')) continue;
    if (sides.length !== 2 || sides.some((s) => !s.endsWith(':part of ongoing call')))
      out.push(`call ${callId} is half-open: ${sides.join(', ')}`);
  }
  for (const server of model.servers.values()) {
    for (const record of server.calls.records.values()) {
      if (!legs.has(record.callId) && !unconfirmed.has(record.callId))
        out.push(`server${server.system} keeps call ${record.callId} (${record.state}) that no client has`);
    }
  }
  return out;
}

/**
 * No group call is left half-open (23.379 10.6.2.3.1.1.3: the release reaches every
 * participant): a client still in a group call, and a participating server still relaying one
 * to a client in it, hold a call its controlling server holds too. Calls a server lost in a
 * crash, or whose release a participant never answered (a network failure), may linger. A
 * participating server may keep a record nobody is in (an invitation held up past the call's
 * release, never answered): the next call of the group replaces it.
 */
function halfOpenGroupCalls(model: McModel): string[] {
  if (model.sim.pending > 0) return [];
  const unsettled = new Set<string>();
  for (const server of model.servers.values()) for (const id of server.groups.release.unsettled) unsettled.add(id);
  const held = (groupId: string, callId: string): boolean => {
    const home = model.topo.systemOfId(groupId);
    return (
      unsettled.has(callId) ||
      (home !== undefined && model.servers.get(home)?.groups.homeCalls.get(groupId)?.callId === callId)
    );
  };
  const out: string[] = [];
  for (const client of model.clients.values()) {
    for (const [groupId, callId] of client.groups.inCall) {
      if (!held(groupId, callId))
        out.push(
          `${client.name} is still in group call ${callId} of ${groupId}, which its controlling server released`,
        );
    }
  }
  for (const server of model.servers.values()) {
    for (const [groupId, call] of server.groups.joined) {
      if (held(groupId, call.callId)) continue;
      const inIt = [...call.participants].filter((member) => {
        const name = server.registrations.get(member)?.address;
        return name !== undefined && model.clients.get(name)?.groups.inCall.get(groupId) === call.callId;
      });
      if (inIt.length > 0)
        out.push(
          `server${server.system} still relays group call ${call.callId} of ${groupId}, which its controlling server released, to ${inIt.join(', ')}`,
        );
    }
  }
  return out;
}
