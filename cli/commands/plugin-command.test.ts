import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../program';
import type { CliIo } from '../io';

let work: string;
function io(): CliIo & { lines: string[]; errors: string[] } {
  const lines: string[] = [];
  const errors: string[] = [];
  return { lines, errors, out: (l) => lines.push(l), err: (l) => errors.push(l), isTty: false, env: {} };
}

beforeAll(() => {
  work = mkdtempSync(path.join(tmpdir(), 'qiview-cli-'));
  const dir = path.join(work, 'plugin');
  mkdirSync(dir);
  writeFileSync(path.join(dir, 'LICENSE'), 'MIT');
  writeFileSync(
    path.join(dir, 'index.ts'),
    "import { definePlugin, emptyResult } from '@qiview/sdk';\nexport default definePlugin({ async run() { return emptyResult(); } });\n",
  );
  writeFileSync(
    path.join(dir, 'manifest.json'),
    JSON.stringify({
      id: 'org.example.cli',
      version: '0.0.1',
      apiVersion: '^0.1.0',
      publisher: 'CLI Test',
      license: 'MIT',
      main: 'index.js',
      inputs: [{ role: 'ct', rules: [{ attribute: 'Modality', equals: ['CT'] }] }],
      strings: { en: { name: 'x', description: 'y' }, 'zh-CN': { name: 'x', description: 'y' } },
    }),
  );
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('qiview plugin', () => {
  it('keygen → pack → install (refused until trusted) → list → disable → remove', async () => {
    const d = ['--data-dir', path.join(work, 'data')];
    const base = path.join(work, 'acme');
    expect(await runCli(['plugin', 'keygen', '--publisher', 'Acme', '--out', base], io())).toBe(0);
    expect(await runCli(['plugin', 'keygen', '--publisher', 'Acme', '--out', base], io())).toBe(1);
    const pkg = path.join(work, 'p.qvp');
    expect(
      await runCli(
        ['plugin', 'pack', path.join(work, 'plugin'), '--key', `${base}.key.pem`, '--out', pkg],
        io(),
      ),
    ).toBe(0);

    const refused = io();
    expect(await runCli([...d, 'plugin', 'install', pkg], refused)).toBe(1);
    expect(refused.errors.join('\n')).toMatch(/refused \(untrusted-key\)/);
    expect(existsSync(path.join(work, 'data/plugins/org.example.cli'))).toBe(false);

    expect(await runCli([...d, 'plugin', 'trust', `${base}.pub.json`], io())).toBe(0);
    const ok = io();
    expect(await runCli([...d, 'plugin', 'install', pkg], ok)).toBe(0);
    expect(ok.lines[0]).toMatch(/installed org.example.cli 0.0.1 from Acme \(key [0-9a-f]{16}, trusted\)/);
    const list = io();
    expect(await runCli([...d, 'plugin', 'list', '--json'], list)).toBe(0);
    expect(JSON.parse(list.lines.join('\n'))).toMatchObject([{ id: 'org.example.cli', enabled: true }]);
    expect(await runCli([...d, 'plugin', 'disable', 'org.example.cli'], io())).toBe(0);
    expect(await runCli([...d, 'plugin', 'remove', 'org.example.cli'], io())).toBe(0);
    expect(await runCli([...d, 'plugin', 'remove', 'org.example.cli'], io())).toBe(1);
    expect(await runCli(['plugin', 'no-such-command'], io())).toBe(2);
  });

  it('runs as a real process with exit codes', () => {
    const r = spawnSync(
      'npx',
      ['tsx', 'cli/main.ts', 'plugin', 'list', '--data-dir', path.join(work, 'empty')],
      {
        encoding: 'utf8',
      },
    );
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('no plugins installed');
  });
});
