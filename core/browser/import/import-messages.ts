/** Messages between {@link ./import-files.ts} and the import worker. */
import type { ParsedInstance, SkippedFile } from '../../common/dicom/records';
import type { FileToParse, ParseProgress } from './parse-files';

/** Page → worker. `parse` carries one batch; the worker answers each batch with one `batch` message. */
export type ToImportWorker = { type: 'parse'; batch: number; files: FileToParse[] } | { type: 'cancel' };

/** Worker → page. */
export type FromImportWorker =
  | ({ type: 'progress'; batch: number } & ParseProgress)
  | { type: 'batch'; batch: number; parsed: ParsedInstance[]; skipped: SkippedFile[]; cancelled: boolean };
