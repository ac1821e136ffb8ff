/**
 * The analysis panel (right side): the built-in plugin catalogue in the UI language, which open series fill each
 * plugin's inputs, the parameter form (manifest defaults), Run with a progress bar and Cancel, the failure reason,
 * and the {@link ResultsPanel} of the finished run with its overlays on the series.
 */
import { useEffect, useMemo } from 'react';
import type { Manifest } from '@qiview/sdk';
import { ResultsPanel } from '../results';
import { withSeriesReferences } from '../results/export-references';
import { ResultsHistory, ShownResultStatus } from '../results/ResultsHistory';
import { openLiveReport } from '../report/report-view-store';
import { SignedReportList } from '../report/SignedReportList';
import { useLocale, useT } from '../i18n/i18n';
import type { StringKey } from '../i18n/strings';
import { useViewerStore } from '../state/viewer-store';
import { useStudyBrowser } from '../study-browser/study-browser-store';
import { CompareWithPrior } from './CompareWithPrior';
import { manifestString, type CatalogueEntry } from './catalogue';
import { seriesForKey } from './series-inputs';

/** A DICOM DA (YYYYMMDD) as YYYY-MM-DD. */
const formatDa = (d: string) => `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}`;
import { cancelRun, ensureCatalogue, selectionFor, startRun, usePluginPanel } from './plugin-run-store';
import './plugin-panel.css';

function ParameterForm({ manifest }: { manifest: Manifest }) {
  const t = useT();
  const values = usePluginPanel((s) => s.values[manifest.id]);
  const setValue = (key: string, v: unknown) => {
    const st = usePluginPanel.getState();
    st.set({ values: { ...st.values, [manifest.id]: { ...st.values[manifest.id], [key]: v } } });
  };
  if (manifest.parameters.length === 0) return null;
  const locale = useLocale.getState().locale;
  return (
    <fieldset className="plugin-params">
      <legend>{t('plugins.parameters')}</legend>
      {manifest.parameters.map((p) => {
        const label = manifestString(manifest, locale, p.key, p.key);
        const v = values?.[p.key];
        const id = `plugin-param-${p.key}`;
        return (
          <label key={p.key} htmlFor={id}>
            <span>
              {label}
              {p.unit ? ` (${p.unit})` : ''}
            </span>
            {p.type === 'boolean' ? (
              <input
                id={id}
                data-testid={id}
                type="checkbox"
                checked={typeof v === 'boolean' ? v : p.default === true}
                onChange={(e) => setValue(p.key, e.target.checked)}
              />
            ) : p.type === 'enum' ? (
              <select
                id={id}
                data-testid={id}
                value={String(v ?? p.default ?? '')}
                onChange={(e) => setValue(p.key, e.target.value)}
              >
                {(p.options ?? []).map((o) => (
                  <option key={o} value={o}>
                    {o}
                  </option>
                ))}
              </select>
            ) : (
              <input
                id={id}
                data-testid={id}
                type={p.type === 'number' ? 'number' : 'text'}
                min={p.min}
                max={p.max}
                value={String(v ?? p.default ?? '')}
                onChange={(e) => setValue(p.key, e.target.value)}
              />
            )}
          </label>
        );
      })}
    </fieldset>
  );
}

function InputMatch({ entry }: { entry: CatalogueEntry }) {
  const t = useT();
  const series = useViewerStore((s) => s.series);
  // the match is recomputed only when the plugin, the open series, the active one or the library change (it scans
  // the library for each open series' siblings)
  const activeSeriesKey = useViewerStore((s) => s.activeSeriesKey);
  const library = useStudyBrowser((s) => s.library);
  // eslint-disable-next-line react-hooks/exhaustive-deps -- selectionFor reads these from the stores
  const sel = useMemo(() => selectionFor(entry), [entry, series, activeSeriesKey, library]);
  if (Object.keys(series).length === 0)
    return (
      <p className="plugin-match" data-testid="plugin-match">
        {t('plugins.noSeries')}
      </p>
    );
  if (!sel.ok)
    return (
      <p className="plugin-match plugin-nomatch" data-testid="plugin-match" title={sel.errors.join('\n')}>
        {t('plugins.noMatch')}
      </p>
    );
  return (
    <dl className="plugin-match" data-testid="plugin-match">
      {Object.entries(sel.roles).map(([role, key]) => {
        const s = seriesForKey(key, series);
        return (
          <div key={role}>
            <dt>{role}</dt>
            <dd data-testid={`plugin-match-${role}`} data-library={key.startsWith('library:') || undefined}>
              {[
                s?.modality,
                s?.seriesNumber,
                s?.seriesDescription,
                role === 'prior' && sel.priorStudyDate ? formatDa(sel.priorStudyDate) : undefined,
              ]
                .filter((x) => x !== undefined && x !== '')
                .join(' · ')}
            </dd>
          </div>
        );
      })}
      {(sel.priorMissing || sel.priorWithoutRegistration) && (
        <div className="plugin-note">
          <dd data-testid="plugin-match-note">
            {sel.priorMissing
              ? t('plugins.priorNone', { reason: sel.priorMissing })
              : t('plugins.priorNoRegistration')}
          </dd>
        </div>
      )}
    </dl>
  );
}

function RunStatus() {
  const t = useT();
  const run = usePluginPanel((s) => s.run);
  if (!run) return null;
  if (run.phase === 'loading' || run.phase === 'running') {
    return (
      <div className="plugin-progress" data-testid="plugin-progress">
        <progress max={1} value={run.phase === 'loading' ? undefined : run.progress} />
        <span data-testid="plugin-stage">
          {run.phase === 'loading' ? t('plugins.reading') : t('plugins.running')} {run.stage ?? ''}
        </span>
        <button type="button" data-testid="plugin-cancel" onClick={cancelRun}>
          {t('plugins.cancel')}
        </button>
      </div>
    );
  }
  if (run.phase === 'failed') {
    const reason = t(`plugins.reason.${run.reason ?? 'error'}` as StringKey);
    return (
      <p className="plugin-error" role="alert" data-testid="plugin-error" data-reason={run.reason}>
        {t('plugins.failed', { reason, message: run.message ?? '' })}
      </p>
    );
  }
  if (run.origin) return <ShownResultStatus run={run} />;
  return (
    <p className="plugin-done" data-testid="plugin-done">
      {t('plugins.done', { seconds: ((run.durationMs ?? 0) / 1000).toFixed(1) })}
    </p>
  );
}

/** The right-panel analysis UI (mount in `<App right={…} />`). */
export function PluginPanel() {
  const t = useT();
  const locale = useLocale((s) => s.locale);
  const { catalogue, catalogueError, selectedId, run } = usePluginPanel();
  useEffect(() => {
    void ensureCatalogue();
  }, []);
  const entry = catalogue?.entries.find((e) => e.manifest.id === selectedId);
  const busy = run?.phase === 'loading' || run?.phase === 'running';
  const canRun = useViewerStore((s) => Object.keys(s.series).length > 0);
  const name = (m: Manifest) => manifestString(m, locale, 'name', m.id);
  const shownRun = run?.phase === 'done' && run.result ? run : undefined;
  const resultEntry = shownRun && catalogue?.entries.find((e) => e.manifest.id === shownRun.pluginId);
  // The export context walks every slice header of the series: once per shown result, not on every render.
  const shownSeriesKey = shownRun?.seriesKey;
  const shownResult = shownRun?.result;
  const exportContext = useMemo(
    () =>
      shownSeriesKey && shownResult
        ? withSeriesReferences({ source: seriesSource(shownSeriesKey) }, shownSeriesKey, shownResult)
        : undefined,
    [shownSeriesKey, shownResult],
  );

  return (
    <section className="plugin-panel" data-testid="plugin-panel" aria-label={t('plugins.title')}>
      <h2>{t('plugins.title')}</h2>
      {catalogueError && (
        <p className="plugin-error">{t('plugins.loadError', { message: catalogueError })}</p>
      )}
      {!catalogue && !catalogueError && <p>{t('plugins.loading')}</p>}
      {catalogue && catalogue.entries.length === 0 && <p>{t('plugins.none')}</p>}
      {catalogue && catalogue.entries.length > 0 && (
        <>
          <label className="plugin-choose">
            <span>{t('plugins.choose')}</span>
            <select
              data-testid="plugin-select"
              value={selectedId ?? ''}
              disabled={busy}
              onChange={(e) => usePluginPanel.getState().set({ selectedId: e.target.value })}
            >
              {catalogue.entries.map((e) => (
                <option key={e.manifest.id} value={e.manifest.id}>
                  {name(e.manifest)}
                </option>
              ))}
            </select>
          </label>
          {entry && (
            <>
              <p className="plugin-description" data-testid="plugin-description">
                {manifestString(entry.manifest, locale, 'description')}
              </p>
              <h3>{t('plugins.inputs')}</h3>
              <InputMatch entry={entry} />
              <ParameterForm manifest={entry.manifest} />
              <button
                type="button"
                data-testid="plugin-run"
                disabled={busy || !canRun}
                onClick={() => void startRun(entry)}
              >
                {t('plugins.run')}
              </button>
            </>
          )}
        </>
      )}
      <RunStatus />
      {shownRun && <CompareWithPrior run={shownRun} />}
      {shownRun?.result && (
        <ResultsPanel
          key={shownRun.id}
          result={shownRun.result}
          provenance={shownRun.provenance}
          manifestStrings={resultEntry ? resultEntry.manifest.strings : undefined}
          seriesKey={shownRun.seriesKey}
          exportContext={exportContext}
          onReport={() =>
            openLiveReport({
              result: shownRun.result!,
              provenance: shownRun.provenance,
              manifestStrings: resultEntry ? resultEntry.manifest.strings : undefined,
              roles: shownRun.roles,
              seriesKey: shownRun.seriesKey,
              // signed reports go into the stored run's library record once it has one
              resultId: shownRun.resultId,
            })
          }
        />
      )}
      <ResultsHistory />
      <SignedReportList />
    </section>
  );
}

function seriesSource(key: string): Record<string, unknown> | undefined {
  const s = useViewerStore.getState().series[key];
  if (!s) return undefined;
  return {
    PatientName: s.patientName,
    PatientID: s.patientId,
    StudyInstanceUID: s.studyInstanceUid,
    SeriesInstanceUID: s.seriesInstanceUid,
    StudyDate: s.studyDate,
    StudyDescription: s.studyDescription,
    Modality: s.modality,
    SeriesDescription: s.seriesDescription,
    SeriesNumber: s.seriesNumber,
  };
}
