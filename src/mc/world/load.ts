import type { Micros, Rng } from '../../kernel/index.ts';
import type { Client } from '../client/client.ts';
import type { CallRequest } from '../client/call-book.ts';
import type { World } from './world.ts';
import type { BackgroundLoad, GroupCallLoad, ModelConfig, PrivateCallLoad } from '../config.ts';
import type { McId } from '../protocol/identity.ts';

const expInterval = (rng: Rng, ratePerSecond: number): Micros =>
  Math.max(1, Math.round((-Math.log(1 - rng.next()) / ratePerSecond) * 1_000_000));

/**
 * Generators schedule one arrival at a time (the next one when the current fires), so the
 * event queue holds one entry per generator whatever the length of the run.
 */
export function startPrivateCallLoad(model: World, load: PrivateCallLoad, index: number): void {
  const rng = model.streams.stream(`load/${index}/private-calls`);
  // Holding times from a stream of their own: arrivals and pairs stay the same whatever the
  // holding-time distribution (common random numbers across variants).
  const holding = model.streams.stream(`load/${index}/private-calls/holding`);
  // The clients themselves, drawn by index in the order of `users`: no lookup by name per call,
  // and the callee's own primary ID as the target rather than one built again per call. A name
  // that is no client stays a name, looked up when drawn as a timed privateCall's would be.
  const pool: (Client | string)[] =
    load.users.length > 0 ? load.users.map((n) => model.clients.get(n) ?? n) : [...model.clients.values()];
  const n = pool.length;
  if (n < 2) return;
  // One row of three slots per user, side by side: the client (or a name that is none), its
  // name and its primary ID. An arrival reads the caller's row and the callee's, two lines of
  // one array, rather than four slots of three arrays of every user, each on a page of its own
  // in a large population; nor does it reach the callee's client.
  const rows: (Client | string | undefined)[] = [];
  for (const p of pool)
    rows.push(p, typeof p === 'string' ? p : p.name, typeof p === 'string' ? undefined : p.primaryId);
  const end = load.at + load.duration;
  const { data, fileBytes } = load;
  const arrive = (): void => {
    const from = Math.floor(rng.next() * n);
    const caller = rows[3 * from] as Client | string;
    let to = Math.floor(rng.next() * (n - 1));
    if (rows[3 * to] === caller) to = n - 1;
    // Built field by field rather than spread from parts, which copies through a generic path.
    const req: CallRequest = {
      peer: rows[3 * to + 1] as string,
      service: load.service,
      commencement: load.commencement,
      floorControl: load.floorControl,
    };
    const target = rows[3 * to + 2] as McId | undefined;
    if (target !== undefined) req.target = target;
    if (data !== undefined) req.data = data;
    if (fileBytes !== undefined) req.fileBytes = fileBytes;
    if (load.hangUpAfter !== undefined) req.hangUpAfter = load.hangUpAfter.sample(holding);
    (typeof caller === 'string' ? model.client(caller) : caller).calls.start(req);
    const next = model.sim.now + expInterval(rng, load.rate);
    if (next < end) model.sim.scheduleAt(next, arrive, undefined);
  };
  const first = load.at + expInterval(rng, load.rate);
  if (first < end) model.sim.scheduleAt(first, arrive, undefined);
}

/** Group name -> the users configured as its members, in population order: made once per config. */
const memberTables = new WeakMap<ModelConfig, ReadonlyMap<string, readonly string[]>>();

export function groupMembers(config: ModelConfig): ReadonlyMap<string, readonly string[]> {
  let table = memberTables.get(config);
  if (table === undefined) {
    const made = new Map<string, string[]>(config.groups.map((g) => [g.id, []]));
    for (const u of config.users) for (const g of u.groups) made.get(g)?.push(u.name);
    memberTables.set(config, (table = made));
  }
  return table;
}

export function startGroupCallLoad(model: World, load: GroupCallLoad, index: number): void {
  const rng = model.streams.stream(`load/${index}/group-calls`);
  const holding = model.streams.stream(`load/${index}/group-calls/holding`);
  const members = groupMembers(model.config);
  const names = load.groups.length > 0 ? load.groups : model.config.groups.map((g) => g.id);
  // Groups nobody is configured in have no one to press PTT (the scenario checks refuse a listed one).
  const groups = names.flatMap((name) => {
    const users = members.get(name) ?? [];
    return users.length === 0 ? [] : [{ id: model.groupId(name), users }];
  });
  if (groups.length === 0) return;
  const end = load.at + load.duration;
  const arrive = (): void => {
    const group = groups[Math.floor(rng.next() * groups.length)] as (typeof groups)[number];
    const initiator = group.users[Math.floor(rng.next() * group.users.length)] as string;
    model.client(initiator).groups.press(group.id, load.holdFor.sample(holding));
    const next = model.sim.now + expInterval(rng, load.rate);
    if (next < end) model.sim.scheduleAt(next, arrive, undefined);
  };
  const first = load.at + expInterval(rng, load.rate);
  if (first < end) model.sim.scheduleAt(first, arrive, undefined);
}

/** Background jobs until `until` (the run's end); service times are the node's `background` kind. */
export function startBackgroundLoad(model: World, load: BackgroundLoad, until: Micros): void {
  const address = `${load.role}${load.system}`;
  if (!model.net.hasNode(address)) return;
  const node = model.net.node(address);
  const rng = model.streams.stream(`background/${address}`);
  const noop = (): void => undefined;
  const arrive = (): void => {
    node.submit('background', noop);
    const next = model.sim.now + expInterval(rng, load.rate);
    if (next < until) model.sim.scheduleAt(next, arrive, undefined);
  };
  const first = expInterval(rng, load.rate);
  if (first < until) model.sim.scheduleAt(first, arrive, undefined);
}
