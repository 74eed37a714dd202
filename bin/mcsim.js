#!/usr/bin/env node
// The mcsim command. In a checkout it runs the TypeScript sources, bundled on first use
// (launch.mjs); an installed package has no sources and runs its compiled JavaScript (dist/).
// Either way it runs in this process or, to give it a heap limit that fits the machine, in a
// child (heap.mjs).
import { existsSync } from 'node:fs';
import { URL } from 'node:url';
import { relaunch } from './heap.mjs';

if (await relaunch()) {
  // The child ran the command; relaunch() exits as it did.
} else if (existsSync(new URL('../src/cli/main.ts', import.meta.url))) {
  const { launch } = await import('./launch.mjs');
  await launch();
} else if (existsSync(new URL('../dist/cli/main.js', import.meta.url))) {
  // The module runs the command line when it is the program's entry (src/cli/main.ts).
  await import('../dist/cli/main.js');
} else {
  // npm installs a git dependency from its sources, which the package leaves out; it compiles
  // them only when packing (prepack), so such an installation has neither.
  process.stderr.write(
    'mcsim: this installation has no compiled code (dist/); install mcsim from a tarball made with npm pack (docs/ci.md)\n',
  );
  process.exit(2);
}
