/**
 * The model as `scale`'s child reaches it. compare.ts copies this file, with scale.ts, into a
 * checkout of another commit, where the model's modules may lie elsewhere; static imports of
 * today's paths would fail there. So each export is looked up in a list of places, today's
 * first, and taken from the first one that exists in the tree this file sits in and exports it.
 * When a module moves, put its new path at the head of its list and keep the older ones, so that
 * compare.ts still reaches commits from before the move.
 *
 * The types are today's (type imports are erased, so they bind nothing at run time); an older
 * tree's exports must keep the shape scale.ts uses.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { runReplication } from '../src/experiment/replication.ts';
import type { McModel } from '../src/mc/world/model.ts';
import type { buildModelConfig } from '../src/scenario/build.ts';
import type { loadScenario, validate } from '../src/scenario/load.ts';

export interface ModelEntry {
  readonly runReplication: typeof runReplication;
  readonly McModel: typeof McModel;
  readonly buildModelConfig: typeof buildModelConfig;
  readonly validate: typeof validate;
  readonly loadScenario: typeof loadScenario;
}

/** Where each export has lived, newest first, relative to this file. */
const PLACES: { readonly [K in keyof ModelEntry]: readonly string[] } = {
  runReplication: ['../src/experiment/replication.ts'],
  McModel: ['../src/mc/world/model.ts', '../src/mc/model.ts'],
  buildModelConfig: ['../src/scenario/build.ts'],
  validate: ['../src/scenario/load.ts'],
  loadScenario: ['../src/scenario/load.ts'],
};

async function find(name: string, places: readonly string[]): Promise<unknown> {
  for (const place of places) {
    const url = new URL(place, import.meta.url);
    if (!existsSync(url)) continue;
    const module = (await import(url.href)) as Record<string, unknown>;
    if (name in module) return module[name];
  }
  const tree = fileURLToPath(new URL('..', import.meta.url));
  throw new Error(`model-entry: no ${name} in ${places.join(', ')} of ${tree}; add its place to PLACES`);
}

/** Imports the model's entry points from wherever this tree keeps them. */
export async function loadModel(): Promise<ModelEntry> {
  const entries = await Promise.all(
    Object.entries(PLACES).map(async ([name, places]) => [name, await find(name, places)] as const),
  );
  return Object.fromEntries(entries) as unknown as ModelEntry;
}
