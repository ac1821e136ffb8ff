/**
 * Shared helpers for the test servers: free loopback ports, binary lookup, waiting for readiness, stopping a child.
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { createServer } from 'node:net';

/** A free TCP port on 127.0.0.1 (asked from the OS; another process could take it before use, which is rare). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** The absolute path of an executable, or null when it is missing. */
export function findBinary(candidates: string[]): string | null {
  const dirs = (process.env.PATH ?? '').split(':').filter(Boolean);
  for (const c of candidates) {
    const paths = c.includes('/') ? [c] : dirs.map((d) => `${d}/${c}`);
    for (const p of paths) {
      try {
        accessSync(p, constants.X_OK);
        return p;
      } catch {
        /* next */
      }
    }
  }
  return null;
}

/** Thrown when a server binary is not installed: tests catch it and skip with its message. */
export class ServerUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ServerUnavailable';
  }
}

/** A spawned child with its captured output (for error messages). */
export interface Child {
  proc: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

/** Spawns a process, capturing the last 8 kB of stdout+stderr. */
export function spawnChild(cmd: string, args: string[], opts: SpawnOptions = {}): Child {
  const proc = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...opts });
  let out = '';
  const add = (b: Buffer) => {
    out = (out + b.toString()).slice(-8192);
  };
  proc.stdout?.on('data', add);
  proc.stderr?.on('data', add);
  const exited = new Promise<number | null>((resolve) => {
    proc.on('exit', (code) => resolve(code));
    proc.on('error', (e) => {
      add(Buffer.from(String(e)));
      resolve(-1);
    });
  });
  return { proc, output: () => out, exited };
}

/** Polls `probe` until it returns true; fails with the child's output when it exits or time runs out. */
export async function waitUntil(
  what: string,
  probe: () => Promise<boolean>,
  child: Child,
  timeoutMs = 20_000,
): Promise<void> {
  const t0 = Date.now();
  let dead = false;
  void child.exited.then(() => (dead = true));
  while (Date.now() - t0 < timeoutMs) {
    if (dead) throw new Error(`${what} exited before it was ready:\n${child.output()}`);
    if (await probe().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  child.proc.kill('SIGKILL');
  throw new Error(`${what} not ready after ${timeoutMs} ms:\n${child.output()}`);
}

/** Stops a child with SIGTERM, then SIGKILL after `graceMs`. */
export async function stopChild(child: Child, graceMs = 5000): Promise<void> {
  if (child.proc.exitCode !== null || child.proc.signalCode !== null) return;
  child.proc.kill('SIGTERM');
  const timer = setTimeout(() => child.proc.kill('SIGKILL'), graceMs);
  await child.exited;
  clearTimeout(timer);
}
