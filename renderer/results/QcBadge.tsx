import type { QualityControl } from '@qiview/sdk';
import { useT } from '../i18n/i18n';

/** QC status as a coloured badge with the reasons listed under it. */
export function QcBadge({ qc }: { qc?: QualityControl }) {
  const t = useT();
  if (!qc) return <span className="qc-badge qc-none">{t('results.qc.none')}</span>;
  const label =
    qc.status === 'pass'
      ? t('results.qc.pass')
      : qc.status === 'warn'
        ? t('results.qc.warn')
        : t('results.qc.fail');
  return (
    <div className={`qc qc-${qc.status}`} data-testid="qc-badge" data-status={qc.status}>
      <span className={`qc-badge qc-${qc.status}`} role="status">
        {label}
      </span>
      {qc.reasons.length > 0 && (
        <ul className="qc-reasons">
          {qc.reasons.map((r, i) => (
            <li key={i}>{r}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
