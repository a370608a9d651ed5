/**
 * A throwaway PostgreSQL cluster for the tests: initdb in a temporary folder, started on a free loopback port,
 * stopped and removed after. Debian's postgresql package provides initdb and pg_ctl under /usr/lib/postgresql/N/bin;
 * PostgreSQL refuses to run as root, so as root both run as the postgres user, in a folder it owns.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../free-port.js';

/** The superuser initdb creates: the tests connect as it, without a password (trust, loopback only). */
export const CLUSTER_USER = 'permanence';

/** The clusters' folders, in the temporary folder. */
const PREFIX = 'permanence-pg-';

export interface Cluster {
  port: number;
  /** The cluster's folder (its data and its socket). */
  dir: string;
  /** A URL for one of its databases. */
  url(database: string): string;
  stop(): void;
}

/** Where initdb and pg_ctl are (the newest installed version), or why the tests cannot have a cluster. */
export function findPostgres(): { bin: string } | { missing: string } {
  const versions = existsSync('/usr/lib/postgresql')
    ? readdirSync('/usr/lib/postgresql')
        .filter((v) => existsSync(join('/usr/lib/postgresql', v, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions.length) return { bin: join('/usr/lib/postgresql', versions[0]!, 'bin') };
  const onPath = spawnSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' }).stdout.trim();
  if (onPath && existsSync(join(onPath, '..', 'pg_ctl'))) return { bin: join(onPath, '..') };
  return { missing: 'no initdb/pg_ctl found (apt-get install postgresql)' };
}

export interface ClusterOptions {
  /**
   * Commits reach the disk as in production (fsync, synchronous commit and full pages on): for benchmarks set
   * beside SQLite's synchronous=FULL. Off by default, for the tests' speed.
   */
  durable?: boolean;
}

/**
 * Starts a new cluster. Unless `durable`, durability is traded for speed (fsync and synchronous commit off): the
 * cluster lives as long as one test run. `max_connections` is raised: each test file opens a pool per test store.
 */
export async function startCluster(bin: string, options: ClusterOptions = {}): Promise<Cluster> {
  const root = process.getuid?.() === 0;
  const owner = root ? ids('postgres') : undefined;
  const as = (command: string, args: string[], cwd: string) => {
    const run = { stdio: 'pipe' as const, cwd };
    return owner ? execFileSync('runuser', ['-u', 'postgres', '--', command, ...args], run) : execFileSync(command, args, run);
  };
  sweepAbandoned((data, cwd) => as(join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop'], cwd));
  const dir = mkdtempSync(join(tmpdir(), PREFIX));
  // Which run the cluster belongs to: a later run removes it if this one died without stopping it.
  writeFileSync(join(dir, 'owner'), String(process.pid));
  if (owner) chownSync(dir, owner.uid, owner.gid);
  chmodSync(dir, 0o700);
  const data = join(dir, 'data');
  try {
    as(join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', CLUSTER_USER, '-E', 'UTF8', '--no-sync', '--no-instructions'], dir);
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`initdb failed: ${(err as { stderr?: Buffer }).stderr?.toString().trim() ?? err}`);
  }
  const settings = [
    'listen_addresses=127.0.0.1',
    `unix_socket_directories=${dir}`,
    ...(options.durable ? [] : ['fsync=off', 'synchronous_commit=off', 'full_page_writes=off']),
    'max_connections=400',
    'shared_buffers=64MB',
    'log_min_messages=fatal',
  ];
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    try {
      as(join(bin, 'pg_ctl'), ['-D', data, '-l', join(dir, 'log'), '-w', '-t', '60', '-o', [`-p ${port}`, ...settings.map((s) => `-c ${s}`)].join(' '), 'start'], dir);
    } catch (err) {
      // Another process took the port between our look and the start: draw another.
      if (attempt < 3) continue;
      const log = existsSync(join(dir, 'log')) ? readFileSync(join(dir, 'log'), 'utf8').trim().split('\n').slice(-3).join(' / ') : '';
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`pg_ctl start failed: ${(err as { stderr?: Buffer }).stderr?.toString().trim() ?? err}${log ? ` (${log})` : ''}`);
    }
    let stopped = false;
    const stop = () => {
      if (stopped) return;
      stopped = true;
      process.off('exit', stop);
      try {
        as(join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop'], dir);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    };
    // A run interrupted (Ctrl-C, a crash) must not leave a server behind.
    process.on('exit', stop);
    return { port, dir, url: (database) => `postgres://${CLUSTER_USER}@127.0.0.1:${port}/${database}`, stop };
  }
}

/** Stops and removes the clusters of earlier runs that died (killed) without doing it; those of live runs stay. */
function sweepAbandoned(stop: (data: string, cwd: string) => void): void {
  for (const name of readdirSync(tmpdir()).filter((n) => n.startsWith(PREFIX))) {
    const dir = join(tmpdir(), name);
    let pid: number;
    try {
      pid = Number(readFileSync(join(dir, 'owner'), 'utf8'));
    } catch {
      continue;
    }
    if (alive(pid)) continue;
    try {
      if (existsSync(join(dir, 'data', 'postmaster.pid'))) stop(join(dir, 'data'), dir);
    } catch {
      // Already stopped.
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as { code?: string }).code === 'EPERM';
  }
}

function ids(user: string): { uid: number; gid: number } {
  const id = (flag: string) => Number(execFileSync('id', [flag, user], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}
