import { createHash, verify } from 'node:crypto';
import { parseManifest, SDK_VERSION, type Manifest } from '@qiview/sdk';
import { keyIdOf, publicKeyFromRaw, type PublisherKey } from './plugin-keys';
import {
  DEFAULT_LIMITS,
  PACKAGE_FORMAT,
  PackageError,
  SIGNATURE_ENTRY,
  signedBytes,
  type PackageLimits,
  type PackageSignature,
} from './package-format';
import { readPackageEntries } from './read-package';

/** A package that passed every check. */
export interface VerifiedPackage {
  manifest: Manifest;
  /** Entries other than the signature, by path. */
  files: Map<string, Uint8Array>;
  signature: PackageSignature;
  /** Whether the signing key was already among the trusted keys (false only when `trustKey` allowed it). */
  keyWasTrusted: boolean;
}

/** Options of {@link verifyPackage}. */
export interface VerifyOptions {
  /** Keys the user trusts. */
  trustedKeys: PublisherKey[];
  /** Accept a valid signature by a key not yet trusted (the user explicitly said so). */
  trustKey?: boolean;
  sdkVersion?: string;
  limits?: PackageLimits;
}

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/**
 * Checks a package completely, in memory, writing nothing: safe archive, signature present and valid over the exact
 * entry list, every entry's size and hash, a trusted key (or `trustKey`), the manifest schema, the API version range,
 * the code bundle present and every declared model's sha256. Throws {@link PackageError} with the first problem.
 */
export function verifyPackage(bytes: Uint8Array, options: VerifyOptions): VerifiedPackage {
  const entries = readPackageEntries(bytes, options.limits ?? DEFAULT_LIMITS);
  const sigBytes = entries.get(SIGNATURE_ENTRY);
  if (!sigBytes) throw new PackageError('unsigned', 'package is not signed (no SIGNATURE.json)');
  let sig: PackageSignature;
  try {
    sig = JSON.parse(new TextDecoder().decode(sigBytes)) as PackageSignature;
  } catch {
    throw new PackageError('bad-signature', 'SIGNATURE.json is not valid JSON');
  }
  if (
    sig?.format !== PACKAGE_FORMAT ||
    typeof sig.publicKey !== 'string' ||
    typeof sig.signature !== 'string' ||
    !Array.isArray(sig.entries)
  ) {
    throw new PackageError('bad-signature', `SIGNATURE.json is not a ${PACKAGE_FORMAT} signature`);
  }
  let valid = false;
  try {
    const key = publicKeyFromRaw(sig.publicKey);
    valid = verify(null, signedBytes(sig), key, Buffer.from(sig.signature, 'base64'));
  } catch (e) {
    throw new PackageError('bad-signature', `signature cannot be checked: ${(e as Error).message}`);
  }
  if (!valid) throw new PackageError('tampered', 'signature does not match the package contents (tampered?)');
  const keyId = keyIdOf(Buffer.from(sig.publicKey, 'base64'));
  if (keyId !== sig.keyId) throw new PackageError('bad-signature', 'key id does not match the public key');

  // The signed list must describe exactly the entries present.
  const files = new Map(entries);
  files.delete(SIGNATURE_ENTRY);
  const listed = new Set<string>();
  for (const [p, size, hash] of sig.entries) {
    const data = files.get(p);
    if (!data) throw new PackageError('tampered', `signed entry missing from package: ${p}`);
    if (data.length !== size || sha256(data) !== hash)
      throw new PackageError('tampered', `entry modified: ${p}`);
    listed.add(p);
  }
  for (const p of files.keys()) {
    if (!listed.has(p)) throw new PackageError('tampered', `entry not covered by the signature: ${p}`);
  }

  const trusted = options.trustedKeys.some((k) => k.keyId === keyId && k.publicKey === sig.publicKey);
  if (!trusted && !options.trustKey) {
    throw new PackageError(
      'untrusted-key',
      `signed by an unknown publisher key ${keyId} ("${sig.publisher}"); trust it explicitly to install`,
    );
  }

  const manifestBytes = files.get('manifest.json');
  if (!manifestBytes) throw new PackageError('bad-manifest', 'package has no manifest.json');
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(manifestBytes));
  } catch {
    throw new PackageError('bad-manifest', 'manifest.json is not valid JSON');
  }
  const checked = parseManifest(json, options.sdkVersion ?? SDK_VERSION);
  if (!checked.ok) {
    const api = checked.errors.find((e) => e.startsWith('apiVersion: plugin needs'));
    if (api) throw new PackageError('incompatible-api', api);
    throw new PackageError('bad-manifest', `manifest.json: ${checked.errors.join('; ')}`);
  }
  const manifest = checked.manifest;
  if (manifest.id !== sig.pluginId || manifest.version !== sig.pluginVersion) {
    throw new PackageError('tampered', 'manifest id/version differ from the signed ones');
  }
  if (!files.has(manifest.main))
    throw new PackageError('bad-manifest', `code bundle ${manifest.main} is missing`);
  for (const m of manifest.models) {
    const data = files.get(m.file);
    if (!data) throw new PackageError('model-hash', `model ${m.id}: ${m.file} is missing`);
    if (sha256(data) !== m.sha256)
      throw new PackageError('model-hash', `model ${m.id}: sha256 does not match`);
  }
  return { manifest, files, signature: sig, keyWasTrusted: trusted };
}
