/**
 * Re-opens saved results: recognises a DICOM SEG, SR (TID 1500), Parametric Map, a result JSON or a summary CSV
 * from its bytes, and merges several into one {@link AnalysisResult} for the results panel and the viewer.
 *
 * @packageDocumentation
 */
import type { AnalysisResult, Geometry, Labelmap, ParametricMap } from '@qiview/sdk';
import { str } from './dataset-helpers';
import { readDataset } from './dcmjs';
import { parametricMapDatasetToMap } from './read-parametric-map';
import { segDatasetToLabelmap } from './read-seg';
import { srDatasetToReport, type MeasurementReport } from './read-sr';
import { readCsv } from './result-csv';
import { parseResultJson, type ResultDocument } from './result-json';
import { PARAMETRIC_MAP_SOP_CLASS_UID } from './write-parametric-map';
import { SEG_SOP_CLASS_UID } from './write-seg';

/** A recognised result file. */
export type LoadedResultFile =
  | { kind: 'seg'; name: string; labelmap: Labelmap }
  | { kind: 'sr'; name: string; report: MeasurementReport }
  | { kind: 'pm'; name: string; map: ParametricMap }
  | { kind: 'json'; name: string; document: ResultDocument }
  | { kind: 'csv'; name: string; rows: Array<Record<string, string>> };

function isDicom(b: Uint8Array): boolean {
  return b.length > 132 && b[128] === 0x44 && b[129] === 0x49 && b[130] === 0x43 && b[131] === 0x4d;
}

/**
 * Recognises and reads one result file. `geometry` (the source series grid) places SEG/PM frames on it.
 * Throws an error naming the file for anything unrecognised or unreadable.
 */
export function readResultFile(name: string, bytes: Uint8Array, geometry?: Geometry): LoadedResultFile {
  try {
    if (isDicom(bytes)) {
      const ds = readDataset(bytes);
      const sopClass = str(ds.SOPClassUID);
      if (sopClass === SEG_SOP_CLASS_UID)
        return { kind: 'seg', name, labelmap: segDatasetToLabelmap(ds, geometry) };
      if (sopClass === PARAMETRIC_MAP_SOP_CLASS_UID)
        return { kind: 'pm', name, map: parametricMapDatasetToMap(ds, geometry) };
      if (str(ds.Modality) === 'SR') return { kind: 'sr', name, report: srDatasetToReport(ds) };
      throw new Error(
        `DICOM object of SOP class ${sopClass ?? '?'} is not a result (SEG, SR or Parametric Map)`,
      );
    }
    const text = new TextDecoder('utf-8').decode(bytes);
    if (/^\s*\{/.test(text)) return { kind: 'json', name, document: parseResultJson(text) };
    if (/\.csv$/i.test(name)) return { kind: 'csv', name, rows: readCsv(text) };
    throw new Error('not a DICOM, result JSON or CSV file');
  } catch (e) {
    throw new Error(`${name}: ${(e as Error).message}`);
  }
}

/** Merges SEG, SR and Parametric Map files into one result (JSON and CSV files add findings/QC when present). */
export function resultFromFiles(files: LoadedResultFile[]): AnalysisResult {
  const out: AnalysisResult = { labelmaps: [], maps: [], measurements: [], findings: [] };
  for (const f of files) {
    if (f.kind === 'seg') out.labelmaps.push(f.labelmap);
    else if (f.kind === 'pm') out.maps.push(f.map);
    else if (f.kind === 'sr') out.measurements.push(...f.report.measurements);
    else if (f.kind === 'json') {
      const r = f.document.result;
      if (out.measurements.length === 0) out.measurements.push(...r.measurements);
      out.findings.push(...r.findings);
      if (r.qc) out.qc = r.qc;
      if (r.parameters) out.parameters = r.parameters;
      if (r.plots) out.plots = r.plots;
      if (r.keyImages) out.keyImages = r.keyImages;
      if (r.registrations) out.registrations = r.registrations;
    }
  }
  return out;
}
