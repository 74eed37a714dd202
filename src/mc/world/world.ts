import type { RandomStreams, Simulator } from '../../kernel/index.ts';
import type { Network } from '../../net/index.ts';
import type { Actor } from '../actor.ts';
import type { Client } from '../client/client.ts';
import type { ModelConfig } from '../config.ts';
import type { McId } from '../protocol/identity.ts';
import type { McMessage } from '../protocol/messages.ts';
import type { Topology } from './topology.ts';

/** What the timeline, the load generators and the faults act on: one replication's model. */
export interface World {
  readonly sim: Simulator;
  readonly streams: RandomStreams;
  readonly config: ModelConfig;
  readonly topo: Topology;
  readonly net: Network<McMessage>;
  readonly clients: ReadonlyMap<string, Client>;
  client(name: string): Client;
  groupId(group: string): McId;
  /** The actor at a node address: infrastructure or client. */
  actor(address: string): Actor | undefined;
}
