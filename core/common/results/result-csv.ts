/**
 * Summary CSV of analysis results: one row per study, RFC 4180 (comma-separated, CRLF line ends, fields with
 * comma/quote/CR/LF quoted, quotes doubled). Column order is stable: identifier/status columns, then measurement
 * keys (in the order given, else sorted), then QC and provenance columns. Numbers are written in their shortest
 * exact form (`String(n)`), so values read back identical; NaN/±Infinity as `NaN`/`Infinity`/`-Infinity`, missing
 * values as empty fields. Text cells starting with `=`, `+`, `@`, TAB or CR are prefixed with `'` so spreadsheet
 * programs do not run them as formulas (OWASP "CSV injection").
 *
 * @packageDocumentation
 */
import type { AnalysisResult } from '@qiview/sdk';
import { modelsCell, type ResultProvenance } from './provenance';

/** One CSV row: values by column name. */
export type CsvRow = Record<string, string | number | boolean | undefined | null>;

/** Identifiers of a study row. */
export interface StudyIdentifiers {
  studyInstanceUid: string;
  patientId?: string;
  accessionNumber?: string;
  studyDate?: string;
}

/** Columns every row starts with. */
export const LEADING_COLUMNS = [
  'study_instance_uid',
  'patient_id',
  'accession_number',
  'study_date',
  'status',
  'error',
];
/** Columns every row ends with. */
export const TRAILING_COLUMNS = [
  'qc_status',
  'qc_reasons',
  'plugin_id',
  'plugin_version',
  'models',
  'sdk_version',
  'input_series_uids',
  'timestamp',
];

/** Outcome of one study in a batch. */
export interface ResultRowInput {
  study: StudyIdentifiers;
  status: 'done' | 'failed' | 'skipped';
  /** Reason of a failure, in one line. */
  error?: string;
  result?: AnalysisResult;
  provenance?: ResultProvenance;
}

/**
 * The CSV row of one study: identifiers, status, every measurement by key, QC status/reasons and metrics
 * (`qc_<metric>` columns), plugin/model/SDK versions, input series and timestamp.
 */
export function resultRow(input: ResultRowInput): CsvRow {
  const row: CsvRow = {
    study_instance_uid: input.study.studyInstanceUid,
    patient_id: input.study.patientId,
    accession_number: input.study.accessionNumber,
    study_date: input.study.studyDate,
    status: input.status,
    error: input.error,
  };
  const r = input.result;
  if (r) {
    for (const m of r.measurements) {
      if (m.key in row || LEADING_COLUMNS.includes(m.key) || TRAILING_COLUMNS.includes(m.key)) {
        throw new Error(`measurement key "${m.key}" is used twice or clashes with a summary column`);
      }
      row[m.key] = m.value;
    }
    if (r.qc) {
      row.qc_status = r.qc.status;
      row.qc_reasons = r.qc.reasons.join('; ');
      for (const [k, v] of Object.entries(r.qc.metrics ?? {})) row[`qc_${k}`] = v;
    }
  }
  const p = input.provenance;
  if (p) {
    row.plugin_id = p.pluginId;
    row.plugin_version = p.pluginVersion;
    row.models = modelsCell(p.models);
    row.sdk_version = p.sdkVersion;
    row.input_series_uids = Object.entries(p.inputSeries)
      .map(([role, uid]) => `${role}=${uid}`)
      .join(';');
    row.timestamp = p.timestamp;
  }
  return row;
}

/**
 * Column order for rows: {@link LEADING_COLUMNS}, then measurement columns (`measurementKeys` first in their order,
 * then any others sorted), then `qc_<metric>` columns sorted, then {@link TRAILING_COLUMNS}.
 */
export function csvColumns(rows: CsvRow[], measurementKeys: string[] = []): string[] {
  const fixed = new Set([...LEADING_COLUMNS, ...TRAILING_COLUMNS]);
  const seen = new Set<string>();
  for (const r of rows) for (const k of Object.keys(r)) if (!fixed.has(k)) seen.add(k);
  const given = measurementKeys.filter((k) => !fixed.has(k));
  const givenSet = new Set(given);
  const others = [...seen].filter((k) => !givenSet.has(k));
  const qc = others.filter((k) => k.startsWith('qc_')).sort();
  const rest = others.filter((k) => !k.startsWith('qc_')).sort();
  return [...LEADING_COLUMNS, ...given, ...rest, ...qc, ...TRAILING_COLUMNS];
}

/** One CSV field, RFC 4180 quoted when needed. */
export function csvField(v: CsvRow[string]): string {
  if (v === undefined || v === null) return '';
  let s: string;
  if (typeof v === 'number') s = Number.isNaN(v) ? 'NaN' : String(v);
  else if (typeof v === 'boolean') s = v ? 'true' : 'false';
  else {
    s = v;
    if (/^[=+@\t\r]/.test(s)) s = `'${s}`;
  }
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One CSV line (with CRLF) for `row` in `columns` order. */
export function csvLine(columns: string[], row: CsvRow): string {
  return columns.map((c) => csvField(row[c])).join(',') + '\r\n';
}

/** The whole CSV (header + rows). `columns` overrides the computed order (e.g. to append to an existing file). */
export function writeCsv(
  rows: CsvRow[],
  options: { columns?: string[]; measurementKeys?: string[] } = {},
): string {
  const columns = options.columns ?? csvColumns(rows, options.measurementKeys);
  return columns.map((c) => csvField(c)).join(',') + '\r\n' + rows.map((r) => csvLine(columns, r)).join('');
}

/** Parses RFC 4180 CSV text into records (rows of fields). Accepts LF or CRLF line ends. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      field += c;
      i++;
      continue;
    }
    if (c === '"' && field === '') {
      quoted = true;
      i++;
    } else if (c === ',') {
      row.push(field);
      field = '';
      i++;
    } else if (c === '\r' || c === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
    } else {
      field += c;
      i++;
    }
  }
  if (quoted) throw new Error('CSV ends inside a quoted field');
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** Parses a summary CSV into objects by column (all values as text). */
export function readCsv(text: string): Array<Record<string, string>> {
  const [header, ...rows] = parseCsv(text);
  if (!header) return [];
  return rows.map((r) => {
    if (r.length !== header.length)
      throw new Error(`CSV row has ${r.length} fields, header has ${header.length}`);
    return Object.fromEntries(header.map((h, i) => [h, r[i]]));
  });
}
