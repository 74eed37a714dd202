import { aleaNext, seedAlea, type AleaFields, type Distribution, type RandomStreams, type Rng } from '../kernel/index.ts';

/** Where a node's job kinds get their streams: named streams, or (tests) a function per kind. */
export type KindStreams = RandomStreams | ((kind: string, address: string) => Rng);

/**
 * The job kinds the nodes of one processing spec have seen, numbered in the order first seen,
 * with their service time distributions. Shared by every node of the spec (every client of a
 * system shares one), so a node keeps no table of its own: only its streams' state, by kind
 * number. A lookup here reads a small table every node uses, which stays in the cache, where
 * a table per node is a cache miss per job in a large population (issue 8).
 */
export class SpecKinds {
  private readonly numbers = new Map<string, number>();
  readonly dists: Distribution[] = [];

  constructor(private readonly timeFor: (kind: string) => Distribution) {}

  numberOf(kind: string): number {
    let n = this.numbers.get(kind);
    if (n === undefined) {
      n = this.dists.length;
      this.numbers.set(kind, n);
      this.dists.push(this.timeFor(kind));
    }
    return n;
  }
}

/** Four numbers per kind: alea's k0, k1, k2 and carry; a carry of -1 marks a stream not yet seeded. */
const STATE = 4;

const specKinds = new WeakMap<object, SpecKinds>();

/** The kinds of a processing spec, made when its first node is. */
export function kindsOf(spec: { timeFor(kind: string): Distribution }): SpecKinds {
  let kinds = specKinds.get(spec);
  if (kinds === undefined) specKinds.set(spec, (kinds = new SpecKinds((kind) => spec.timeFor(kind))));
  return kinds;
}

/**
 * The streams of one node's job kinds: alea states side by side in one array indexed by kind
 * number, or, with a stream function, the streams it gave. Fields of the node itself: no object
 * per kind, nor one per node beside the node (issue 8). (Fields, not a base class: a derived
 * class's instances came out with their properties partly out of the object, and each node
 * cost several times as much to build.)
 */
export interface KindDraws {
  kindStates: number[] | undefined;
  kindRngs: (Rng | undefined)[] | undefined;
}

/** Draws a service time of `dist` from the stream of kind number `n` (named `kind`) of the node at `address`. */
export function drawService(d: KindDraws, dist: Distribution, n: number, kind: string, address: string, streams: KindStreams): number {
  if (typeof streams === 'function') {
    const rngs = (d.kindRngs ??= []);
    return dist.sample((rngs[n] ??= streams(kind, address)));
  }
  let states = d.kindStates;
  const at = n * STATE;
  if (states === undefined || states.length <= at) {
    // Made at the exact size for the kinds seen so far: a node sees a handful.
    const grown = new Array<number>((n + 1) * STATE).fill(-1);
    if (states !== undefined) for (let i = 0; i < states.length; i++) grown[i] = states[i] as number;
    d.kindStates = states = grown;
  }
  const cursor = CURSOR;
  if ((states[at + 3] as number) < 0) seedAlea(cursor, streams.lanes4('node/', address, '/proc/', kind));
  else {
    cursor.k0 = states[at] as number;
    cursor.k1 = states[at + 1] as number;
    cursor.k2 = states[at + 2] as number;
    cursor.c = states[at + 3] as number;
  }
  const service = dist.sample(cursor);
  states[at] = cursor.k0;
  states[at + 1] = cursor.k1;
  states[at + 2] = cursor.k2;
  states[at + 3] = cursor.c;
  return service;
}

/** The stream being drawn from, its state loaded for one sample: a draw is synchronous and touches one node. */
class Cursor implements Rng, AleaFields {
  k0 = 0;
  k1 = 0;
  k2 = 0;
  c = 0;

  next(): number {
    return aleaNext(this);
  }
}

const CURSOR = new Cursor();
