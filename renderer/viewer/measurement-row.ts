/** A measurement as a plain row, and its CSV form (no Cornerstone imports: testable in Node). */

/** One measurement row. Numbers are in the image's units (HU for CT; mm, mm², degrees). */
export interface MeasurementRow {
  uid: string;
  tool: string;
  mean?: number;
  stdDev?: number;
  min?: number;
  max?: number;
  area?: number;
  areaUnit?: string;
  length?: number;
  angle?: number;
  value?: number;
  unit?: string;
  referencedImageId?: string;
}

const COLUMNS: (keyof MeasurementRow)[] = [
  'uid',
  'tool',
  'mean',
  'stdDev',
  'min',
  'max',
  'area',
  'areaUnit',
  'length',
  'angle',
  'value',
  'unit',
  'referencedImageId',
];

function csvCell(v: unknown): string {
  if (v === undefined || v === null) return '';
  const s = typeof v === 'number' ? String(v) : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** RFC 4180 CSV of measurement rows. */
export function measurementsToCsv(rows: MeasurementRow[]): string {
  return (
    [COLUMNS.join(','), ...rows.map((r) => COLUMNS.map((c) => csvCell(r[c])).join(','))].join('\r\n') + '\r\n'
  );
}
