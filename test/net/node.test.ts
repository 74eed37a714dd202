import { describe, expect, it } from 'vitest';
import { constant, exponential, type Distribution } from '../../src/kernel/distribution.ts';
import { RandomStreams } from '../../src/kernel/random.ts';
import { Simulator } from '../../src/kernel/simulator.ts';
import { Node } from '../../src/net/node.ts';
import { StateTable } from '../../src/net/state-table.ts';

function makeNode(workers: number, service: Distribution | ((kind: string) => Distribution)) {
  const sim = new Simulator();
  const timeFor = typeof service === 'function' ? service : () => service;
  const streams = new RandomStreams(1, 0);
  const node = new Node('serverA', sim, { workers, timeFor }, new StateTable(), streams);
  return { sim, node };
}

describe('Node', () => {
  it('with one worker serves jobs one at a time in FIFO order, at exact times', () => {
    const { sim, node } = makeNode(1, constant(10));
    const done: [string, number][] = [];
    for (const name of ['a', 'b', 'c', 'd']) node.submit('REQ', () => done.push([name, sim.now]));
    expect(node.busyWorkers).toBe(1);
    expect(node.queueLength).toBe(3);
    sim.run();
    expect(done).toEqual([
      ['a', 10],
      ['b', 20],
      ['c', 30],
      ['d', 40],
    ]);
    expect(node.stats).toEqual({ jobs: 4, busyTime: 40, waitTime: 0 + 10 + 20 + 30, maxQueue: 3 });
    expect(node.busyWorkers).toBe(0);
  });

  it('with c workers serves c jobs in parallel', () => {
    const { sim, node } = makeNode(3, constant(100));
    const done: [number, number][] = [];
    for (let i = 0; i < 7; i++) node.submit('REQ', () => done.push([i, sim.now]));
    sim.run();
    expect(done).toEqual([
      [0, 100],
      [1, 100],
      [2, 100],
      [3, 200],
      [4, 200],
      [5, 200],
      [6, 300],
    ]);
    expect(node.stats.maxQueue).toBe(4);
  });

  it('jobs arriving over time start when a worker frees, and never before they arrive', () => {
    const { sim, node } = makeNode(2, (kind) => constant(kind === 'slow' ? 50 : 10));
    const done: [string, number][] = [];
    const at = (t: number, name: string, kind: string): void =>
      void sim.schedule(t, () => node.submit(kind, () => done.push([name, sim.now])), undefined);
    at(0, 's1', 'slow'); // worker 1: 0-50
    at(5, 'f1', 'fast'); // worker 2: 5-15
    at(6, 'f2', 'fast'); // waits for worker 2: 15-25
    at(7, 's2', 'slow'); // waits: 25-75
    at(100, 'f3', 'fast'); // idle node: 100-110
    sim.run();
    expect(done).toEqual([
      ['f1', 15],
      ['f2', 25],
      ['s1', 50],
      ['s2', 75],
      ['f3', 110],
    ]);
  });

  it('a continuation may submit more work, which queues behind jobs already waiting', () => {
    const { sim, node } = makeNode(1, constant(10));
    const done: string[] = [];
    node.submit('REQ', () => {
      done.push(`a@${sim.now}`);
      node.submit('REQ', () => done.push(`a2@${sim.now}`));
    });
    node.submit('REQ', () => done.push(`b@${sim.now}`));
    sim.run();
    expect(done).toEqual(['a@10', 'b@20', 'a2@30']);
  });

  it('under random service, utilisation and waits stay consistent with the clock', () => {
    const { sim, node } = makeNode(2, exponential(1_000));
    let completed = 0;
    const arrive = (): void => {
      node.submit('REQ', () => completed++);
      if (sim.now < 1_000_000) sim.schedule(700, arrive, undefined);
    };
    sim.schedule(0, arrive, undefined);
    sim.run();
    expect(completed).toBe(node.stats.jobs);
    expect(node.stats.busyTime).toBeLessThanOrEqual(2 * sim.now);
    expect(node.queueLength).toBe(0);
  });

  it('refuses fewer than one worker', () => {
    expect(() => makeNode(0, constant(1))).toThrow(RangeError);
  });
});
