/**
 * The study browser panel: open files/folder (or drop them), import progress with cancel, import summary, search,
 * patients → studies → series with thumbnails; double-click a series to open it; remove a study from the library.
 */
import { useEffect, useState, type DragEvent } from 'react';
import { useT } from '../i18n/i18n';
import { getPlatform } from '../platform/get-platform';
import { cancelImport, importPicked, removeStudy, restoreLibrary } from './browser-actions';
import { ImportSummary } from './ImportSummary';
import { SeriesRow } from './SeriesRow';
import { studyMatches, useStudyBrowser } from './study-browser-store';

function formatDate(d?: string): string {
  return d && /^\d{8}$/.test(d) ? `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}` : (d ?? '');
}

export function StudyBrowser() {
  const t = useT();
  const { library, report, progress, busy, search, error, available, set } = useStudyBrowser();
  const [dragging, setDragging] = useState(false);
  useEffect(() => {
    void restoreLibrary();
  }, []);
  const platform = getPlatform();
  const pick = async (folder: boolean) => {
    const files = folder ? await platform.pickFolder() : await platform.pickFiles();
    if (files.length) await importPicked(files);
  };
  const onDrop = async (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    const files = await platform.filesFromDrop(e.dataTransfer);
    if (files.length) await importPicked(files);
  };
  const studies = library.studies.filter((s) =>
    studyMatches(
      s,
      library.patients.find((p) => p.patientId === s.patientId),
      search,
    ),
  );
  return (
    <div
      className={`study-browser${dragging ? ' dragging' : ''}`}
      data-testid="study-browser"
      onDragOver={(e) => {
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={(e) => void onDrop(e)}
    >
      <div className="browser-actions">
        <button
          type="button"
          data-testid="browser-open-files"
          disabled={busy}
          onClick={() => void pick(false)}
        >
          {t('browser.openFiles')}
        </button>
        <button
          type="button"
          data-testid="browser-open-folder"
          disabled={busy}
          onClick={() => void pick(true)}
        >
          {t('browser.openFolder')}
        </button>
      </div>
      <p className="browser-hint">{t('browser.dropHint')}</p>
      {busy && progress && (
        <div className="browser-progress" data-testid="import-progress">
          <progress max={progress.total} value={progress.done} />{' '}
          {t('browser.progress', { done: progress.done, total: progress.total })}{' '}
          <button type="button" onClick={cancelImport}>
            {t('browser.cancel')}
          </button>
        </div>
      )}
      {error && (
        <p className="browser-error" role="alert" data-testid="browser-error">
          {error === 'repick' ? t('browser.repick') : error}
        </p>
      )}
      {report && <ImportSummary report={report} />}
      <input
        type="search"
        className="browser-search"
        data-testid="browser-search"
        placeholder={t('browser.search')}
        aria-label={t('browser.search')}
        value={search}
        onChange={(e) => set({ search: e.target.value })}
      />
      {library.studies.length === 0 && <p className="panel-empty">{t('browser.empty')}</p>}
      <ul className="browser-studies">
        {studies.map((study) => {
          const patient = library.patients.find((p) => p.patientId === study.patientId);
          const series = library.series.filter((s) => s.studyInstanceUid === study.studyInstanceUid);
          const anyMissing = series.some((s) => !available.has(s.seriesInstanceUid));
          return (
            <li key={study.studyInstanceUid} className="browser-study" data-testid="browser-study">
              <div className="browser-study-head">
                <span>
                  <strong data-testid="browser-patient">
                    {patient?.patientName?.replace(/\^/g, ' ').trim() || t('browser.anonymous')}
                  </strong>{' '}
                  ({study.patientId || '—'}) · {formatDate(study.studyDate)} · {study.modalities.join('/')}
                  <br />
                  {study.studyDescription ?? ''}{' '}
                  {t('browser.study.counts', { series: study.seriesCount, images: study.imageCount })}
                </span>
                <button
                  type="button"
                  data-testid="browser-remove-study"
                  title={t('browser.removeHint')}
                  onClick={() => removeStudy(study.studyInstanceUid)}
                >
                  {t('browser.remove')}
                </button>
              </div>
              {anyMissing && <p className="browser-warning">{t('browser.repick')}</p>}
              <ul className="browser-series-list">
                {series.map((s) => (
                  <SeriesRow
                    key={s.seriesInstanceUid}
                    series={s}
                    available={available.has(s.seriesInstanceUid)}
                  />
                ))}
              </ul>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
