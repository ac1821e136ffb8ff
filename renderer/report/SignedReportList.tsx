/** The signed reports stored in this browser's library, newest first, each re-opened read-only with one click. */
import { useEffect, useState } from 'react';
import { useT } from '../i18n/i18n';
import { reportTime } from './ReportPage';
import { openStoredReport, useReportView } from './report-view-store';
import { listSignedReports, type SignedReportListing } from './signed-report-store';

/** List of signed reports (renders nothing when there are none or storage is unavailable). */
export function SignedReportList() {
  const t = useT();
  const signedCount = useReportView((s) => s.signedCount);
  const [items, setItems] = useState<SignedReportListing[]>([]);
  useEffect(() => {
    if (typeof indexedDB === 'undefined') return;
    let alive = true;
    listSignedReports()
      .then((l) => alive && setItems(l))
      .catch(() => alive && setItems([]));
    return () => {
      alive = false;
    };
  }, [signedCount]);
  if (items.length === 0) return null;
  return (
    <section className="signed-reports" aria-label={t('report.signedReports')} data-testid="signed-reports">
      <h3>{t('report.signedReports')}</h3>
      <ul>
        {items.map((it) => {
          const h = it.latest.model.header;
          const s = it.latest.signature;
          return (
            <li key={it.resultId} data-result-id={it.resultId}>
              <button
                type="button"
                data-testid="signed-report-open"
                onClick={() => openStoredReport(it.resultId)}
              >
                {t('report.openSigned')}
              </button>{' '}
              <span>
                {[
                  h.patient.name?.replace(/\^/g, ' '),
                  h.pluginName,
                  `v${s.version}`,
                  s.signer,
                  reportTime(s.signedAt),
                ]
                  .filter(Boolean)
                  .join(' · ')}
              </span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
