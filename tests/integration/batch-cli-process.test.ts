/**
 * `qiview batch` as a real process (cli/main.ts under tsx), no mocks: on a pseudo-terminal (util-linux `script`) it
 * draws a progress bar with rate and ETA; through a pipe it prints plain progress lines; Ctrl-C (SIGINT) stops it
 * with exit code 130 and nothing half-written, and a re-run finishes the rest.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StudyLedger } from '../../core/node/batch/study-ledger';
import { writeCtSeries } from '../phantoms/ct-series';
import { findBinary } from '../servers/process-helpers';
import { batchArgv, buildPlugins, cliProcessArgs, repoRoot } from '../support/cli-harness';

const PLUGIN = 'org.qiview.example-threshold';
const hasScript = findBinary(['script']) !== null;
let tmp: string;
let small: string;
let large: string;

const cliArgs = (tree: string, out: string) =>
  cliProcessArgs(
    ...batchArgv({
      source: tree,
      plugin: PLUGIN,
      out,
      dataDir: path.join(tmp, 'user'),
      args: ['--no-results'],
    }),
  );
/** Runs the CLI; resolves with its exit code and everything it wrote (stdout + stderr). */
function run(
  cmd: string,
  args: string[],
  onOutput?: (all: string, kill: (s: NodeJS.Signals) => void) => void,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const proc = spawn(cmd, args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const add = (d: Buffer) => {
      output += d.toString();
      onOutput?.(output, (s) => proc.kill(s));
    };
    proc.stdout.on('data', add);
    proc.stderr.on('data', add);
    proc.on('close', (code) => resolve({ code, output }));
  });
}
const quote = (a: string) => `'${a.replace(/'/g, `'\\''`)}'`;

beforeAll(async () => {
  buildPlugins();
  tmp = mkdtempSync(path.join(tmpdir(), 'qiview-batch-proc-'));
  small = path.join(tmp, 'small');
  large = path.join(tmp, 'large');
  for (let i = 0; i < 3; i++) await writeCtSeries(path.join(small, `s${i}`), { dims: [32, 32, 8] });
  for (let i = 0; i < 8; i++) await writeCtSeries(path.join(large, `s${i}`), { dims: [64, 64, 32] });
}, 60_000);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('qiview batch as a process', () => {
  it.skipIf(!hasScript)(
    'on a terminal: a progress bar with rate and ETA',
    async () => {
      const args = cliArgs(small, path.join(tmp, 'out-tty'));
      const command = [process.execPath, ...args].map(quote).join(' ');
      const { code, output } = await run('script', ['-qec', command, '/dev/null']);
      expect(code, output).toBe(0);
      expect(output).toMatch(/3\/3 studies \| 0 failed \| \d+\.\d\/min \| ETA \d+:\d\d/);
      expect(output).toContain('\u001b['); // drawn in place with cursor control
      expect(output).not.toMatch(/^progress /m);
      expect(output).toMatch(/3 done, 0 failed of 3/);
    },
    60_000,
  );

  it('through a pipe: plain progress lines with rate and ETA, no control characters', async () => {
    const { code, output } = await run(process.execPath, cliArgs(small, path.join(tmp, 'out-pipe')));
    expect(code, output).toBe(0);
    const lines = output.split('\n').filter((l) => l.startsWith('progress '));
    expect(lines.at(-1)).toMatch(/^progress 3\/3 done=3 failed=0 skipped=0 rate=\d+\.\d\/min eta=\d+:\d\d$/);
    expect(lines.length).toBeGreaterThanOrEqual(3);
    expect(output).not.toContain('\u001b');
  }, 60_000);

  it('Ctrl-C (SIGINT) stops with exit 130 and nothing half-written; a re-run finishes the rest', async () => {
    const out = path.join(tmp, 'out-int');
    let sent = false;
    const { code, output } = await run(process.execPath, cliArgs(large, out), (all, kill) => {
      if (!sent && /^progress 1\/8 /m.test(all)) {
        sent = true;
        kill('SIGINT');
      }
    });
    expect(sent, output).toBe(true);
    expect(code, output).toBe(130);
    expect(output).toMatch(/interrupted: stopping/);
    const staging = path.join(out, '.staging');
    expect(existsSync(staging) ? readdirSync(staging) : []).toEqual([]);
    // every recorded study is complete (status + outputs), and fewer than all were done
    const recorded = new StudyLedger(out).all();
    expect(recorded.length).toBeGreaterThanOrEqual(1);
    expect(recorded.length).toBeLessThan(8);
    for (const o of recorded) {
      expect(o.status).toBe('done');
      const dir = path.join(out, 'studies', new StudyLedger(out).folderOf(o.key));
      expect(readdirSync(dir).sort()).toEqual([
        'result.json',
        'seg-example-component.dcm',
        'sr.dcm',
        'status.json',
      ]);
    }
    const again = await run(process.execPath, cliArgs(large, out));
    expect(again.code, again.output).toBe(0);
    expect(again.output).toMatch(new RegExp(`skipped=${recorded.length} `));
    expect(again.output).toMatch(/8 done, 0 failed of 8/);
  }, 90_000);
});
