import { describe, expect, it } from 'vitest';
import { workerSource } from '../../src/experiment/worker-source.ts';

describe('workerSource', () => {
  it('bundles the replication worker into one CommonJS script, once per process', async () => {
    const source = await workerSource();
    expect(source.kind === 'file' ? source.why : source.kind).toBe('bundle');
    expect(workerSource()).toBe(workerSource());
    if (source.kind !== 'bundle') return;
    expect(source.code).toContain('src/experiment/worker.ts');
    expect(source.code).toContain('src/mc/world/model.ts');
    expect(source.code).not.toMatch(/^import /m);
  });

  it('leaves zod and yaml out: a worker gets validated scenarios, and their modules would double its start-up', async () => {
    const source = await workerSource();
    if (source.kind !== 'bundle') throw new Error(source.why);
    expect(source.code).not.toContain('node_modules/zod/');
    expect(source.code).not.toContain('node_modules/yaml/');
  });
});
