#!/usr/bin/env node
// Starts the CLI from one bundle of its TypeScript sources, made on first use (launch.mjs), in
// this process or, to give it a heap limit that fits the machine, in a child (heap.mjs).
import { relaunch } from './heap.mjs';

if (!(await relaunch())) {
  const { launch } = await import('./launch.mjs');
  await launch();
}
