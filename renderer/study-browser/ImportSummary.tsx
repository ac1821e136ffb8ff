/** The last import's summary, with a table of skipped files (file, reason). */
import type { ImportReport } from '@qiview/core/common/dicom/records';
import { useT } from '../i18n/i18n';
import type { StringKey } from '../i18n/strings';

export function ImportSummary({ report }: { report: ImportReport }) {
  const t = useT();
  const notDicom = report.skipped.filter((s) => s.kind === 'not-dicom').length;
  return (
    <section className="browser-summary" data-testid="import-summary">
      <p>
        {t('browser.summary.text', {
          files: report.filesSeen,
          added: report.instancesAdded,
          series: report.series.length,
          skipped: report.skipped.length,
          notDicom,
        })}
      </p>
      {report.skipped.length > 0 && (
        <details open={report.skipped.length - notDicom > 0}>
          <summary>{t('browser.summary.skippedTitle')}</summary>
          <table className="browser-skipped" data-testid="skipped-table">
            <thead>
              <tr>
                <th>{t('browser.summary.file')}</th>
                <th>{t('browser.summary.kind')}</th>
                <th>{t('browser.summary.reason')}</th>
              </tr>
            </thead>
            <tbody>
              {report.skipped.map((s) => (
                <tr key={s.file} data-testid="skipped-row" data-kind={s.kind}>
                  <td>{s.file}</td>
                  <td>{t(`browser.kind.${s.kind}` as StringKey)}</td>
                  <td>{s.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      )}
    </section>
  );
}
