/**
 * The `model` benchmark's main case, for bench/model.ts and its child for compare.ts,
 * model-child.ts: the bundled scenario's private call, repeated LONG_CALLS times in one
 * replication (each released after 1 s, the next 10 s later), in each of VARIANTS. compare.ts
 * copies this file into a checkout of another commit, so it imports types only: they are erased,
 * and bind nothing there at run time.
 */
import type { Action, ModelConfig } from '../src/mc/config.ts';
import type { LoadedScenario } from '../src/scenario/load.ts';

export const VARIANTS = ['kms-uri-in-redirection', 'kms-lookup'] as const;
export const LONG_CALLS = 5_000;
const LONG_SPACING_US = 10_000_000;
const LONG_HOLD_US = 1_000_000;

/** The model of each of VARIANTS, in that order. */
export function variantConfigs(
  loaded: Pick<LoadedScenario, 'variants'>,
  file: string,
): { name: (typeof VARIANTS)[number]; config: ModelConfig }[] {
  return VARIANTS.map((name) => {
    const v = loaded.variants.find((x) => x.name === name);
    if (v === undefined) throw new Error(`${file} has no variant ${name}`);
    return { name, config: v.model };
  });
}

/** The variant's single private call, repeated LONG_CALLS times in one replication. */
export function longConfig(config: ModelConfig): ModelConfig {
  const call = config.timeline.find((a): a is Extract<Action, { kind: 'privateCall' }> => a.kind === 'privateCall');
  if (call === undefined) throw new Error('the model benchmark needs a private call in the timeline');
  const timeline = Array.from({ length: LONG_CALLS }, (_, i) => ({
    ...call,
    at: i * LONG_SPACING_US,
    hangUpAfter: LONG_HOLD_US,
  }));
  return { ...config, timeline };
}
