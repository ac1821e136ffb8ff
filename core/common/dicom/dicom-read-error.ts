/**
 * The one error type of the DICOM/NIfTI readers: a per-file problem with a machine-readable kind (the same kinds the
 * import report uses) and a reason a user can read.
 *
 * @packageDocumentation
 */
import type { SkippedFile } from './records';

/** Kind of a read failure (a {@link SkippedFile} kind). */
export type DicomReadErrorKind = SkippedFile['kind'];

/** Thrown by `parseInstance`, `decodeFrame`, `buildVolume`, `readNifti` … when a file cannot be used. */
export class DicomReadError extends Error {
  override readonly name = 'DicomReadError';
  constructor(
    readonly kind: DicomReadErrorKind,
    readonly reason: string,
  ) {
    super(reason);
  }
}

/** True when `e` is a {@link DicomReadError}. */
export function isDicomReadError(e: unknown): e is DicomReadError {
  return e instanceof DicomReadError;
}

/**
 * Converts anything a parser or codec threw (dicom-parser throws strings, typed arrays throw RangeError) into a
 * {@link DicomReadError}: 'truncated' when the message says the data ran out, else 'corrupt'.
 */
export function toDicomReadError(e: unknown, context: string): DicomReadError {
  if (e instanceof DicomReadError) return e;
  const inner = e && typeof e === 'object' && 'exception' in e ? (e as { exception: unknown }).exception : e;
  const msg = inner instanceof Error ? inner.message : String(inner);
  const kind = /past end|overrun|beyond|end of buffer|out of (range|bounds)|outside the bounds/i.test(msg)
    ? 'truncated'
    : 'corrupt';
  return new DicomReadError(kind, `${context}: ${msg}`);
}

/** Runs `fn`, rethrowing any failure as a {@link DicomReadError}. */
export function guardRead<T>(context: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw toDicomReadError(e, context);
  }
}

/** Async {@link guardRead}. */
export async function guardReadAsync<T>(context: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw toDicomReadError(e, context);
  }
}
