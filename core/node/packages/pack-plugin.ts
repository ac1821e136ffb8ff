import { createHash, createPublicKey, sign } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { zipSync, type Zippable } from 'fflate';
import { parseManifest, type Manifest } from '@qiview/sdk';
import { describePublicKey, privateKeyFromPem } from './plugin-keys';
import {
  PACKAGE_FORMAT,
  PackageError,
  SIGNATURE_ENTRY,
  signedBytes,
  type PackageSignature,
  type SignedEntry,
} from './package-format';

/** Options of {@link packPlugin}. */
export interface PackOptions {
  /** PKCS#8 PEM of the publisher's Ed25519 private key. */
  privateKeyPem: string;
  /** Bundle `index.ts` with esbuild when the manifest's `main` file is not there yet (default true). */
  bundle?: boolean;
}

const LICENCE_NAMES = ['LICENSE', 'LICENSE.md', 'LICENSE.txt', 'LICENCE', 'LICENCE.md', 'COPYING'];
/** Fixed timestamp so the same inputs give the same package bytes. */
const FIXED_MTIME = new Date('2020-01-01T00:00:00Z');
const SDK_ENTRY = fileURLToPath(new URL('../../../plugins/sdk/index.ts', import.meta.url));

/**
 * Builds a signed package from a plugin folder: `manifest.json` (validated), the code bundle (`manifest.main`, bundled
 * from `index.ts` with esbuild if needed), every declared model (hash checked) and model card, the licence (required)
 * and README.md. Returns the package bytes; deterministic for the same inputs and key.
 */
export async function packPlugin(
  dir: string,
  options: PackOptions,
): Promise<{ bytes: Uint8Array; manifest: Manifest }> {
  const manifestPath = path.join(dir, 'manifest.json');
  if (!existsSync(manifestPath)) throw new PackageError('bad-manifest', `${dir} has no manifest.json`);
  const manifestBytes = readFileSync(manifestPath);
  const checked = parseManifest(JSON.parse(manifestBytes.toString('utf8')));
  if (!checked.ok) throw new PackageError('bad-manifest', `manifest.json: ${checked.errors.join('; ')}`);
  const manifest = checked.manifest;

  const files = new Map<string, Uint8Array>();
  files.set('manifest.json', manifestBytes);
  const mainPath = path.join(dir, manifest.main);
  if (existsSync(mainPath)) files.set(manifest.main, readFileSync(mainPath));
  else if (options.bundle !== false && existsSync(path.join(dir, 'index.ts'))) {
    files.set(manifest.main, await bundlePlugin(path.join(dir, 'index.ts')));
  } else throw new PackageError('bad-manifest', `code bundle ${manifest.main} not found in ${dir}`);

  for (const m of manifest.models) {
    const p = path.join(dir, m.file);
    if (!existsSync(p)) throw new PackageError('model-hash', `model ${m.id}: ${m.file} not found`);
    const data = readFileSync(p);
    if (createHash('sha256').update(data).digest('hex') !== m.sha256) {
      throw new PackageError('model-hash', `model ${m.id}: ${m.file} does not match the manifest sha256`);
    }
    files.set(m.file, data);
    if (m.card && existsSync(path.join(dir, m.card))) files.set(m.card, readFileSync(path.join(dir, m.card)));
  }
  const licence = LICENCE_NAMES.find((n) => existsSync(path.join(dir, n)));
  if (!licence)
    throw new PackageError('bad-manifest', `${dir} has no licence file (${LICENCE_NAMES.join(', ')})`);
  files.set(licence, readFileSync(path.join(dir, licence)));
  if (existsSync(path.join(dir, 'README.md')))
    files.set('README.md', readFileSync(path.join(dir, 'README.md')));

  const privateKey = privateKeyFromPem(options.privateKeyPem);
  const { publicKey, keyId } = describePublicKey(createPublicKey(privateKey));
  const entries: SignedEntry[] = [...files]
    .map(([p, d]): SignedEntry => [p, d.length, createHash('sha256').update(d).digest('hex')])
    .sort((a, b) => (a[0] < b[0] ? -1 : 1));
  const unsigned: Omit<PackageSignature, 'signature'> = {
    format: PACKAGE_FORMAT,
    pluginId: manifest.id,
    pluginVersion: manifest.version,
    publisher: manifest.publisher,
    publicKey,
    keyId,
    entries,
  };
  const signature = sign(null, signedBytes(unsigned), privateKey).toString('base64');
  const zippable: Zippable = {};
  for (const [p, d] of [...files].sort((a, b) => (a[0] < b[0] ? -1 : 1)))
    zippable[p] = [d, { mtime: FIXED_MTIME }];
  zippable[SIGNATURE_ENTRY] = [
    new TextEncoder().encode(JSON.stringify({ ...unsigned, signature }, null, 2)),
    { mtime: FIXED_MTIME },
  ];
  return { bytes: zipSync(zippable, { level: 9 }), manifest };
}

/** Bundles a plugin's TypeScript entry into one ES module (the SDK is bundled in; nothing else may be imported). */
export async function bundlePlugin(entry: string): Promise<Uint8Array> {
  const esbuild = await import('esbuild');
  const r = await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    write: false,
    minify: false,
    legalComments: 'inline',
    alias: { '@qiview/sdk': SDK_ENTRY },
    logLevel: 'silent',
  });
  return r.outputFiles[0]!.contents;
}
