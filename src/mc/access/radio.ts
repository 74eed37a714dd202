import type { Micros, RandomStreams, Simulator } from '../../kernel/index.ts';
import type { Network, Node } from '../../net/index.ts';
import type { RrcConfig, UserConfig } from '../config.ts';
import type { ProbeBus } from '../measure/probes.ts';
import type { Wait } from '../measure/waits.ts';
import type { McMessage } from '../protocol/messages.ts';
import type { Topology } from '../world/topology.ts';
import { UeRrc } from './rrc.ts';

/** What the radio access uses of its simulation (the actors' Ctx has all of it). */
export interface RadioHost {
  readonly sim: Simulator;
  readonly net: Network<McMessage>;
  readonly streams: RandomStreams;
  readonly topo: Topology;
  readonly users: ReadonlyMap<string, UserConfig>;
  readonly probes: ProbeBus;
  nextId(prefix: string): string;
  /**
   * Sends `msg` into the network and returns its arrival time, or -1 when every attempt will be
   * lost: then the flow's owner acts if it must (protocol/undelivered.ts).
   */
  post(from: Node, to: Node | string, msg: McMessage): Micros;
}

/**
 * A message waiting for its UE's connection: sent when the set-up completes. On the path of an
 * interval it is a radio wait: paging until `setupFrom`, then the connection set-up.
 */
interface Held extends Wait {
  readonly setupFrom: Micros;
  readonly radio: Radio;
  readonly ue: UeRrc;
  readonly user: string;
  readonly uplink: boolean;
  readonly from: Node;
  readonly dest: Node;
  readonly msg: McMessage;
}

interface Connecting {
  readonly radio: Radio;
  readonly key: string;
  /** The message whose arrival found the UE idle: the set-up's wait is its wait. */
  readonly held: Held;
}

function release(h: Held): void {
  // A server that crashed while the message waited for paging lost it with its memory.
  if (h.from.down) return;
  h.radio.cause(h);
  h.radio.transmit(h.ue, h.user, h.uplink, h.from, h.dest, h.msg);
}

function connected(c: Connecting): void {
  c.radio.cause(c.held);
  c.radio.probes.emit({ type: 'rrcConnected', key: c.key, at: c.radio.now });
}

/**
 * The radio state of every UE whose access has `rrc` (docs/domain.md, radio access). Every message
 * to or from a client passes here (Actor.send): a message to or from a connected UE goes at once;
 * an idle UE first sets a connection up before its uplink message leaves, and a downlink message
 * waits at the network side for the UE's next paging occasion and its set-up. Held messages keep
 * their order. Built only when some access has radio state: without it nothing passes here.
 */
export class Radio {
  private readonly ues = new Map<string, UeRrc>();

  constructor(private readonly host: RadioHost) {}

  get probes(): ProbeBus {
    return this.host.probes;
  }

  get now(): Micros {
    return this.host.sim.now;
  }

  /** The wait that ends now is what the running event stands for (Simulator.cause). */
  cause(held: Held): void {
    this.host.sim.cause = held;
  }

  send(from: Node, to: Node | string, msg: McMessage): void {
    const host = this.host;
    const dest = typeof to === 'string' ? host.net.node(to) : to;
    let user = from.address;
    let cfg = this.rrcOf(user);
    const uplink = cfg !== undefined;
    if (!uplink) cfg = this.rrcOf((user = dest.address));
    if (cfg === undefined) return void host.post(from, dest, msg);
    const ue = this.ue(user);
    const now = host.sim.now;
    const wasConnecting = ue.connecting(now);
    const at = uplink ? ue.uplink(now, cfg) : ue.downlink(now, cfg);
    if (at === now) {
      this.transmit(ue, user, uplink, from, dest, msg, cfg);
      return;
    }
    const held: Held = {
      wait: 'radio',
      begin: now,
      cause: host.sim.cause,
      setupFrom: ue.setupFrom,
      radio: this,
      ue,
      user,
      uplink,
      from,
      dest,
      msg,
    };
    if (!wasConnecting) {
      // This message found the UE idle: the set-up it starts is measured (rrc.paging, rrc.setup).
      const key = host.nextId('rrc');
      host.probes.emit({ type: 'rrcConnecting', key, user, paging: !uplink, at: now });
      host.sim.scheduleAt(at, connected, { radio: this, key, held });
    }
    host.sim.scheduleAt(at, release, held);
  }

  /**
   * Sends a message over the UE's radio now, which restarts its inactivity timer. A message held
   * for paging or set-up looks its radio state up again: the UE may have moved while it waited.
   */
  transmit(
    ue: UeRrc,
    user: string,
    uplink: boolean,
    from: Node,
    dest: Node,
    msg: McMessage,
    cfg: RrcConfig | undefined = this.rrcOf(user),
  ): void {
    const host = this.host;
    const arrive = host.post(from, dest, msg);
    if (cfg === undefined) return;
    // The timer runs from the moment the message crosses the radio: leaving the UE, or reaching it.
    ue.touch(uplink || arrive < 0 ? host.sim.now : arrive, cfg);
  }

  /** The radio state configured for a client now: its own, else its serving system's access. */
  private rrcOf(address: string): RrcConfig | undefined {
    const host = this.host;
    const user = host.users.get(address);
    if (user === undefined) return undefined;
    if (user.rrc !== undefined) return user.rrc ?? undefined;
    const serving = host.topo.serving.get(address);
    return serving === undefined ? undefined : host.topo.system(serving).rrc;
  }

  private ue(user: string): UeRrc {
    let ue = this.ues.get(user);
    if (ue === undefined) {
      const s = this.host.streams;
      this.ues.set(user, (ue = new UeRrc(s.create(`user/${user}/paging`), s.create(`user/${user}/rrc`))));
    }
    return ue;
  }
}
