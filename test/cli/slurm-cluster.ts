import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { hostname } from 'node:os';
import { delimiter, join } from 'node:path';

/**
 * A single-node Slurm cluster on this machine, everything in one temporary directory: munged
 * with a key of its own on a socket of its own, slurmctld and slurmd on free ports, a slurm.conf
 * for this host (its CPUs and memory as `slurmd -C` reports them). Debian's slurm-wlm and munge
 * provide the daemons (.ci/run installs them); slurmd runs jobs as their user, so it needs root.
 */

const BINARIES = ['munged', 'mungekey', 'slurmctld', 'slurmd', 'sbatch', 'squeue', 'scontrol', 'scancel', 'sinfo'];

function which(name: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/sbin', '/usr/local/sbin'];
  return dirs.map((d) => join(d, name)).find((p) => existsSync(p));
}

/** Why no cluster can be started here, or undefined when one can be tried. */
export function slurmUnavailable(): string | undefined {
  if (process.platform !== 'linux') return 'Slurm test: not Linux';
  const missing = BINARIES.filter((b) => which(b) === undefined);
  if (missing.length > 0) return `Slurm is not installed (no ${missing.join(', ')}; apt-get install slurm-wlm munge)`;
  if (process.getuid?.() !== 0) return 'Slurm test: slurmd runs jobs as their user and needs root';
  return undefined;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface Cluster {
  /** Environment for Slurm's commands: SLURM_CONF names this cluster's configuration. */
  env: Record<string, string>;
  /** Runs a Slurm command against this cluster; its stdout. */
  run(command: string, ...args: string[]): string;
  /** Cancels the given jobs, stops the daemons this cluster started, and waits for them to exit. */
  stop(jobs?: readonly string[]): Promise<void>;
  /** The last lines of the daemons' logs, for a failure message. */
  logs(): string;
}

export async function startCluster(dir: string): Promise<Cluster> {
  const daemons: ChildProcess[] = [];
  const log = (name: string): number => openSync(join(dir, `${name}.out`), 'a');
  const start = (name: string, args: string[], env: Record<string, string> = {}): void => {
    const child = spawn(which(name) as string, args, {
      stdio: ['ignore', log(name), log(name)],
      env: { ...process.env, ...env },
    });
    child.on('error', () => undefined);
    daemons.push(child);
  };
  const conf = join(dir, 'slurm.conf');
  const env = { SLURM_CONF: conf };
  const run = (command: string, ...args: string[]): string => {
    const r = spawnSync(which(command) as string, args, { encoding: 'utf8', env: { ...process.env, ...env } });
    if (r.status !== 0) throw new Error(`${command} ${args.join(' ')}: ${r.stderr || r.error?.message || r.status}`);
    return r.stdout;
  };
  const logs = (): string =>
    ['munged', 'slurmctld', 'slurmd']
      .map((n) => {
        const file = join(dir, `${n}.log`);
        const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
        return `${n}.log:\n${text.split('\n').slice(-8).join('\n')}`;
      })
      .join('\n');
  const stop = async (jobs: readonly string[] = []): Promise<void> => {
    if (jobs.length > 0) spawnSync(which('scancel') as string, [...jobs], { env: { ...process.env, ...env } });
    const exited = daemons.map(
      (d) =>
        new Promise<void>((resolve) =>
          d.exitCode !== null || d.signalCode !== null ? resolve() : d.on('exit', () => resolve()),
        ),
    );
    for (const d of [...daemons].reverse()) d.kill('SIGTERM');
    const killed = sleep(10_000).then(() => daemons.forEach((d) => d.kill('SIGKILL')));
    await Promise.race([Promise.all(exited), killed]);
  };

  try {
    const socket = join(dir, 'munge.sock');
    run('mungekey', '--create', `--keyfile=${join(dir, 'munge.key')}`);
    // -f: munged as root, and a socket in a directory only root may enter; slurm runs as root too.
    start('munged', [
      '--foreground',
      '--force',
      `--socket=${socket}`,
      `--key-file=${join(dir, 'munge.key')}`,
      `--pid-file=${join(dir, 'munged.pid')}`,
      `--log-file=${join(dir, 'munged.log')}`,
      `--seed-file=${join(dir, 'munged.seed')}`,
    ]);
    for (let i = 0; i < 100 && !existsSync(socket); i++) await sleep(100);
    if (!existsSync(socket)) throw new Error('munged did not create its socket');

    const host = hostname().split('.')[0] as string;
    const node = /CPUs=(\d+).*RealMemory=(\d+)/s.exec(run('slurmd', '-C'));
    if (node === null) throw new Error('slurmd -C did not report CPUs and RealMemory');
    for (const d of ['state', 'spool']) mkdirSync(join(dir, d));
    const [ctldPort, dPort] = [await freePort(), await freePort()];
    writeFileSync(
      conf,
      [
        'ClusterName=mcsimtest',
        `SlurmctldHost=${host}(127.0.0.1)`,
        `SlurmctldPort=${ctldPort}`,
        `SlurmdPort=${dPort}`,
        'SlurmUser=root',
        'SlurmdUser=root',
        'AuthType=auth/munge',
        'CredType=cred/munge',
        `AuthInfo=socket=${socket}`,
        `StateSaveLocation=${join(dir, 'state')}`,
        `SlurmdSpoolDir=${join(dir, 'spool')}`,
        `SlurmctldPidFile=${join(dir, 'slurmctld.pid')}`,
        `SlurmdPidFile=${join(dir, 'slurmd.pid')}`,
        `SlurmctldLogFile=${join(dir, 'slurmctld.log')}`,
        `SlurmdLogFile=${join(dir, 'slurmd.log')}`,
        // No cgroups: process tracking by parent ids, no task containment, no accounting.
        'ProctrackType=proctrack/linuxproc',
        'TaskPlugin=task/none',
        'JobAcctGatherType=jobacct_gather/none',
        'AccountingStorageType=accounting_storage/none',
        'JobCompType=jobcomp/none',
        'SchedulerType=sched/backfill',
        'SelectType=select/cons_tres',
        'SelectTypeParameters=CR_CPU',
        'MpiDefault=none',
        'ReturnToService=2',
        `NodeName=${host} NodeAddr=127.0.0.1 CPUs=${node[1]} RealMemory=${node[2]} State=UNKNOWN`,
        `PartitionName=test Nodes=${host} Default=YES MaxTime=INFINITE State=UP`,
        '',
      ].join('\n'),
    );
    start('slurmctld', ['-D', '-f', conf], env);
    start('slurmd', ['-D', '-f', conf], env);
    let state = '';
    for (let i = 0; i < 60 && state !== 'idle'; i++) {
      await sleep(500);
      try {
        state = run('sinfo', '-h', '-o', '%t').trim();
      } catch {
        // slurmctld not listening yet
      }
    }
    if (state !== 'idle') throw new Error(`the node did not come up (state "${state}")\n${logs()}`);
  } catch (e) {
    await stop();
    throw e;
  }
  return { env, run, stop, logs };
}
