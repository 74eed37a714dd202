import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { COMMANDS } from '../src/cli/commands.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** What `mcsim [command] --help` prints, as a user sees it (yargs wraps at 100 columns when piped). */
function help(...args: string[]): string {
  const r = spawnSync(process.execPath, ['bin/mcsim.js', ...args, '--help'], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, FORCE_COLOR: '0', COLUMNS: '100' },
  });
  if (r.status !== 0) throw new Error(`mcsim ${args.join(' ')} --help exited ${String(r.status)}: ${r.stderr}`);
  return r.stdout.trimEnd();
}

/** docs/cli.md's body: the overview, then every command's help text, from the yargs definitions themselves. */
export function cliReference(): string {
  const sections = COMMANDS.map((command) => `## mcsim ${command}\n\n\`\`\`text\n${help(command)}\n\`\`\``);
  return [`## mcsim\n\n\`\`\`text\n${help()}\n\`\`\``, ...sections].join('\n\n');
}
