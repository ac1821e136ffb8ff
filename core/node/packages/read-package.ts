import { unzipSync } from 'fflate';
import { DEFAULT_LIMITS, isSafeEntryPath, PackageError, type PackageLimits } from './package-format';

/**
 * Reads a package's entries into memory, refusing unsafe archives before decompressing anything: too many entries,
 * entries or totals over the limits, compression ratios of a zip bomb, unsafe or duplicate paths, and compression
 * methods other than stored/deflate. Directory entries are ignored.
 */
export function readPackageEntries(
  bytes: Uint8Array,
  limits: PackageLimits = DEFAULT_LIMITS,
): Map<string, Uint8Array> {
  if (bytes.length > limits.maxPackageBytes) {
    throw new PackageError(
      'too-large',
      `package is ${bytes.length} bytes; the limit is ${limits.maxPackageBytes}`,
    );
  }
  const seen = new Set<string>();
  let total = 0;
  let count = 0;
  let refusal: PackageError | undefined;
  const refuse = (e: PackageError) => {
    refusal ??= e;
    return false;
  };
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, {
      filter(f) {
        if (refusal) return false;
        if (f.name.endsWith('/')) return false; // directory entry
        if (++count > limits.maxEntries) {
          return refuse(new PackageError('too-large', `more than ${limits.maxEntries} entries`));
        }
        if (!isSafeEntryPath(f.name)) {
          return refuse(new PackageError('bad-path', `unsafe path in package: ${JSON.stringify(f.name)}`));
        }
        const lower = f.name.toLowerCase();
        if (seen.has(lower)) return refuse(new PackageError('bad-path', `duplicate entry: ${f.name}`));
        seen.add(lower);
        if (f.compression !== 0 && f.compression !== 8) {
          return refuse(
            new PackageError('unreadable', `${f.name}: unsupported compression method ${f.compression}`),
          );
        }
        if (f.originalSize > limits.maxEntryBytes) {
          return refuse(new PackageError('too-large', `${f.name} is ${f.originalSize} bytes uncompressed`));
        }
        total += f.originalSize;
        if (total > limits.maxTotalBytes) {
          return refuse(
            new PackageError('too-large', `uncompressed contents exceed ${limits.maxTotalBytes} bytes`),
          );
        }
        if (f.originalSize > 1024 * 1024 && f.originalSize > limits.maxRatio * Math.max(1, f.size)) {
          return refuse(
            new PackageError(
              'zip-bomb',
              `${f.name} expands ${Math.round(f.originalSize / Math.max(1, f.size))}× (limit ${limits.maxRatio}×)`,
            ),
          );
        }
        return true;
      },
    });
  } catch (e) {
    if (refusal) throw refusal;
    throw new PackageError('unreadable', `not a readable plugin package (ZIP): ${(e as Error).message}`);
  }
  if (refusal) throw refusal;
  return new Map(Object.entries(files));
}
