/**
 * The report model: a plain, UI-free description of the one-page report of an analysis result (header, findings,
 * key measurements, QC, parameters with provenance, plots, key images). Built by {@link buildReport}; rendered by
 * renderer/report; JSON-serialisable except for nothing (plots and references are plain data).
 *
 * @packageDocumentation
 */
import type { KeyImage, ParameterProvenance, Plot, QualityControl } from '@qiview/sdk';

/** Patient identification shown in the header (all optional; absent fields are left out). */
export interface ReportPatient {
  name?: string;
  id?: string;
  birthDate?: string;
  sex?: string;
}

/** Study identification shown in the header. */
export interface ReportStudy {
  description?: string;
  /** DICOM DA (YYYYMMDD) or ISO date. */
  date?: string;
  accessionNumber?: string;
  studyInstanceUid?: string;
}

/** One model used by the run, as shown in the header. */
export interface ReportModelVersion {
  id: string;
  version?: string;
  /** First 12 hex digits of the model file's sha256. */
  sha256Prefix: string;
}

/** Report header. */
export interface ReportHeader {
  patient: ReportPatient;
  study: ReportStudy;
  /** Study date formatted for display (YYYY-MM-DD), when known. */
  studyDate?: string;
  pluginId: string;
  pluginVersion: string;
  /** Plugin display name when the caller knows it (manifest name), else the id. */
  pluginName: string;
  models: ReportModelVersion[];
  sdkVersion: string;
  /** ISO 8601 time the analysis ran (provenance timestamp). */
  analysedAt: string;
  /** ISO 8601 time the report was built. */
  generatedAt: string;
  host?: string;
  /** SeriesInstanceUIDs of the inputs by role. */
  inputSeries: Record<string, string>;
}

/** One row of the key measurement table. */
export interface ReportMeasurementRow {
  key: string;
  name: string;
  /** The raw value (NaN/±Infinity kept; `display` is then '—'). */
  value: number;
  /** Formatted value (4 significant digits, locale style), with ± uncertainty when known. */
  display: string;
  /** UCUM unit for display ('' for dimensionless). */
  unit: string;
  region?: string;
  /** Derivation meaning (Mean, Median…) when the plugin gave one. */
  derivation?: string;
}

/** QC section. `none` when the plugin returned no QC. */
export interface ReportQc {
  status: QualityControl['status'] | 'none';
  reasons: string[];
  metrics: Array<{ key: string; value: number; display: string }>;
}

/** One row of the parameter table. */
export interface ReportParameterRow {
  key: string;
  name: string;
  /** The value formatted for display (arrays joined with ', ', booleans as true/false). */
  value: string;
  unit: string;
  source: ParameterProvenance['source'];
  detail: string;
}

/** What a key image is drawn from. */
export type KeyImageSource =
  | { kind: 'map'; mapId: string; colormap: string; range?: [number, number] }
  | { kind: 'series'; role: string; overlayLabelmapId?: string }
  | { kind: 'missing' };

/** A key image reference, resolved against the result's maps and the input roles. */
export interface ReportKeyImage extends KeyImage {
  resolved: KeyImageSource;
}

/** The whole report. */
export interface ReportModel {
  locale: string;
  header: ReportHeader;
  findings: string[];
  keyMeasurements: ReportMeasurementRow[];
  /** How many measurements were left out of the key table (all are in the JSON/CSV exports). */
  omittedMeasurements: number;
  qc: ReportQc;
  parameters: ReportParameterRow[];
  plots: Plot[];
  keyImages: ReportKeyImage[];
}
