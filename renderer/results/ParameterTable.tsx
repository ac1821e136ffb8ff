import type { ParameterProvenance } from '@qiview/sdk';
import { useLocale, useT } from '../i18n/i18n';
import type { StringKey } from '../i18n/strings';
import { formatValue, type ManifestStrings } from './format';

const SOURCE_KEYS: Record<ParameterProvenance['source'], StringKey> = {
  header: 'results.source.header',
  sidecar: 'results.source.sidecar',
  default: 'results.source.default',
  user: 'results.source.user',
  derived: 'results.source.derived',
};

function show(v: ParameterProvenance['value'], locale: string): string {
  if (typeof v === 'number') return formatValue(v, locale) ?? String(v);
  if (Array.isArray(v)) return v.map((x) => formatValue(x, locale) ?? String(x)).join(', ');
  return String(v);
}

/** The values the analysis used and where each came from (header, sidecar, default, user, derived). */
export function ParameterTable({
  parameters,
  strings,
}: {
  parameters: ParameterProvenance[];
  strings?: ManifestStrings;
}) {
  const t = useT();
  const locale = useLocale((s) => s.locale);
  return (
    <table className="results-table" data-testid="parameter-table">
      <thead>
        <tr>
          <th scope="col">{t('results.parameter')}</th>
          <th scope="col">{t('results.value')}</th>
          <th scope="col">{t('results.source')}</th>
          <th scope="col">{t('results.detail')}</th>
        </tr>
      </thead>
      <tbody>
        {parameters.map((p) => (
          <tr key={p.key} data-key={p.key} data-source={p.source}>
            <th scope="row" title={p.key}>
              {strings?.[locale]?.[`parameter.${p.key}`] ?? p.name}
            </th>
            <td className="results-num">
              {show(p.value, locale)}
              {p.unit && p.unit !== '1' ? ` ${p.unit}` : ''}
            </td>
            <td>{t(SOURCE_KEYS[p.source])}</td>
            <td>{p.detail ?? ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
