/**
 * Builds the downloadable/savable files of a result in one of the export formats (DICOM SEG, SR, Parametric Map,
 * JSON, CSV, BIDS-derivative NIfTI + JSON of the parametric maps). Environment-neutral: the workstation downloads them, the batch CLI writes them to disk.
 *
 * @packageDocumentation
 */
import type { AnalysisResult } from '@qiview/sdk';
import { bidsLabel } from './bids-derivative';
import { bidsDerivativeDataset } from './bids-derivative-dataset';
import type { ReferencedInstance } from './derived-options';
import { algorithmIdentification, type ResultProvenance } from './provenance';
import { resultRow, writeCsv, type StudyIdentifiers } from './result-csv';
import { writeResultJson } from './result-json';
import { writeParametricMap } from './write-parametric-map';
import { writeSeg } from './write-seg';
import { writeSr } from './write-sr';

/** Export formats. */
export type ExportKind = 'seg' | 'sr' | 'pm' | 'json' | 'csv' | 'bids';
export const EXPORT_KINDS: readonly ExportKind[] = ['seg', 'sr', 'pm', 'json', 'csv', 'bids'];

/** What an export needs besides the result. */
export interface ExportContext {
  result: AnalysisResult;
  provenance?: ResultProvenance;
  /** Source series DICOM attributes by keyword (patient/study/series/frame of reference); needed for DICOM. */
  source?: Record<string, unknown>;
  /** Source instances by slice k, for DICOM references. */
  referencedInstances?: Array<ReferencedInstance | undefined>;
  /** Study identifiers for the CSV row (default: from `source`). */
  study?: StudyIdentifiers;
}

/** A file to save. */
export interface ExportFile {
  filename: string;
  mime: string;
  data: Uint8Array | string;
}

/** Why a format cannot be exported for this context, or null when it can. */
export function exportUnavailable(kind: ExportKind, ctx: ExportContext): string | null {
  const r = ctx.result;
  if ((kind === 'seg' || kind === 'sr' || kind === 'pm') && !ctx.source?.StudyInstanceUID) {
    return 'the source series attributes (StudyInstanceUID) are missing';
  }
  if (kind === 'seg' && r.labelmaps.length === 0) return 'the result has no labelmaps';
  if ((kind === 'pm' || kind === 'bids') && r.maps.length === 0) return 'the result has no parametric maps';
  if (kind === 'bids' && !ctx.provenance) return 'the result has no provenance';
  if (kind === 'sr' && r.measurements.length === 0) return 'the result has no measurements';
  if (kind === 'json' && !ctx.provenance) return 'the result has no provenance';
  return null;
}

const safe = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80) || 'result';

/** The files of one export format. Throws a clear error when the format is unavailable (see {@link exportUnavailable}). */
export function exportFiles(kind: ExportKind, ctx: ExportContext): ExportFile[] {
  const why = exportUnavailable(kind, ctx);
  if (why) throw new Error(`cannot export ${kind.toUpperCase()}: ${why}`);
  const { result: r, provenance: p } = ctx;
  const source = ctx.source ?? {};
  const base = safe(p ? `${p.pluginId}-${p.pluginVersion}` : 'qiview-result');
  const software = p ? `qiview; ${p.pluginId} ${p.pluginVersion}` : undefined;
  switch (kind) {
    case 'seg':
      return r.labelmaps.map((l) => ({
        filename: `${base}-${safe(l.id)}-seg.dcm`,
        mime: 'application/dicom',
        data: writeSeg(l, source, {
          referencedInstances: ctx.referencedInstances,
          softwareVersions: software,
          algorithmName: p?.pluginId,
        }),
      }));
    case 'sr':
      return [
        {
          filename: `${base}-sr.dcm`,
          mime: 'application/dicom',
          data: writeSr(r.measurements, source, {
            labelmaps: r.labelmaps,
            referencedInstances: ctx.referencedInstances,
            algorithm: p ? algorithmIdentification(p) : undefined,
            softwareVersions: software,
          }),
        },
      ];
    case 'pm':
      return r.maps.map((m) => ({
        filename: `${base}-${safe(m.id)}-pm.dcm`,
        mime: 'application/dicom',
        data: writeParametricMap(m, source, {
          referencedInstances: ctx.referencedInstances,
          softwareVersions: software,
        }),
      }));
    case 'json':
      return [{ filename: `${base}.json`, mime: 'application/json', data: writeResultJson(r, p!) }];
    case 'bids': {
      // BIDS derivative files of every map, flattened to their BIDS file names (sub-<s>_desc-qiview_<map>.nii.gz
      // and .json) plus dataset_description.json; the subject label is the PatientID when it makes one
      let subject = 'qiview';
      try {
        subject = bidsLabel(String(source.PatientID ?? ''));
      } catch {
        // no usable PatientID
      }
      // one subject and folder: each path's file name is distinct
      return bidsDerivativeDataset(r.maps, subject, p!).map((f) => {
        const filename = f.path.split('/').pop()!;
        return {
          filename,
          mime: filename.endsWith('.json') ? 'application/json' : 'application/gzip',
          data: f.data,
        };
      });
    }
    case 'csv': {
      const study: StudyIdentifiers = ctx.study ?? {
        studyInstanceUid: String(source.StudyInstanceUID ?? ''),
        patientId: source.PatientID as string | undefined,
        accessionNumber: source.AccessionNumber as string | undefined,
        studyDate: source.StudyDate as string | undefined,
      };
      const row = resultRow({ study, status: 'done', result: r, provenance: p });
      return [
        {
          filename: `${base}.csv`,
          mime: 'text/csv',
          data: writeCsv([row], { measurementKeys: r.measurements.map((m) => m.key) }),
        },
      ];
    }
  }
}
