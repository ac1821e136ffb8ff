import type { StudyOutcome } from './batch-types';

/** Fixed leading columns of the summary, in order. */
const FIXED = [
  'study_key',
  'status',
  'reason',
  'qc',
  'qc_reasons',
  'plugin_id',
  'plugin_version',
  'models',
] as const;

/** One CSV field per RFC 4180: quoted when it holds a comma, quote, CR or LF; quotes doubled. */
export function csvField(v: unknown): string {
  const s =
    v === undefined || v === null
      ? ''
      : typeof v === 'number'
        ? Number.isFinite(v)
          ? String(v)
          : ''
        : String(v);
  // A leading =, +, - or @ would be a formula in spreadsheet apps (CSV injection): prefix with a quote mark.
  const safe = /^[=+\-@]/.test(s) && !/^-?\d/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * The batch summary: one row per study with its identifiers, every measurement (union of keys over all studies,
 * sorted), QC, plugin and model versions, status and failure reason. Column order is stable for a given set of keys.
 */
export function summaryCsv(outcomes: StudyOutcome[]): string {
  const idKeys = [...new Set(outcomes.flatMap((o) => Object.keys(o.identifiers)))].sort();
  const mKeys = [...new Set(outcomes.flatMap((o) => Object.keys(o.measurements)))].sort();
  const header = [...FIXED.slice(0, 1), ...idKeys, ...FIXED.slice(1), ...mKeys, 'finished_at', 'worker'];
  const rows = outcomes.map((o) => [
    o.key,
    ...idKeys.map((k) => o.identifiers[k]),
    o.status,
    o.reason,
    o.qc?.status,
    o.qc?.reasons.join('; '),
    o.pluginId,
    o.pluginVersion,
    Object.entries(o.models)
      .map(([k, v]) => `${k}@${v}`)
      .join(' '),
    ...mKeys.map((k) => o.measurements[k]),
    o.finishedAt,
    o.worker,
  ]);
  return [header, ...rows].map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}
