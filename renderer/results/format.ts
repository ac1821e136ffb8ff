/** Display formatting of measurement values and names for the results panel (pure, testable). */
import type { Measurement } from '@qiview/sdk';

/** Translated strings from a plugin manifest (`manifest.strings`), by locale. */
export type ManifestStrings = Partial<Record<string, Record<string, string>>>;

/**
 * The display name of a measurement in `locale`: the manifest string for its key (`strings[locale][key]`, or
 * `strings[locale]['measurement.' + key]`), else English from the manifest, else the plugin's own `name`.
 */
export function measurementLabel(
  m: Pick<Measurement, 'key' | 'name'>,
  locale: string,
  strings?: ManifestStrings,
): string {
  for (const loc of [locale, 'en']) {
    const d = strings?.[loc];
    const s = d?.[m.key] ?? d?.[`measurement.${m.key}`];
    if (s) return s;
  }
  return m.name;
}

/** A value with 4 significant digits in the locale's style; integers as they are; null for NaN/±Infinity. */
export function formatValue(v: number, locale: string): string | null {
  if (!Number.isFinite(v)) return null;
  if (Number.isInteger(v) && Math.abs(v) < 1e9) return new Intl.NumberFormat(locale).format(v);
  const abs = Math.abs(v);
  if (abs !== 0 && (abs < 1e-3 || abs >= 1e9)) return v.toExponential(3);
  return new Intl.NumberFormat(locale, { maximumSignificantDigits: 4 }).format(v);
}

/** A UCUM unit for display ('1' is dimensionless and shown empty). */
export function formatUnit(unit: string): string {
  return unit === '1' ? '' : unit;
}
