/**
 * DICOMDIR (PS3.10 media directory) → the files it references.
 *
 * @packageDocumentation
 */
import { DicomReadError } from './dicom-read-error';
import { str } from './dataset-values';
import { openDataSet } from './open-dataset';

/** One referenced file of a DICOMDIR. */
export interface DicomdirEntry {
  /** Path relative to the DICOMDIR's folder, '/'-separated (ReferencedFileID components). */
  path: string;
  /** DirectoryRecordType of the record (IMAGE, RT DOSE, SR DOCUMENT …). */
  recordType: string;
  sopInstanceUid?: string;
  transferSyntaxUid?: string;
}

/**
 * Lists the files a DICOMDIR references, in directory order, without duplicates.
 *
 * @throws DicomReadError `not-dicom`/`corrupt`/`truncated` as for any DICOM file; `unsupported` when the data set has
 *   no DirectoryRecordSequence (0004,1220).
 */
export function parseDicomdir(bytes: Uint8Array): DicomdirEntry[] {
  const ds = openDataSet(bytes);
  const seq = ds.elements.x00041220;
  if (!seq)
    throw new DicomReadError('unsupported', 'not a DICOMDIR: no Directory Record Sequence (0004,1220)');
  const out: DicomdirEntry[] = [];
  const seen = new Set<string>();
  for (const item of seq.items ?? []) {
    const rec = item.dataSet;
    const id = str(rec, 'x00041500');
    if (!rec || !id) continue;
    const path = id
      .split('\\')
      .map((s) => s.trim())
      .filter(Boolean)
      .join('/');
    if (!path || seen.has(path) || path.split('/').includes('..')) continue;
    seen.add(path);
    out.push({
      path,
      recordType: str(rec, 'x00041430') ?? '',
      sopInstanceUid: str(rec, 'x00041511'),
      transferSyntaxUid: str(rec, 'x00041512'),
    });
  }
  return out;
}

/** True when a file name is DICOMDIR (case-insensitive, as on ISO 9660 media). */
export function isDicomdirName(name: string): boolean {
  return /^dicomdir$/i.test(name.replace(/^.*[\\/]/, ''));
}
