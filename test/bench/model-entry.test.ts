import { describe, expect, it } from 'vitest';
import { loadModel } from '../../bench/model-entry.ts';
import { McModel } from '../../src/mc/world/model.ts';

describe('the scale child reaches the model through model-entry', () => {
  it("finds every entry point in this tree, the same objects as today's modules export", async () => {
    const entry = await loadModel();
    expect(entry.McModel).toBe(McModel);
    for (const fn of Object.values(entry)) expect(typeof fn).toBe('function');
  });
});
