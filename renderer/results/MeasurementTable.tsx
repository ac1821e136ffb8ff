import type { Measurement } from '@qiview/sdk';
import { useLocale, useT } from '../i18n/i18n';
import { formatUnit, formatValue, measurementLabel, type ManifestStrings } from './format';

/** Measurements as a table: translated name (from the manifest strings when given), value ± SD, unit, region. */
export function MeasurementTable({
  measurements,
  strings,
}: {
  measurements: Measurement[];
  strings?: ManifestStrings;
}) {
  const t = useT();
  const locale = useLocale((s) => s.locale);
  if (measurements.length === 0) return <p className="results-empty">{t('results.noMeasurements')}</p>;
  return (
    <table className="results-table" data-testid="measurement-table">
      <thead>
        <tr>
          <th scope="col">{t('results.measurement')}</th>
          <th scope="col">{t('results.value')}</th>
          <th scope="col">{t('results.unit')}</th>
          <th scope="col">{t('results.region')}</th>
        </tr>
      </thead>
      <tbody>
        {measurements.map((m) => {
          const v = formatValue(m.value, locale);
          const u = m.uncertainty !== undefined ? formatValue(m.uncertainty, locale) : null;
          return (
            <tr key={`${m.key}:${m.region?.labelmapId ?? ''}:${m.region?.label ?? ''}`} data-key={m.key}>
              <th scope="row" title={m.key}>
                {measurementLabel(m, locale, strings)}
              </th>
              <td className="results-num">
                {v ?? <em>{t('results.notANumber')}</em>}
                {u !== null && <span className="results-sd"> {t('results.uncertainty', { value: u })}</span>}
              </td>
              <td>{formatUnit(m.unit)}</td>
              <td>{m.region?.name ?? ''}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
