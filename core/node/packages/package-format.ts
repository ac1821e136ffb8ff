/**
 * The Qiview plugin package (`.qvp`): one ZIP file holding the plugin's `manifest.json`, its code bundle, its models,
 * its licence and a `SIGNATURE.json` entry. The signature (Ed25519) covers a canonical list of every other entry's
 * path, size and SHA-256, so any added, removed, renamed or modified entry breaks it.
 *
 * Limits are enforced from the ZIP's central directory BEFORE anything is decompressed, and decompression writes into
 * buffers of the declared size only, so a lying header cannot make us allocate more (a larger stream is truncated and
 * then fails its hash).
 * @packageDocumentation
 */

/** Format tag of the signed file list. Bump on incompatible changes. */
export const PACKAGE_FORMAT = 'qiview-plugin/1';
/** Name of the signature entry. */
export const SIGNATURE_ENTRY = 'SIGNATURE.json';
/** File extension of packages. */
export const PACKAGE_EXTENSION = '.qvp';

/** Safety limits for reading a package. */
export interface PackageLimits {
  /** Largest package file accepted (bytes). */
  maxPackageBytes: number;
  /** Largest total uncompressed size (bytes). */
  maxTotalBytes: number;
  /** Largest single entry (bytes). */
  maxEntryBytes: number;
  /** Most entries. */
  maxEntries: number;
  /** Highest compression ratio of an entry above 1 MiB (a zip bomb has ratios in the thousands). */
  maxRatio: number;
}

/** Defaults: generous for real plugins with ONNX models, tiny for bombs. */
export const DEFAULT_LIMITS: PackageLimits = {
  maxPackageBytes: 1024 * 1024 * 1024,
  maxTotalBytes: 2 * 1024 * 1024 * 1024,
  maxEntryBytes: 1024 * 1024 * 1024,
  maxEntries: 2000,
  maxRatio: 100,
};

/** One signed entry: [path, size, sha256 hex]. */
export type SignedEntry = [path: string, size: number, sha256: string];

/** Contents of `SIGNATURE.json`. */
export interface PackageSignature {
  format: typeof PACKAGE_FORMAT;
  /** Plugin id and version, repeated so they are covered by the signature. */
  pluginId: string;
  pluginVersion: string;
  /** Publisher name as the signer states it (display only; trust is by key). */
  publisher: string;
  /** Raw Ed25519 public key, base64 (32 bytes). */
  publicKey: string;
  /** First 16 hex digits of SHA-256(raw public key). */
  keyId: string;
  /** Every other entry, sorted by path. */
  entries: SignedEntry[];
  /** Ed25519 signature (base64) of {@link signedBytes}. */
  signature: string;
}

/** The exact bytes that are signed: the canonical JSON of everything in the signature except the signature. */
export function signedBytes(sig: Omit<PackageSignature, 'signature'>): Uint8Array {
  const canonical = {
    format: sig.format,
    pluginId: sig.pluginId,
    pluginVersion: sig.pluginVersion,
    publisher: sig.publisher,
    publicKey: sig.publicKey,
    keyId: sig.keyId,
    entries: [...sig.entries].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)),
  };
  return new TextEncoder().encode(JSON.stringify(canonical));
}

/** Why a package was refused. Stable codes for scripts; messages for people. */
export type PackageErrorCode =
  | 'unreadable'
  | 'too-large'
  | 'zip-bomb'
  | 'bad-path'
  | 'unsigned'
  | 'bad-signature'
  | 'tampered'
  | 'untrusted-key'
  | 'bad-manifest'
  | 'incompatible-api'
  | 'model-hash'
  | 'already-installed'
  | 'io-error';

/** A refusal with a reason a user can act on. */
export class PackageError extends Error {
  readonly code: PackageErrorCode;
  constructor(code: PackageErrorCode, message: string) {
    super(message);
    this.name = 'PackageError';
    this.code = code;
  }
}

/**
 * Whether a ZIP entry name is a safe relative path: forward slashes, no empty/`.`/`..` segments, no drive letters,
 * no backslashes, no control characters, at most 255 characters.
 */
export function isSafeEntryPath(name: string): boolean {
  if (name.length === 0 || name.length > 255) return false;
  if (name.startsWith('/') || name.includes('\\') || /^[A-Za-z]:/.test(name)) return false;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) return false;
  return name.split('/').every((s) => s.length > 0 && s !== '.' && s !== '..' && /^[\w.@+-]+$/.test(s));
}
