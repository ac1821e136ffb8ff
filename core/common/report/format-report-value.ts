/** Locale-aware number formatting for reports (pure; same rules as the results panel). */

/** A number with 4 significant digits in the locale's style; integers as they are; '—' for NaN/±Infinity. */
export function formatReportNumber(v: number, locale: string): string {
  if (!Number.isFinite(v)) return '—';
  if (Number.isInteger(v) && Math.abs(v) < 1e9) return new Intl.NumberFormat(locale).format(v);
  const abs = Math.abs(v);
  if (abs !== 0 && (abs < 1e-3 || abs >= 1e9)) return v.toExponential(3);
  return new Intl.NumberFormat(locale, { maximumSignificantDigits: 4 }).format(v);
}

/** A parameter value for display: numbers formatted, arrays joined with ', ', booleans as true/false. */
export function formatParameterValue(v: number | string | boolean | number[], locale: string): string {
  if (Array.isArray(v)) return v.map((x) => formatReportNumber(x, locale)).join(', ');
  if (typeof v === 'number') return formatReportNumber(v, locale);
  return String(v);
}

/** A DICOM DA (YYYYMMDD) or ISO date as YYYY-MM-DD; other text unchanged. */
export function formatStudyDate(d: string): string {
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(d.trim());
  return m ? `${m[1]}-${m[2]}-${m[3]}` : d.trim().slice(0, 10);
}
