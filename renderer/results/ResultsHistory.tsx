/**
 * The results history of the open study (results area, under the results panel): stored runs newest first with
 * plugin, version, time, status and measurement count; Open re-opens one with its overlays and values without running
 * the plugin. Also shows what happened to result files opened through the open-files/drop path.
 */
import { useEffect, useState } from 'react';
import type { ResultRecord } from '../../core/common/library/library-store';
import { isStoredRun } from '../../core/common/results/result-record';
import { useLocale, useT } from '../i18n/i18n';
import type { StringKey } from '../i18n/strings';
import { manifestString } from '../plugin-panel/catalogue';
import { showResult, usePluginPanel, type PluginRun } from '../plugin-panel/plugin-run-store';
import { useViewerStore } from '../state/viewer-store';
import { useResultFiles } from './open-result-files';
import { listHistory, loadStoredResult, useResultsHistory } from './results-history';

function measurementCount(r: ResultRecord): number | undefined {
  const doc = (r.payload as { document?: { result?: { measurements?: unknown[] } } } | undefined)?.document;
  return doc?.result?.measurements?.length;
}

/** What the shown result is, when it was not just computed: re-opened from the history or read from files. */
export function ShownResultStatus({ run }: { run: PluginRun }) {
  const t = useT();
  const locale = useLocale((s) => s.locale);
  if (!run.origin) return null;
  return (
    <div className="results-origin" data-testid="results-origin" data-origin={run.origin.kind}>
      <p>
        {run.origin.kind === 'history'
          ? t('results.history.reopened', { time: new Date(run.origin.createdAt).toLocaleString(locale) })
          : t('results.files.opened', { names: run.origin.names.join(', ') })}
      </p>
      {run.notice && (
        <p className="results-notice" role="status" data-testid="results-notice">
          {run.notice}
        </p>
      )}
    </div>
  );
}

/** Re-opens a stored result in the panel. */
async function reopen(r: ResultRecord, notOpen: (uid: string) => string): Promise<void> {
  const back = await loadStoredResult(r.id);
  useResultFiles.getState().set({ messages: [] });
  const seriesUid = back.overlaySeriesUid ?? r.inputSeriesUids[0];
  showResult({
    pluginId: r.pluginId,
    result: back.result,
    provenance: back.provenance,
    origin: { kind: 'history', resultId: r.id, createdAt: r.createdAt },
    seriesUid,
    notice: seriesUid ? notOpen(seriesUid) : undefined,
  });
}

/** The results history list of the open study. */
export function ResultsHistory() {
  const t = useT();
  const locale = useLocale((s) => s.locale);
  const version = useResultsHistory((s) => s.version);
  const storeError = useResultsHistory((s) => s.error);
  const catalogue = usePluginPanel((s) => s.catalogue);
  const shownId = usePluginPanel((s) => s.run?.resultId);
  const fileMessages = useResultFiles((s) => s.messages);
  const open = useViewerStore((s) => s.series);
  const studies = [...new Set(Object.values(open).map((s) => s.studyInstanceUid))].sort();
  const series = [...new Set(Object.values(open).map((s) => s.seriesInstanceUid))].sort();
  const key = `${studies.join(',')}|${series.join(',')}`;
  const [items, setItems] = useState<ResultRecord[]>([]);
  const [error, setError] = useState<string>();
  useEffect(() => {
    let live = true;
    if (studies.length === 0) {
      setItems([]);
      return;
    }
    listHistory(studies, series).then(
      (r) => {
        if (!live) return;
        setItems(r);
        setError(undefined);
      },
      (e: unknown) => live && setError(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      live = false;
    };
    // `key` stands for the open studies/series
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, version]);

  const pluginName = (id: string) => {
    const m = catalogue?.entries.find((e) => e.manifest.id === id)?.manifest;
    return m ? manifestString(m, locale, 'name', id) : id;
  };
  const problem = error ?? storeError;

  return (
    <section className="results-history" data-testid="results-history" aria-label={t('results.history')}>
      {fileMessages.map((m, i) => (
        <p
          key={i}
          className={m.ok ? 'results-files-ok' : 'results-files-error'}
          role={m.ok ? 'status' : 'alert'}
          data-testid={m.ok ? 'result-files-ok' : 'result-files-error'}
        >
          {m.text}
        </p>
      ))}
      <h3>{t('results.history')}</h3>
      {problem && (
        <p className="results-files-error" role="alert">
          {t('results.history.error', { reason: problem })}
        </p>
      )}
      {studies.length > 0 && items.length === 0 && !problem && (
        <p className="results-history-empty">{t('results.history.empty')}</p>
      )}
      {items.length > 0 && (
        <ol className="results-history-list">
          {items.map((r) => {
            const n = measurementCount(r);
            return (
              <li
                key={r.id}
                data-testid="history-item"
                data-result-id={r.id}
                data-status={r.status}
                aria-current={r.id === shownId ? 'true' : undefined}
                title={r.error ?? `${r.pluginId} ${r.pluginVersion}`}
              >
                <span className="results-history-name">
                  {pluginName(r.pluginId)} {r.pluginVersion}
                </span>
                <time dateTime={r.createdAt}>{new Date(r.createdAt).toLocaleString(locale)}</time>
                <span className={`results-history-status status-${r.status}`}>
                  {t(`results.history.status.${r.status}` as StringKey)}
                </span>
                {n !== undefined && (
                  <span className="results-history-count">
                    {t('results.history.measurements', { count: n })}
                  </span>
                )}
                <button
                  type="button"
                  data-testid="history-open"
                  disabled={!isStoredRun(r)}
                  onClick={() =>
                    void reopen(r, (uid) => t('results.history.notOpen', { uid })).catch((e: unknown) =>
                      setError(e instanceof Error ? e.message : String(e)),
                    )
                  }
                >
                  {t('results.history.open')}
                </button>
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
