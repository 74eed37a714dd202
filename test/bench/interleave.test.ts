import { describe, expect, it } from 'vitest';
import { interleave } from '../../bench/interleave.ts';

/**
 * A child as interleave.ts expects one: `ready`, a wait for the go, then `steps` steps of some
 * 2 ms of busy work, each stamped with the wall clock and counted as progress, then its stamps
 * as the report.
 */
const worker = (steps: number): string[] => [
  '-e',
  `process.stdout.write('ready\\n');
   require('node:fs').readSync(0, Buffer.alloc(16));
   const stamps = [];
   for (let i = 0; i < ${steps}; i++) {
     const until = performance.timeOrigin + performance.now() + 2;
     while (performance.timeOrigin + performance.now() < until);
     stamps.push(performance.timeOrigin + performance.now());
     process.stdout.write('progress ' + (i + 1) + '\\n');
   }
   process.stdout.write(JSON.stringify({ stamps }) + '\\n');`,
];

const quiet = (): void => undefined;

describe('children run in turns', () => {
  it('runs one child at a time, giving each turn to the child furthest behind', async () => {
    const specs = [
      { label: 'a', args: worker(120) },
      { label: 'b', args: worker(120) },
      { label: 'c', args: worker(60) },
    ];
    const started = performance.now();
    const done = await interleave<{ stamps: number[] }>(specs, quiet, 30);
    const elapsed = (performance.now() - started) / 1000;
    const marks = done.flatMap((d, child) => d.report.stamps.map((at) => ({ at, child }))).sort((x, y) => x.at - y.at);
    expect(marks).toHaveLength(300);
    // While one child runs the others are stopped: the children's steps come in runs, one run
    // per turn, never mixed step by step.
    let switches = 0;
    for (let i = 1; i < marks.length; i++)
      if ((marks[i] as { child: number }).child !== (marks[i - 1] as { child: number }).child) switches++;
    const turns = done.reduce((s, d) => s + d.turns, 0);
    expect(switches).toBeLessThan(turns);
    // Each turn goes to the child with the least progress, so the one with half the work is
    // done first and the other two are each other's match throughout.
    const lastOf = (child: number): number => done[child]?.report.stamps.at(-1) as number;
    expect(lastOf(2)).toBeLessThan(Math.min(lastOf(0), lastOf(1)));
    // Replayed from the stamps, whatever the machine's speed: whenever a child's run of steps
    // begins, no unfinished child had made fewer steps (within the progress lines the parent
    // may not have read yet when it chose).
    const made = [0, 0, 0];
    const total = [120, 120, 60];
    marks.forEach((m, i) => {
      if (i === 0 || (marks[i - 1] as { child: number }).child !== m.child) {
        const others = made.filter((n, c) => c !== m.child && n < (total[c] as number));
        if (others.length > 0) expect(made[m.child] as number).toBeLessThanOrEqual(Math.min(...others) + 2);
      }
      made[m.child] = (made[m.child] as number) + 1;
    });
    // Wall time is counted only during a child's own turns.
    const counted = done.reduce((s, d) => s + d.wallSeconds, 0);
    expect(counted).toBeGreaterThan(0);
    expect(counted).toBeLessThanOrEqual(elapsed);
  }, 30_000);

  it('fails with the child that died and what it said', async () => {
    const specs = [
      { label: 'fine', args: worker(50) },
      {
        label: 'broken',
        args: [
          '-e',
          "process.stdout.write('ready\\n'); require('node:fs').readSync(0, Buffer.alloc(16)); console.error('out of cheese'); process.exit(3);",
        ],
      },
    ];
    await expect(interleave(specs, quiet, 30)).rejects.toThrow(/broken failed \(3\): out of cheese/);
  }, 30_000);
});
