import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import {
  generatePluginKeyPair,
  installPlugin,
  InstalledPlugins,
  packPlugin,
  PACKAGE_EXTENSION,
  PackageError,
  TrustedKeys,
  type PublisherKey,
} from '../../core/node/packages';
import { cliUserData } from '../data-dir';
import { CliError, type CliIo } from '../io';

/** `qiview plugin …`: keys, packaging, installation and management of signed plugins. */
export function pluginCommand(io: CliIo, globals: () => { dataDir?: string }): Command {
  const pluginsDir = () => cliUserData(globals().dataDir, io.env).pluginsDir;
  const cmd = new Command('plugin').description('create, sign, install and manage plugin packages');

  cmd
    .command('keygen')
    .description('create an Ed25519 signing key pair for a publisher')
    .requiredOption('--publisher <name>', 'publisher name shown to users')
    .requiredOption('--out <base>', 'writes <base>.key.pem (private, keep it secret) and <base>.pub.json')
    .action((o: { publisher: string; out: string }) => {
      const keyFile = `${o.out}.key.pem`;
      if (existsSync(keyFile)) throw new CliError(`${keyFile} exists; refusing to overwrite a private key`);
      const pair = generatePluginKeyPair(o.publisher);
      writeFileSync(keyFile, pair.privateKeyPem, { mode: 0o600 });
      chmodSync(keyFile, 0o600);
      writeFileSync(`${o.out}.pub.json`, JSON.stringify(pair.publicKey, null, 2) + '\n');
      io.out(
        `key ${pair.publicKey.keyId} for "${o.publisher}": ${keyFile} (private), ${o.out}.pub.json (share it)`,
      );
    });

  cmd
    .command('pack <dir>')
    .description('build a signed single-file package from a plugin folder')
    .requiredOption('--key <file>', 'the publisher private key (.key.pem)')
    .option('--out <file>', 'package file (default <id>-<version>.qvp)')
    .action(async (dir: string, o: { key: string; out?: string }) => {
      const { bytes, manifest } = await run(() =>
        packPlugin(path.resolve(dir), { privateKeyPem: readFileSync(o.key, 'utf8') }),
      );
      const out = o.out ?? `${manifest.id}-${manifest.version}${PACKAGE_EXTENSION}`;
      writeFileSync(out, bytes);
      io.out(`packed ${manifest.id} ${manifest.version}: ${out} (${bytes.length} bytes)`);
    });

  cmd
    .command('install <file>')
    .description('verify and install a package (signature, trusted key, manifest, API version, model hashes)')
    .option('--trust-key', 'trust the package signing key if it is not trusted yet')
    .option('--force', 'reinstall the same version')
    .action(async (file: string, o: { trustKey?: boolean; force?: boolean }) => {
      const rec = await run(async () =>
        installPlugin(readFileSync(file), { pluginsDir: pluginsDir(), trustKey: o.trustKey, force: o.force }),
      );
      io.out(`installed ${rec.id} ${rec.version} from ${rec.publisher} (key ${rec.keyId}, ${rec.trust})`);
    });

  cmd
    .command('trust <publicKeyFile>')
    .description('trust a publisher key (.pub.json)')
    .action((file: string) => {
      const key = JSON.parse(readFileSync(file, 'utf8')) as PublisherKey;
      new TrustedKeys(path.join(pluginsDir(), 'trusted-keys.json')).add(key);
      io.out(`trusted key ${key.keyId} ("${key.publisher}")`);
    });

  cmd
    .command('untrust <keyId>')
    .description('stop trusting a publisher key')
    .action((keyId: string) => {
      if (!new TrustedKeys(path.join(pluginsDir(), 'trusted-keys.json')).remove(keyId)) {
        throw new CliError(`key ${keyId} is not trusted`);
      }
      io.out(`removed key ${keyId}`);
    });

  cmd
    .command('list')
    .description('list installed plugins with publisher, version, trust and state')
    .option('--json', 'print JSON')
    .action((o: { json?: boolean }) => {
      const list = new InstalledPlugins(pluginsDir()).list();
      if (o.json) return io.out(JSON.stringify(list, null, 2));
      if (list.length === 0) return io.out('no plugins installed');
      for (const p of list) {
        io.out(
          `${p.id}\t${p.version}\t${p.publisher}\tkey ${p.keyId} (${p.trust})\t${p.enabled ? 'enabled' : 'disabled'}`,
        );
      }
    });

  for (const [name, enabled] of [
    ['enable', true],
    ['disable', false],
  ] as const) {
    cmd
      .command(`${name} <id>`)
      .description(`${name} an installed plugin`)
      .action((id: string) => {
        if (!new InstalledPlugins(pluginsDir()).setEnabled(id, enabled))
          throw new CliError(`${id} is not installed`);
        io.out(`${id} ${name}d`);
      });
  }

  cmd
    .command('remove <id>')
    .description('remove an installed plugin and its files')
    .action((id: string) => {
      if (!new InstalledPlugins(pluginsDir()).remove(id)) throw new CliError(`${id} is not installed`);
      io.out(`${id} removed`);
    });
  return cmd;
}

/** Turns package refusals into CLI errors with their stable code. */
async function run<T>(f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    if (e instanceof PackageError) throw new CliError(`refused (${e.code}): ${e.message}`);
    throw e;
  }
}
