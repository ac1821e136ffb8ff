/**
 * What a saved result file refers to, so a viewer can put it back on its source series: the referenced series
 * (SEG / Parametric Map ReferencedSeriesSequence, SR evidence and image library, result JSON input series and
 * labelmap references), the Frame of Reference and the study. Environment-neutral.
 *
 * @packageDocumentation
 */
import { items, str } from './dataset-helpers';
import { readDataset, type NaturalDataset } from './dcmjs';
import { parseResultJson } from './result-json';
import { PARAMETRIC_MAP_SOP_CLASS_UID } from './write-parametric-map';
import { SEG_SOP_CLASS_UID } from './write-seg';

/** The result file kinds a viewer can attach to a series. */
export type ResultFileKind = 'seg' | 'sr' | 'pm' | 'json';

/** References of one result file. */
export interface ResultFileReferences {
  kind: ResultFileKind;
  /** Source series (SeriesInstanceUID), most specific first; the file's own series is never listed. */
  seriesUids: string[];
  frameOfReferenceUid?: string;
  studyInstanceUid?: string;
}

function isDicom(b: Uint8Array): boolean {
  return b.length > 132 && b[128] === 0x44 && b[129] === 0x49 && b[130] === 0x43 && b[131] === 0x4d;
}

/** The result kind of a DICOM SOP class / modality, or undefined for other objects (images). */
export function resultKindOf(
  sopClassUid: string | undefined,
  modality: string | undefined,
): ResultFileKind | undefined {
  if (sopClassUid === SEG_SOP_CLASS_UID) return 'seg';
  if (sopClassUid === PARAMETRIC_MAP_SOP_CLASS_UID) return 'pm';
  if (modality === 'SR') return 'sr';
  return undefined;
}

/** True when a JSON text is a Qiview result file (cheap check on its format field). */
export function looksLikeResultJson(text: string): boolean {
  return /"format"\s*:\s*"qiview-result\/1"/.test(text.slice(0, 4096));
}

function seriesIn(seq: unknown, out: string[]): void {
  for (const it of items(seq)) {
    const uid = str(it.SeriesInstanceUID);
    if (uid) out.push(uid);
  }
}

/** Series referenced by image items of an SR content tree (TID 1600 image library, IMAGE items). */
function srImageSeries(content: NaturalDataset[], out: string[], depth = 0): void {
  if (depth > 8) return;
  for (const it of content) {
    // TID 1602 puts the series of a library entry as a UIDREF (concept 112002 Series Instance UID)
    const name = items(it.ConceptNameCodeSequence)[0];
    if (str(it.ValueType) === 'UIDREF' && str(name?.CodeValue) === '112002') {
      const uid = str(it.UID);
      if (uid) out.push(uid);
    }
    srImageSeries(items(it.ContentSequence), out, depth + 1);
  }
}

/**
 * The references of a result file's bytes. Throws a clear error (naming the file) for files that are not a SEG, SR,
 * Parametric Map or Qiview result JSON.
 */
export function resultFileReferences(name: string, bytes: Uint8Array): ResultFileReferences {
  try {
    if (isDicom(bytes)) {
      const ds = readDataset(bytes);
      const kind = resultKindOf(str(ds.SOPClassUID), str(ds.Modality));
      if (!kind)
        throw new Error(
          `DICOM object of SOP class ${str(ds.SOPClassUID) ?? '?'} is not a result (SEG, SR or Parametric Map)`,
        );
      const uids: string[] = [];
      seriesIn(ds.ReferencedSeriesSequence, uids);
      for (const ev of items(ds.CurrentRequestedProcedureEvidenceSequence))
        seriesIn(ev.ReferencedSeriesSequence, uids);
      if (kind === 'sr') srImageSeries(items(ds.ContentSequence), uids);
      const own = str(ds.SeriesInstanceUID);
      const out: ResultFileReferences = {
        kind,
        seriesUids: [...new Set(uids)].filter((u) => u !== own),
      };
      const f = str(ds.FrameOfReferenceUID);
      if (f) out.frameOfReferenceUid = f;
      const st = str(ds.StudyInstanceUID);
      if (st) out.studyInstanceUid = st;
      return out;
    }
    const doc = parseResultJson(new TextDecoder('utf-8').decode(bytes));
    const uids = [
      ...doc.result.labelmaps.map((l) => l.referencedSeriesUid),
      ...doc.result.maps.map((m) => m.referencedSeriesUid),
      ...Object.values(doc.provenance.inputSeries),
    ].filter((u): u is string => !!u);
    return { kind: 'json', seriesUids: [...new Set(uids)] };
  } catch (e) {
    throw new Error(`${name}: ${(e as Error).message}`);
  }
}
