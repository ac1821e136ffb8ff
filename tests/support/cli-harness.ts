/**
 * Running the `qiview` CLI from tests and benches, no mocks: in-process through {@link runCli} with captured output,
 * or as a real child process (`node --import tsx cli/main.ts …`, cwd = repository root); plus reading what a batch
 * wrote (summary.csv, a study's output folder) and building the bundled plugins the batch loads.
 */
import { execFileSync, spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CliIo } from '../../cli/io';
import { runCli } from '../../cli/program';
import { readCsv } from '../../core/common/results';

/** The repository root (cwd of CLI child processes and of tools/build-plugins.mjs). */
export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/** A {@link CliIo} that keeps every stdout line in `lines` and every stderr line in `errs`; not a terminal. */
export type CapturedIo = CliIo & { lines: string[]; errs: string[] };

export function captureIo(): CapturedIo {
  const lines: string[] = [];
  const errs: string[] = [];
  return { lines, errs, out: (l) => lines.push(l), err: (l) => errs.push(l), isTty: false, env: {} };
}

/** Runs the CLI in-process with a fresh {@link captureIo}; `seconds` is the wall time of the run. */
export async function runCliCaptured(
  argv: string[],
): Promise<{ code: number; io: CapturedIo; seconds: number }> {
  const io = captureIo();
  const t0 = performance.now();
  const code = await runCli(argv, io);
  return { code, io, seconds: (performance.now() - t0) / 1000 };
}

/** One `qiview batch` run: `[--data-dir <dataDir>] batch <source> --plugin <plugin> --out <out> …args`. */
export interface BatchRun {
  source: string;
  plugin: string;
  out: string;
  dataDir?: string;
  args?: string[];
}

export const batchArgv = ({ source, plugin, out, dataDir, args = [] }: BatchRun): string[] => [
  ...(dataDir === undefined ? [] : ['--data-dir', dataDir]),
  'batch',
  source,
  '--plugin',
  plugin,
  '--out',
  out,
  ...args,
];

/** Runs `qiview batch` in-process (see {@link batchArgv}, {@link runCliCaptured}). */
export const runBatch = (run: BatchRun): ReturnType<typeof runCliCaptured> => runCliCaptured(batchArgv(run));

/** Builds the bundled plugins (all, or only the one whose folder under plugins/ is `only`). */
export function buildPlugins(only?: string): void {
  execFileSync(
    process.execPath,
    [path.join(repoRoot, 'tools/build-plugins.mjs'), ...(only ? ['--only', only] : [])],
    { cwd: repoRoot, stdio: 'pipe' },
  );
}

/** Node arguments that run the CLI from source: `--import tsx cli/main.ts …args` (relative to {@link repoRoot}). */
export const cliProcessArgs = (...args: string[]): string[] => ['--import', 'tsx', 'cli/main.ts', ...args];

/** Starts the CLI as a child process of this Node (stdout and stderr piped unless `stdio` says otherwise). */
export function spawnCli(args: string[], stdio: StdioOptions = ['ignore', 'pipe', 'pipe']): ChildProcess {
  return spawn(process.execPath, cliProcessArgs(...args), { cwd: repoRoot, stdio });
}

/** The rows of `<out>/summary.csv` written by `qiview batch`. */
export const readSummary = (out: string): Array<Record<string, string>> =>
  readCsv(readFileSync(path.join(out, 'summary.csv'), 'utf8'));

/** The output folder of one study under `<out>/studies`: the first whose name starts with `prefix` (or the first). */
export function studyDir(out: string, prefix = ''): string {
  const name = readdirSync(path.join(out, 'studies')).find((d) => d.startsWith(prefix));
  if (name === undefined)
    throw new Error(`no study folder${prefix ? ` starting with ${prefix}` : ''} in ${out}`);
  return path.join(out, 'studies', name);
}
