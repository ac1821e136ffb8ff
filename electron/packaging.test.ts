/**
 * Packaging checks: the electron-builder config is valid for the installed electron-builder and names the right
 * targets, package.json `main` is the file the build produces, and the bundles have the shape Electron needs
 * (a self-contained sandboxed preload that requires nothing but 'electron').
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const yaml = require('js-yaml') as { load(text: string): unknown };
const config = yaml.load(readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as Record<
  string,
  any
>;
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));

const targets = (platform: string): string[] =>
  (config[platform].target as (string | { target: string })[]).map((t) =>
    typeof t === 'string' ? t : t.target,
  );

describe('electron-builder.yml', () => {
  it('passes electron-builder’s own schema validation', async () => {
    const { validateConfiguration } = require('app-builder-lib/out/util/config/config.js');
    const { DebugLogger } = require('builder-util');
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
    // The validator does reject a bad config (so the check above means something).
    await expect(
      validateConfiguration({ ...config, mac: { ...config.mac, notAnOption: 1 } }, new DebugLogger(false)),
    ).rejects.toThrow(/Invalid configuration/);
  });

  it('identifies the app and builds AppImage+deb, nsis, and a hardened-runtime dmg', () => {
    expect(config.appId).toBe('org.qiview.workstation');
    expect(config.productName).toBe('Qiview');
    expect(targets('linux').sort()).toEqual(['AppImage', 'deb']);
    expect(targets('win')).toEqual(['nsis']);
    expect(targets('mac')).toEqual(['dmg']);
    expect(config.mac.hardenedRuntime).toBe(true);
    expect(existsSync(path.join(root, config.mac.entitlements))).toBe(true);
    expect(readFileSync(path.join(root, config.mac.entitlements), 'utf8')).toContain(
      'com.apple.security.cs.allow-jit',
    );
  });

  it('packs the built renderer, the built shell and package.json, with native modules unpacked', () => {
    expect(config.files).toEqual(expect.arrayContaining(['dist/**/*', 'dist-electron/**/*', 'package.json']));
    expect(config.asarUnpack).toEqual(
      expect.arrayContaining(['**/*.node', 'node_modules/better-sqlite3/**/*']),
    );
    expect(config.publish).toBeNull();
  });
});

describe('bundles', () => {
  let out: string;
  beforeAll(() => {
    out = mkdtempSync(path.join(tmpdir(), 'qiview-electron-build-'));
    const r = spawnSync(process.execPath, [path.join(root, 'tools/build-electron.mjs'), '--outdir', out], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(r.status, r.stderr).toBe(0);
  });
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  const requires = (file: string) =>
    [...readFileSync(file, 'utf8').matchAll(/\brequire\(\s*["'`]([^"'`]+)["'`]\s*\)/g)].map((m) => m[1]);

  it('package.json main points at the built main bundle', () => {
    expect(pkg.main).toBe('dist-electron/main.cjs');
    expect(existsSync(path.join(out, path.basename(pkg.main)))).toBe(true);
    expect(config.files).toContain(`${path.dirname(pkg.main)}/**/*`);
  });

  it('the preload is one small CommonJS file that requires only electron', () => {
    const file = path.join(out, 'preload.cjs');
    const text = readFileSync(file, 'utf8');
    expect(requires(file)).toEqual(['electron']);
    for (const banned of ['fs', 'node:fs', 'child_process', 'path', 'os', 'zod']) {
      expect(text).not.toContain(`require("${banned}")`);
    }
    expect(text).not.toMatch(/\bimport\s|export\s/); // CommonJS only
    expect(text).not.toMatch(/ipcRenderer\.(send|sendSync|sendToHost|once|postMessage)\b/);
    // One subscription point (import progress, on a fixed channel; tested in preload.test.ts).
    expect(text.match(/ipcRenderer\.on\(/g)).toHaveLength(1);
    expect(text.match(/exposeInMainWorld\(/g)).toHaveLength(1);
    expect(text.length).toBeLessThan(10_000); // schemas (zod) must not leak into the preload
  });

  it('the main bundle requires only Node built-ins, electron and the native externals', () => {
    const script = readFileSync(path.join(root, 'tools/build-electron.mjs'), 'utf8');
    expect(script).toMatch(/MAIN_EXTERNALS = \[[^\]]*'better-sqlite3'/);
    const allowed = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`), 'electron']);
    const externals = ['better-sqlite3', 'onnxruntime-node', 'pg-native'];
    for (const r of requires(path.join(out, 'main.cjs'))) {
      expect(allowed.has(r) || externals.includes(r), r).toBe(true);
    }
    expect(requires(path.join(out, 'main.cjs'))).toContain('electron');
  });
});
