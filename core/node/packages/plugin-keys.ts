import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
} from 'node:crypto';

/** A publisher's signing key pair. The private key never leaves the publisher's machine. */
export interface PluginKeyPair {
  /** PKCS#8 PEM of the Ed25519 private key. */
  privateKeyPem: string;
  /** The public half, as users import it into their trusted keys. */
  publicKey: PublisherKey;
}

/** A publisher's public key as shared and trusted. */
export interface PublisherKey {
  /** Raw Ed25519 public key, base64 (32 bytes). */
  publicKey: string;
  /** First 16 hex digits of SHA-256(raw key): short, stable, shown to users. */
  keyId: string;
  /** Who this key belongs to (display name). */
  publisher: string;
}

/** Creates a new Ed25519 key pair for a publisher. */
export function generatePluginKeyPair(publisher: string): PluginKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKey: { ...describePublicKey(publicKey), publisher },
  };
}

/** Raw base64 key and key id of an Ed25519 public key. */
export function describePublicKey(key: KeyObject): { publicKey: string; keyId: string } {
  const jwk = key.export({ format: 'jwk' }) as { x?: string; crv?: string };
  if (jwk.crv !== 'Ed25519' || !jwk.x) throw new Error('not an Ed25519 public key');
  const raw = Buffer.from(jwk.x, 'base64url');
  return { publicKey: raw.toString('base64'), keyId: keyIdOf(raw) };
}

/** Key id of a raw public key. */
export function keyIdOf(raw: Uint8Array): string {
  return createHash('sha256').update(raw).digest('hex').slice(0, 16);
}

/** Public KeyObject from a raw base64 Ed25519 key (throws on anything else). */
export function publicKeyFromRaw(base64: string): KeyObject {
  const raw = Buffer.from(base64, 'base64');
  if (raw.length !== 32) throw new Error('an Ed25519 public key is 32 bytes');
  return createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') },
    format: 'jwk',
  });
}

/** Private KeyObject from PEM (throws unless Ed25519). */
export function privateKeyFromPem(pem: string): KeyObject {
  const key = createPrivateKey(pem);
  if (key.asymmetricKeyType !== 'ed25519')
    throw new Error('plugin packages are signed with Ed25519 keys only');
  return key;
}
