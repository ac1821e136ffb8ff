/**
 * Which measurements go into the report's key table (one printed page has room for about 16 rows; every measurement
 * stays in the JSON/CSV/SR exports).
 */
import type { Measurement, QualityControl } from '@qiview/sdk';

/** Most rows the key table holds on one A4 page next to images, plots and parameters. */
export const MAX_KEY_ROWS = 16;

/**
 * Per-plugin key measurement keys, in display order, for plugins whose generic selection would be too long. The
 * lung plugin reports ~17 metrics for each of ~14 regions; the report keeps the whole-lung summary, the
 * right/left and zonal fibrosis extent (the numbers a follow-up compares) and the change since the prior.
 */
export const DEFAULT_KEY_MEASUREMENTS: Record<string, string[]> = {
  'org.qiview.lung-fibrosis': [
    'lungs_volume',
    'lungs_mld',
    'lungs_fibrosis_extent',
    'lungs_ground_glass_pct',
    'lungs_honeycombing_pct',
    'lungs_haa',
    'lungs_laa950',
    'right_fibrosis_extent',
    'left_fibrosis_extent',
    'upper_fibrosis_extent',
    'middle_fibrosis_extent',
    'lower_fibrosis_extent',
    'rind_fibrosis_extent',
    'lungs_fibrosis_extent_delta',
  ],
  // the example plugin's whole output: component volume, voxel count, mean and SD HU
  'org.qiview.example-threshold': ['volume_ml', 'voxel_count', 'mean_hu', 'sd_hu'],
};

const MEAN_OR_MEDIAN = /(^|_)(mean|median)(_|$)/i;

/** True when the measurement is a mean or median (by its DCM derivation, else by its key). */
export function isMeanOrMedian(m: Measurement): boolean {
  const d = m.derivation?.meaning.toLowerCase();
  if (d === 'mean' || d === 'median') return true;
  return MEAN_OR_MEDIAN.test(m.key);
}

/** True when the measurement is one of the QC metrics (same key, or one key a prefix of the other at a `_`). */
export function isQcMeasurement(m: Measurement, qc?: QualityControl): boolean {
  for (const k of Object.keys(qc?.metrics ?? {})) {
    if (m.key === k || m.key.startsWith(k + '_') || k.startsWith(m.key + '_')) return true;
  }
  return false;
}

/**
 * The key measurements of a result: `keys` when given (in that order), else the plugin's entry in
 * {@link DEFAULT_KEY_MEASUREMENTS}, else region-level means/medians plus the QC metrics the plugin also reported as
 * measurements (in the plugin's order); the first {@link MAX_KEY_ROWS} measurements when none of these match.
 */
export function selectKeyMeasurements(
  measurements: Measurement[],
  options: { pluginId?: string; qc?: QualityControl; keys?: string[] } = {},
): Measurement[] {
  const keys = options.keys ?? (options.pluginId ? DEFAULT_KEY_MEASUREMENTS[options.pluginId] : undefined);
  if (keys) {
    const byKey = new Map(measurements.map((m) => [m.key, m]));
    const picked = keys.map((k) => byKey.get(k)).filter((m): m is Measurement => m !== undefined);
    if (picked.length) return picked.slice(0, MAX_KEY_ROWS);
  }
  const generic = measurements.filter((m) => isMeanOrMedian(m) || isQcMeasurement(m, options.qc));
  return (generic.length ? generic : measurements).slice(0, MAX_KEY_ROWS);
}
