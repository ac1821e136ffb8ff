/**
 * Starts a throwaway PostgreSQL 15 cluster (initdb in a temp dir, trust auth, fsync off) listening on a unix socket in
 * that dir and a free loopback port. PostgreSQL refuses to run as root, so when we are root the dir is handed to the
 * `postgres` user and both initdb and postgres run through `setpriv` (which execs, so the PID we stop is postgres
 * itself). Recipe: /work/shared/guides/stack.md.
 */
import { execFile } from 'node:child_process';
import { chmod, chown, mkdtemp, rm } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { findBinary, freePort, ServerUnavailable, spawnChild, stopChild, waitUntil } from './process-helpers';

const run = promisify(execFile);

/** Where Debian installs the PostgreSQL 15 server binaries. */
export const PG_BIN = '/usr/lib/postgresql/15/bin';

/** A running PostgreSQL cluster. */
export interface PostgresServer {
  /** postgresql://test@127.0.0.1:PORT/postgres */
  connectionString: string;
  port: number;
  /** Directory holding the unix socket (`host` for pg when connecting over the socket). */
  socketDir: string;
  stop(): Promise<void>;
}

/** Why PostgreSQL cannot run here, or null. */
export function postgresUnavailableReason(): string | null {
  if (!findBinary([`${PG_BIN}/initdb`]) || !findBinary([`${PG_BIN}/postgres`]))
    return `PostgreSQL 15 not found in ${PG_BIN} (apt-get install -y postgresql)`;
  if (process.getuid?.() === 0 && !findBinary(['setpriv']))
    return 'running as root and setpriv is missing (needed to run PostgreSQL as the postgres user)';
  return null;
}

async function ids(user: string): Promise<{ uid: number; gid: number }> {
  const uid = Number((await run('id', ['-u', user])).stdout.trim());
  const gid = Number((await run('id', ['-g', user])).stdout.trim());
  return { uid, gid };
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createConnection({ host: '127.0.0.1', port });
    s.on('error', () => resolve(false));
    s.on('connect', () => (s.destroy(), resolve(true)));
  });
}

/** Starts PostgreSQL; throws {@link ServerUnavailable} when it is not installed. */
export async function startPostgres(): Promise<PostgresServer> {
  const why = postgresUnavailableReason();
  if (why) throw new ServerUnavailable(why);
  const root = process.getuid?.() === 0;
  const dir = await mkdtemp(path.join(tmpdir(), 'qiview-pg-'));
  const data = path.join(dir, 'data');
  const asUser = (cmd: string, args: string[]): [string, string[]] =>
    root
      ? ['setpriv', ['--reuid=postgres', '--regid=postgres', '--init-groups', '--', cmd, ...args]]
      : [cmd, args];
  try {
    if (root) {
      const { uid, gid } = await ids('postgres').catch(() => {
        throw new ServerUnavailable('running as root and there is no postgres user');
      });
      await chmod(dir, 0o755);
      await chown(dir, uid, gid);
    }
    const [c, a] = asUser(`${PG_BIN}/initdb`, [
      '-D',
      data,
      '-U',
      'test',
      '--auth=trust',
      '--no-sync',
      '-E',
      'UTF8',
      '--locale=C.UTF-8',
    ]);
    await run(c, a, { cwd: dir });
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
  const port = await freePort();
  const [c, a] = asUser(`${PG_BIN}/postgres`, [
    '-D',
    data,
    '-p',
    String(port),
    '-k',
    dir,
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    'fsync=off',
  ]);
  const child = spawnChild(c, a, { cwd: dir });
  try {
    // the port opens before recovery ends ("the database system is starting up"): wait for the log line too
    await waitUntil(
      'postgres',
      async () => child.output().includes('ready to accept connections') && (await portOpen(port)),
      child,
      30_000,
    );
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
  return {
    connectionString: `postgresql://test@127.0.0.1:${port}/postgres`,
    port,
    socketDir: dir,
    async stop() {
      // SIGINT = PostgreSQL "fast shutdown"
      if (child.proc.exitCode === null) child.proc.kill('SIGINT');
      await Promise.race([child.exited, new Promise((r) => setTimeout(r, 5000))]);
      await stopChild(child);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
