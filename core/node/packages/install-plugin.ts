import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { InstalledPlugins, type InstalledPlugin } from './installed-plugins';
import { PackageError, type PackageLimits } from './package-format';
import { TrustedKeys } from './trusted-keys';
import { verifyPackage } from './verify-package';

/** Options of {@link installPlugin}. */
export interface InstallOptions {
  /** The user's plugins folder (UserDataPaths.pluginsDir). */
  pluginsDir: string;
  /** The user explicitly trusts the package's signing key (it is then added to the trusted keys). */
  trustKey?: boolean;
  /** Reinstall the same version. */
  force?: boolean;
  sdkVersion?: string;
  limits?: PackageLimits;
}

/**
 * Verifies a package completely in memory ({@link verifyPackage}) and only then installs it: files are written to a
 * staging folder inside the plugins folder and renamed into `<id>/<version>` in one step, then recorded in
 * `installed.json`. A refused package writes nothing. Returns the installed record.
 */
export function installPlugin(bytes: Uint8Array, options: InstallOptions): InstalledPlugin {
  const trusted = new TrustedKeys(path.join(options.pluginsDir, 'trusted-keys.json'));
  const trustedKeys = trusted.list();
  const verified = verifyPackage(bytes, {
    trustedKeys,
    trustKey: options.trustKey,
    sdkVersion: options.sdkVersion,
    limits: options.limits,
  });
  const { manifest, signature } = verified;
  const registry = new InstalledPlugins(options.pluginsDir);
  const existing = registry.get(manifest.id);
  if (existing && existing.version === manifest.version && !options.force) {
    throw new PackageError('already-installed', `${manifest.id} ${manifest.version} is already installed`);
  }

  const target = path.join(options.pluginsDir, manifest.id, manifest.version);
  const staging = path.join(options.pluginsDir, `.staging-${randomBytes(6).toString('hex')}`);
  try {
    for (const [p, data] of verified.files) {
      const out = path.resolve(staging, p);
      if (!out.startsWith(path.resolve(staging) + path.sep))
        throw new PackageError('bad-path', `unsafe path ${p}`);
      mkdirSync(path.dirname(out), { recursive: true });
      writeFileSync(out, data, { mode: 0o644 });
    }
    mkdirSync(path.dirname(target), { recursive: true });
    if (existsSync(target)) rmSync(target, { recursive: true, force: true });
    renameSync(staging, target);
  } catch (e) {
    rmSync(staging, { recursive: true, force: true });
    if (e instanceof PackageError) throw e;
    throw new PackageError('io-error', `could not write the plugin: ${(e as Error).message}`);
  }
  if (!verified.keyWasTrusted) {
    trusted.add({ publicKey: signature.publicKey, keyId: signature.keyId, publisher: signature.publisher });
  }
  const entry: InstalledPlugin = {
    id: manifest.id,
    version: manifest.version,
    // The name the user trusted the key under wins over the name the package claims.
    publisher: trustedKeys.find((k) => k.keyId === signature.keyId)?.publisher ?? signature.publisher,
    keyId: signature.keyId,
    trust: verified.keyWasTrusted ? 'trusted' : 'trusted-on-install',
    enabled: true,
    installedAt: new Date().toISOString(),
    dir: `${manifest.id}/${manifest.version}`,
  };
  registry.put(entry);
  if (existing && existing.version !== manifest.version) {
    rmSync(path.join(options.pluginsDir, existing.dir), { recursive: true, force: true });
  }
  return entry;
}
