/**
 * Node-side import scan: files and folders (recursive) → parsed instance records plus an import report. DICOMDIR-aware
 * (referenced files are read even when their names do not look like DICOM) and NIfTI-aware (.nii/.nii.gz). Every
 * unusable file is counted with a reason; nothing here throws for a bad file.
 *
 * @packageDocumentation
 */
import { lstat, open, readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { DicomReadError } from '../../common/dicom/dicom-read-error';
import { mightBeDicom } from '../../common/dicom/open-dataset';
import { isDicomdirName, parseDicomdir } from '../../common/dicom/parse-dicomdir';
import { parseInstance } from '../../common/dicom/parse-instance';
import type { ImportReport, InstanceLocation, ParsedInstance, SkippedFile } from '../../common/dicom/records';
import { isNiftiName, parseNiftiInstance } from '../../common/nifti/parse-nifti-instance';

/** Progress of a scan. */
export interface ScanProgress {
  /** Files examined so far. */
  filesDone: number;
  /** Files found so far (grows while folders are walked). */
  filesFound: number;
  instances: number;
  skipped: number;
  /** The file just examined. */
  current?: string;
}

/** Options of {@link scanPaths}. */
export interface ScanPathsOptions {
  onProgress?: (p: ScanProgress) => void;
  signal?: AbortSignal;
  /** Files read at once (default 4). */
  concurrency?: number;
  /** Tells whether an instance is already in the library (counted as `instancesAlreadyKnown`, not returned). */
  isKnown?: (sopInstanceUid: string, location: InstanceLocation) => boolean;
}

/** Result of {@link scanPaths}. */
export interface ScanResult {
  parsed: ParsedInstance[];
  report: ImportReport;
}

/** Reads the first 256 bytes and throws 'not-dicom' when they cannot start a DICOM file (big files stay unread). */
async function sniff(file: string): Promise<void> {
  const fh = await open(file, 'r');
  try {
    const size = (await fh.stat()).size;
    const head = new Uint8Array(Math.min(256, size));
    await fh.read(head, 0, head.length, 0);
    if (size === 0) throw new DicomReadError('not-dicom', 'empty file');
    if (!mightBeDicom(head, size)) {
      throw new DicomReadError('not-dicom', 'not DICOM: no "DICM" preamble and no plausible DICOM header');
    }
  } finally {
    await fh.close();
  }
}

/** Names skipped without reading (OS metadata): still counted as 'not-dicom'. */
const IGNORED = /^(\.DS_Store|Thumbs\.db|desktop\.ini)$/i;

async function walk(
  root: string,
  out: string[],
  seen: Set<string>,
  skipped: SkippedFile[],
  dicomdirs: string[],
  signal?: AbortSignal,
  depth = 0,
): Promise<void> {
  signal?.throwIfAborted();
  let st;
  try {
    st = await stat(root);
  } catch (e) {
    skipped.push({ file: root, kind: 'io-error', reason: `cannot read: ${(e as Error).message}` });
    return;
  }
  if (st.isDirectory()) {
    // do not follow directory symlinks (loops)
    const l = await lstat(root).catch(() => undefined);
    if (l?.isSymbolicLink() && depth > 0) return;
    let names: string[];
    try {
      names = (await readdir(root)).sort();
    } catch (e) {
      skipped.push({ file: root, kind: 'io-error', reason: `cannot list folder: ${(e as Error).message}` });
      return;
    }
    for (const n of names) await walk(path.join(root, n), out, seen, skipped, dicomdirs, signal, depth + 1);
    return;
  }
  if (!st.isFile()) return;
  const abs = path.resolve(root);
  if (seen.has(abs)) return;
  seen.add(abs);
  if (isDicomdirName(abs)) dicomdirs.push(abs);
  else out.push(abs);
}

/**
 * Scans files and folders for DICOM and NIfTI.
 *
 * - Folders are walked recursively (sorted names; directory symlinks inside a tree are not followed).
 * - A DICOMDIR contributes the files it references (resolved against its folder); a referenced file that is missing
 *   is reported as 'io-error'. The DICOMDIR itself is not an instance.
 * - Non-DICOM files are 'not-dicom' entries in `report.skipped`, never fatal; corrupt/truncated/tag-missing files get
 *   their kind and reason.
 * - Aborting via `signal` rejects with the signal's reason.
 */
export async function scanPaths(
  paths: readonly string[],
  options: ScanPathsOptions = {},
): Promise<ScanResult> {
  const { signal, onProgress } = options;
  const files: string[] = [];
  const seen = new Set<string>();
  const skipped: SkippedFile[] = [];
  const dicomdirs: string[] = [];
  for (const p of paths) await walk(p, files, seen, skipped, dicomdirs, signal);
  let filesSeen = files.length + dicomdirs.length;

  for (const dd of dicomdirs) {
    try {
      const entries = parseDicomdir(new Uint8Array(await readFile(dd)));
      for (const e of entries) {
        const abs = path.resolve(path.dirname(dd), ...e.path.split('/'));
        if (seen.has(abs)) continue;
        seen.add(abs);
        try {
          await stat(abs);
          files.push(abs);
          filesSeen++;
        } catch {
          skipped.push({ file: abs, kind: 'io-error', reason: `referenced by ${dd} but missing` });
        }
      }
    } catch (e) {
      const err = e instanceof DicomReadError ? e : new DicomReadError('io-error', String(e));
      skipped.push({ file: dd, kind: err.kind, reason: `DICOMDIR unreadable: ${err.reason}` });
    }
  }

  const parsed: ParsedInstance[] = [];
  const sops = new Set<string>();
  let known = 0;
  let done = 0;
  const studies = new Set<string>();
  const series = new Set<string>();

  const handle = async (file: string): Promise<void> => {
    signal?.throwIfAborted();
    const location: InstanceLocation = { kind: 'file', path: file };
    const name = path.basename(file);
    try {
      if (IGNORED.test(name)) throw new DicomReadError('not-dicom', 'operating-system metadata file');
      const nifti = isNiftiName(name);
      if (!nifti) await sniff(file);
      const bytes = new Uint8Array(await readFile(file));
      const p = isNiftiName(name) ? parseNiftiInstance(bytes, location) : parseInstance(bytes, location);
      if (options.isKnown?.(p.instance.sopInstanceUid, location)) known++;
      else if (!sops.has(p.instance.sopInstanceUid)) {
        sops.add(p.instance.sopInstanceUid);
        parsed.push(p);
        studies.add(p.study.studyInstanceUid);
        series.add(p.series.seriesInstanceUid);
      } else {
        skipped.push({
          file,
          kind: 'corrupt',
          reason: `duplicate of an instance already in this import (same SOP Instance UID)`,
        });
      }
    } catch (e) {
      if (e instanceof DicomReadError) skipped.push({ file, kind: e.kind, reason: e.reason });
      else if (signal?.aborted) throw e;
      else
        skipped.push({ file, kind: 'io-error', reason: `cannot read: ${(e as Error).message ?? String(e)}` });
    }
    done++;
    onProgress?.({
      filesDone: done,
      filesFound: files.length,
      instances: parsed.length,
      skipped: skipped.length,
      current: file,
    });
  };

  // small pool: reading overlaps parsing
  let next = 0;
  const workers = Array.from({ length: Math.max(1, options.concurrency ?? 4) }, async () => {
    while (next < files.length) await handle(files[next++]);
  });
  await Promise.all(workers);
  signal?.throwIfAborted();

  return {
    parsed,
    report: {
      filesSeen,
      instancesAdded: parsed.length,
      instancesAlreadyKnown: known,
      studies: [...studies],
      series: [...series],
      skipped,
    },
  };
}
