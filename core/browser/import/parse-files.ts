/**
 * Parses picked files into instance records, one file at a time, with progress and cancel. Runs inside the import
 * worker ({@link ./import-worker.ts}) and, where no Worker exists (Node tests), on the calling thread. Non-DICOM
 * files are skipped and counted; every unusable file gets a reason; nothing throws for bad input.
 */
import { isDicomReadError } from '../../common/dicom/dicom-read-error';
import { mightBeDicom } from '../../common/dicom/open-dataset';
import { isDicomdirName } from '../../common/dicom/parse-dicomdir';
import { parseInstance } from '../../common/dicom/parse-instance';
import type { ParsedInstance, SkippedFile } from '../../common/dicom/records';
import { isNiftiName, parseNiftiInstance } from '../../common/nifti/parse-nifti-instance';

/** One file to parse: `id` becomes its `{ kind: 'memory', id }` location. */
export interface FileToParse {
  id: string;
  /** Display name (relative path inside the picked folder, or file name). */
  name: string;
  file: Blob;
}

/** Progress after each file. */
export interface ParseProgress {
  done: number;
  total: number;
  /** Name of the file just finished. */
  current: string;
}

/** Result of parsing a set of files. */
export interface ParseFilesResult {
  parsed: ParsedInstance[];
  skipped: SkippedFile[];
  filesSeen: number;
  cancelled: boolean;
}

/** Options of {@link parseFiles}. */
export interface ParseFilesOptions {
  onProgress?(p: ParseProgress): void;
  /** Checked between files; the files parsed so far are returned with `cancelled: true`. */
  signal?: { readonly aborted: boolean };
}

/** Bytes read first to decide whether a file could be DICOM (a Part 10 preamble needs 132). */
export const SNIFF_BYTES = 256;

/** Parses one file; returns the record or the reason it was skipped. */
export async function parseOneFile(f: FileToParse): Promise<ParsedInstance | SkippedFile> {
  const location = { kind: 'memory' as const, id: f.id };
  try {
    if (isDicomdirName(f.name.split('/').pop() ?? f.name)) {
      return {
        file: f.name,
        kind: 'not-dicom',
        reason: 'DICOMDIR index: the files it lists are imported directly',
      };
    }
    if (isNiftiName(f.name)) {
      const p = parseNiftiInstance(new Uint8Array(await f.file.arrayBuffer()), location);
      // the memory id means nothing to a user: describe the series by its file name
      const base = f.name.split('/').pop() ?? f.name;
      const id = location.id;
      if (p.series.seriesDescription === id) p.series.seriesDescription = base;
      if (p.study.studyDescription === id) p.study.studyDescription = base;
      return p;
    }
    if (f.file.size === 0) return { file: f.name, kind: 'not-dicom', reason: 'empty file' };
    const head = new Uint8Array(await f.file.slice(0, SNIFF_BYTES).arrayBuffer());
    if (!mightBeDicom(head, f.file.size)) {
      return { file: f.name, kind: 'not-dicom', reason: 'not a DICOM or NIfTI file' };
    }
    return parseInstance(new Uint8Array(await f.file.arrayBuffer()), location);
  } catch (e) {
    if (isDicomReadError(e)) return { file: f.name, kind: e.kind, reason: e.message };
    return { file: f.name, kind: 'io-error', reason: e instanceof Error ? e.message : String(e) };
  }
}

/** Parses `files` in order (one in memory at a time). */
export async function parseFiles(
  files: readonly FileToParse[],
  options: ParseFilesOptions = {},
): Promise<ParseFilesResult> {
  const parsed: ParsedInstance[] = [];
  const skipped: SkippedFile[] = [];
  let done = 0;
  for (const f of files) {
    if (options.signal?.aborted) return { parsed, skipped, filesSeen: done, cancelled: true };
    const r = await parseOneFile(f);
    if ('instance' in r) parsed.push(r);
    else skipped.push(r);
    done++;
    options.onProgress?.({ done, total: files.length, current: f.name });
  }
  return { parsed, skipped, filesSeen: done, cancelled: false };
}
