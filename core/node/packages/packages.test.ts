import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { strFromU8, unzipSync, zipSync, type Zippable } from 'fflate';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  generatePluginKeyPair,
  installPlugin,
  InstalledPlugins,
  packPlugin,
  PackageError,
  TrustedKeys,
  verifyPackage,
  type PluginKeyPair,
} from './index';

let work: string;
let pluginsDir: string;
let key: PluginKeyPair;

const model = new Uint8Array([8, 7, 1, 2, 3]);
function writePlugin(dir: string, manifestPatch: Record<string, unknown> = {}) {
  mkdirSync(path.join(dir, 'models'), { recursive: true });
  writeFileSync(path.join(dir, 'models/m.onnx'), model);
  writeFileSync(
    path.join(dir, 'index.js'),
    'export default { async run() { return { labelmaps: [], maps: [], measurements: [], findings: [] }; } };\n',
  );
  writeFileSync(path.join(dir, 'LICENSE'), 'Apache-2.0\n');
  const manifest = {
    id: 'org.example.pkg',
    version: '1.2.3',
    apiVersion: '^0.1.0',
    publisher: 'Example Imaging',
    license: 'Apache-2.0',
    main: 'index.js',
    inputs: [{ role: 'ct', rules: [{ attribute: 'Modality', equals: ['CT'] }] }],
    models: [
      {
        id: 'm',
        file: 'models/m.onnx',
        sha256: createHash('sha256').update(model).digest('hex'),
        opset: 17,
        inputs: [{ name: 'x', shape: [1] }],
        outputs: [{ name: 'y', shape: [1] }],
      },
    ],
    strings: { en: { name: 'Pkg', description: 'd' }, 'zh-CN': { name: '包', description: '描述' } },
    ...manifestPatch,
  };
  writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2));
}

/** Re-zips a package's entries after `edit`, keeping everything else (to build hostile variants). */
function rezip(bytes: Uint8Array, edit: (files: Record<string, Uint8Array>) => void): Uint8Array {
  const files = unzipSync(bytes);
  edit(files);
  const z: Zippable = {};
  for (const [k, v] of Object.entries(files)) z[k] = v;
  return zipSync(z);
}

function expectRefused(
  bytes: Uint8Array,
  code: string,
  opts: Partial<Parameters<typeof installPlugin>[1]> = {},
) {
  let err: unknown;
  try {
    installPlugin(bytes, { pluginsDir, ...opts });
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(PackageError);
  expect((err as PackageError).code).toBe(code);
  expect((err as PackageError).message.length).toBeGreaterThan(10);
  // Nothing written: the plugins folder has no plugin folder, no staging folder, no registry.
  const left = existsSync(pluginsDir) ? readdirSync(pluginsDir).filter((f) => f !== 'trusted-keys.json') : [];
  expect(left).toEqual([]);
  return err as PackageError;
}

beforeEach(() => {
  work = mkdtempSync(path.join(tmpdir(), 'qvp-'));
  pluginsDir = path.join(work, 'user', 'plugins');
  key = generatePluginKeyPair('Example Imaging');
  writePlugin(path.join(work, 'src'));
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

describe('plugin packages', () => {
  it('packs deterministically, installs with explicit trust, lists, disables and removes', async () => {
    const a = await packPlugin(path.join(work, 'src'), { privateKeyPem: key.privateKeyPem });
    const b = await packPlugin(path.join(work, 'src'), { privateKeyPem: key.privateKeyPem });
    expect(Buffer.from(a.bytes).equals(Buffer.from(b.bytes))).toBe(true);
    const entries = Object.keys(unzipSync(a.bytes)).sort();
    expect(entries).toEqual(['LICENSE', 'SIGNATURE.json', 'index.js', 'manifest.json', 'models/m.onnx']);

    const rec = installPlugin(a.bytes, { pluginsDir, trustKey: true });
    expect(rec).toMatchObject({
      id: 'org.example.pkg',
      version: '1.2.3',
      trust: 'trusted-on-install',
      enabled: true,
    });
    expect(readFileSync(path.join(pluginsDir, 'org.example.pkg/1.2.3/models/m.onnx'))).toEqual(
      Buffer.from(model),
    );
    expect(new TrustedKeys(path.join(pluginsDir, 'trusted-keys.json')).list().map((k) => k.keyId)).toEqual([
      key.publicKey.keyId,
    ]);
    expect(() => installPlugin(a.bytes, { pluginsDir })).toThrow(/already installed/);
    const again = installPlugin(a.bytes, { pluginsDir, force: true });
    expect(again.trust).toBe('trusted');

    const reg = new InstalledPlugins(pluginsDir);
    expect(reg.setEnabled('org.example.pkg', false)).toBe(true);
    expect(reg.get('org.example.pkg')?.enabled).toBe(false);
    expect(reg.remove('org.example.pkg')).toBe(true);
    expect(existsSync(path.join(pluginsDir, 'org.example.pkg'))).toBe(false);
    expect(reg.list()).toEqual([]);
  });

  it('bundles index.ts when the code bundle is not built yet', async () => {
    const dir = path.join(work, 'ts');
    writePlugin(dir, { main: 'dist/index.js' });
    writeFileSync(
      path.join(dir, 'index.ts'),
      "import { definePlugin, emptyResult } from '@qiview/sdk';\nexport default definePlugin({ async run() { return emptyResult(); } });\n",
    );
    const { bytes } = await packPlugin(dir, { privateKeyPem: key.privateKeyPem });
    const code = strFromU8(unzipSync(bytes)['dist/index.js']!);
    expect(code).toContain('export');
    expect(code).not.toContain('@qiview/sdk');
  });

  it('refuses an unsigned package', async () => {
    const { bytes } = await packPlugin(path.join(work, 'src'), { privateKeyPem: key.privateKeyPem });
    expectRefused(
      rezip(bytes, (f) => delete f['SIGNATURE.json']),
      'unsigned',
      { trustKey: true },
    );
  });

  it('refuses tampered code, an added entry and a removed entry', async () => {
    const { bytes } = await packPlugin(path.join(work, 'src'), { privateKeyPem: key.privateKeyPem });
    expectRefused(
      rezip(bytes, (f) => (f['index.js'] = new TextEncoder().encode('fetch("https://evil")'))),
      'tampered',
      {
        trustKey: true,
      },
    );
    expectRefused(
      rezip(bytes, (f) => (f['extra.js'] = new Uint8Array([1]))),
      'tampered',
      { trustKey: true },
    );
    expectRefused(
      rezip(bytes, (f) => delete f['LICENSE']),
      'tampered',
      { trustKey: true },
    );
    // Re-signing with another key but keeping the claimed key id fails too.
    const other = generatePluginKeyPair('Mallory');
    const forged = rezip(bytes, (f) => {
      const sig = JSON.parse(strFromU8(f['SIGNATURE.json']!));
      sig.publicKey = other.publicKey.publicKey;
      f['SIGNATURE.json'] = new TextEncoder().encode(JSON.stringify(sig));
    });
    expectRefused(forged, 'tampered', { trustKey: true });
  });

  it('refuses an unknown publisher unless the user trusts the key', async () => {
    const { bytes } = await packPlugin(path.join(work, 'src'), { privateKeyPem: key.privateKeyPem });
    const e = expectRefused(bytes, 'untrusted-key');
    expect(e.message).toContain(key.publicKey.keyId);
    // Trusted beforehand: installs without the flag.
    new TrustedKeys(path.join(pluginsDir, 'trusted-keys.json')).add(key.publicKey);
    expect(installPlugin(bytes, { pluginsDir }).trust).toBe('trusted');
  });

  it('refuses path traversal, absolute and backslash entries', async () => {
    const { bytes } = await packPlugin(path.join(work, 'src'), { privateKeyPem: key.privateKeyPem });
    for (const bad of ['../evil.js', 'models/../../evil.js', '/etc/passwd', 'C:/x.js', 'a\\..\\b.js']) {
      expectRefused(
        rezip(bytes, (f) => (f[bad] = new Uint8Array([1]))),
        'bad-path',
        { trustKey: true },
      );
    }
  });

  it('refuses zip bombs and oversized packages before decompressing', async () => {
    const { bytes } = await packPlugin(path.join(work, 'src'), { privateKeyPem: key.privateKeyPem });
    const bomb = rezip(bytes, (f) => (f['models/zeros.bin'] = new Uint8Array(64 * 1024 * 1024)));
    expect(bomb.length).toBeLessThan(1024 * 1024);
    expectRefused(bomb, 'zip-bomb', { trustKey: true });
    expectRefused(bytes, 'too-large', {
      trustKey: true,
      limits: {
        maxPackageBytes: 1e9,
        maxTotalBytes: 100,
        maxEntryBytes: 1e9,
        maxEntries: 100,
        maxRatio: 100,
      },
    });
    expectRefused(new TextEncoder().encode('this is not a zip file at all, sorry'), 'unreadable', {
      trustKey: true,
    });
  });

  it('refuses an incompatible API version and a model that does not match its hash', async () => {
    const { bytes } = await packPlugin(path.join(work, 'src'), { privateKeyPem: key.privateKeyPem });
    const e = expectRefused(bytes, 'incompatible-api', { trustKey: true, sdkVersion: '2.0.0' });
    expect(e.message).toContain('^0.1.0');
    writeFileSync(path.join(work, 'src/models/m.onnx'), new Uint8Array([0]));
    await expect(packPlugin(path.join(work, 'src'), { privateKeyPem: key.privateKeyPem })).rejects.toThrow(
      /sha256/,
    );
  });

  it('verifyPackage reports the manifest of a good package', async () => {
    const { bytes } = await packPlugin(path.join(work, 'src'), { privateKeyPem: key.privateKeyPem });
    const v = verifyPackage(bytes, { trustedKeys: [key.publicKey] });
    expect(v.manifest.id).toBe('org.example.pkg');
    expect(v.keyWasTrusted).toBe(true);
  });
});
