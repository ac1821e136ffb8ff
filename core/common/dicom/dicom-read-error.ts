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
