/**
 * The report view: a full-window sheet over the app with the A4 {@link ReportPage}, a toolbar (print, close) and
 * the sign-off controls. A live report is built from the analysis result the results panel shows; once signed, it
 * is locked (content, signer, time, SHA-256) and stored with the result; re-opening shows it read-only, and
 * "Amend" signs a new version that names the one it replaces. `@media print` hides everything but the page.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { Volume } from '@qiview/sdk';
import { buildReport } from '../../core/common/report/build-report';
import { reportResultId } from '../../core/common/report/report-result-id';
import {
  signReport,
  verifySignedReport,
  type ReportDraft,
  type ReportImageSnapshot,
  type SignedReport,
} from '../../core/common/report/signed-report';
import { useLocale, useT } from '../i18n/i18n';
import { volumeOf } from '../plugin-panel/series-inputs';
import { useSettings } from '../settings/settings-store';
import { useViewerStore } from '../state/viewer-store';
import { keyImageSnapshots } from './key-image-snapshots';
import { localiseReport } from './localise-report';
import { ReportPage, reportTime } from './ReportPage';
import { closeReport, reportSigned, useReportView, type LiveReportSource } from './report-view-store';
import { loadReportHistory, saveSignedReport, type ReportResultMeta } from './signed-report-store';
import './report.css';

const READER_KEY = 'qiview.report.reader';

/** The reader name from the settings, else the name last signed with in this browser. */
function rememberedReader(): string {
  const fromSettings = useSettings.getState().settings.readerName;
  if (fromSettings) return fromSettings;
  try {
    return globalThis.localStorage?.getItem(READER_KEY) ?? '';
  } catch {
    return '';
  }
}

function useLiveModel(live: LiveReportSource | undefined, locale: string) {
  return useMemo(() => {
    if (!live) return undefined;
    const series = useViewerStore.getState().series;
    const s = series[live.seriesKey ?? ''] ?? series[Object.values(live.roles)[0] ?? ''];
    const model = buildReport(live.result, live.provenance, {
      locale,
      patient: live.patient ?? { name: s?.patientName, id: s?.patientId },
      study: live.study ?? {
        description: s?.studyDescription,
        date: s?.studyDate,
        studyInstanceUid: s?.studyInstanceUid,
      },
      pluginName: live.manifestStrings?.[locale]?.name ?? live.manifestStrings?.en?.name,
      inputRoles: [...Object.keys(live.roles), ...Object.keys(live.volumes ?? {})],
    });
    // header fields left empty by the series are dropped (no empty rows on the page)
    for (const o of [model.header.patient, model.header.study] as Array<Record<string, unknown>>)
      for (const k of Object.keys(o)) if (o[k] === undefined || o[k] === '') delete o[k];
    return localiseReport(model, live.manifestStrings, locale);
  }, [live, locale]);
}

function resultMeta(id: string, draft: ReportDraft): ReportResultMeta {
  const h = draft.model.header;
  const meta: ReportResultMeta = {
    id,
    pluginId: h.pluginId,
    pluginVersion: h.pluginVersion,
    modelVersions: Object.fromEntries(h.models.map((m) => [m.id, m.version ?? m.sha256Prefix])),
    inputSeriesUids: Object.values(h.inputSeries),
    createdAt: h.analysedAt,
  };
  if (h.study.studyInstanceUid) meta.studyInstanceUid = h.study.studyInstanceUid;
  return meta;
}

function ReportSheet({ live, storedId }: { live?: LiveReportSource; storedId?: string }) {
  const t = useT();
  const locale = useLocale((s) => s.locale);
  const [resultId, setResultId] = useState(storedId);
  const [history, setHistory] = useState<SignedReport[]>();
  const [shown, setShown] = useState<number>();
  const [verified, setVerified] = useState<boolean>();
  const [images, setImages] = useState<ReportImageSnapshot[]>();
  const [comment, setComment] = useState('');
  const [reader, setReader] = useState(rememberedReader);
  const [amending, setAmending] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const model = useLiveModel(live, locale);
  const sheetRef = useRef<HTMLDivElement>(null);
  useEffect(() => sheetRef.current?.focus({ preventScroll: true }), []);

  useEffect(() => {
    if (live?.resultId) setResultId(live.resultId);
    else if (live) void reportResultId(live.result, live.provenance).then(setResultId);
  }, [live]);

  useEffect(() => {
    if (!resultId) return;
    let alive = true;
    loadReportHistory(resultId)
      .then((h) => alive && setHistory(h))
      .catch((e: unknown) => {
        if (!alive) return;
        setHistory([]);
        setError(t('report.loadError', { message: e instanceof Error ? e.message : String(e) }));
      });
    return () => {
      alive = false;
    };
    // t changes with the locale only; the history does not
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [resultId]);

  useEffect(() => {
    if (!live || !model) return;
    let alive = true;
    const series = useViewerStore.getState().series;
    void (async () => {
      const volumes: Record<string, Volume> = { ...live.volumes };
      for (const [role, key] of Object.entries(live.roles)) {
        if (volumes[role]) continue;
        const s = series[key];
        if (s) volumes[role] = await volumeOf(s).catch(() => undefined as unknown as Volume);
        if (!volumes[role]) delete volumes[role];
      }
      const snaps = keyImageSnapshots(model, live.result, volumes, (name, slice, count) =>
        t('report.keyImage.auto', { name, slice, count }),
      );
      if (alive) setImages(snaps);
    })().catch(() => alive && setImages([]));
    return () => {
      alive = false;
    };
    // t follows model.locale
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [live, model]);

  const latest = history?.at(-1);
  const signedShown = history && !amending ? history[shown ?? history.length - 1] : undefined;

  useEffect(() => {
    setVerified(undefined);
    if (!signedShown) return;
    let alive = true;
    void verifySignedReport(signedShown).then((ok) => alive && setVerified(ok));
    return () => {
      alive = false;
    };
  }, [signedShown]);

  const draft: ReportDraft | undefined = signedShown
    ? undefined
    : model
      ? { model, images: images ?? [], comment }
      : latest
        ? { model: latest.model, images: latest.images, comment }
        : undefined;

  async function sign(): Promise<void> {
    if (!draft || !resultId) return;
    setBusy(true);
    setError(undefined);
    try {
      const signed = await signReport(draft, {
        signer: reader,
        previous: amending ? latest : undefined,
        amendReason: amending ? reason : undefined,
      });
      const h = await saveSignedReport(resultMeta(resultId, draft), signed);
      try {
        globalThis.localStorage?.setItem(READER_KEY, signed.signature.signer);
      } catch {
        /* ignore */
      }
      setHistory(h);
      reportSigned();
      setShown(undefined);
      setAmending(false);
      setReason('');
    } catch (e) {
      setError(t('report.signError', { message: e instanceof Error ? e.message : String(e) }));
    } finally {
      setBusy(false);
    }
  }

  const ready = history !== undefined && resultId !== undefined && (!live || images !== undefined);
  const canSign = ready && !busy && reader.trim() !== '' && (!amending || reason.trim() !== '');

  return (
    <div
      className="report-sheet"
      role="dialog"
      aria-modal="true"
      aria-label={t('report.title')}
      data-testid="report-view"
      tabIndex={-1}
      ref={sheetRef}
      onKeyDown={(e) => {
        // Escape closes the sheet (keys typed into its fields stay there and never reach the viewer's shortcuts)
        if (e.key === 'Escape') closeReport();
        e.stopPropagation();
      }}
    >
      <div className="report-toolbar">
        <button type="button" data-testid="report-print" onClick={() => window.print()}>
          {t('report.print')}
        </button>
        {history && history.length > 1 && !amending && (
          <label>
            {t('report.version')}{' '}
            <select
              data-testid="report-version"
              value={shown ?? history.length - 1}
              onChange={(e) => setShown(Number(e.target.value))}
            >
              {history.map((r, i) => (
                <option key={i} value={i}>
                  {t('report.versionOption', {
                    version: r.signature.version,
                    signer: r.signature.signer,
                    date: reportTime(r.signature.signedAt),
                  })}
                </option>
              ))}
            </select>
          </label>
        )}
        {signedShown ? (
          <button
            type="button"
            data-testid="report-amend"
            onClick={() => {
              setAmending(true);
              setComment(latest?.comment ?? '');
            }}
          >
            {t('report.amend')}
          </button>
        ) : (
          <>
            <label>
              {t('report.reader')}{' '}
              <input
                data-testid="report-reader"
                value={reader}
                maxLength={200}
                onChange={(e) => setReader(e.target.value)}
              />
            </label>
            {amending && (
              <label>
                {t('report.amendReason')}{' '}
                <input
                  data-testid="report-amend-reason"
                  value={reason}
                  onChange={(e) => setReason(e.target.value)}
                />
              </label>
            )}
            <button type="button" data-testid="report-sign" disabled={!canSign} onClick={() => void sign()}>
              {busy ? t('report.signing') : amending ? t('report.signAmendment') : t('report.sign')}
            </button>
            {amending && (
              <button type="button" onClick={() => setAmending(false)}>
                {t('report.cancelAmend')}
              </button>
            )}
          </>
        )}
        <span className="report-toolbar-gap" />
        <button type="button" data-testid="report-close" onClick={closeReport}>
          {t('report.close')}
        </button>
      </div>
      {error && (
        <p className="report-error" role="alert" data-testid="report-error">
          {error}
        </p>
      )}
      {signedShown ? (
        <ReportPage content={signedShown} signed={signedShown} verified={verified} />
      ) : draft ? (
        <ReportPage
          content={draft}
          imagesLoading={live !== undefined && images === undefined}
          commentEditor={
            <textarea
              className="report-comment-input"
              data-testid="report-comment"
              rows={2}
              maxLength={2000}
              placeholder={t('report.comment.placeholder')}
              value={comment}
              onChange={(e) => setComment(e.target.value)}
            />
          }
        />
      ) : null}
    </div>
  );
}

/** Mount once next to the app: renders the open report, or nothing. */
export function ReportView() {
  const open = useReportView((s) => s.open);
  const live = useReportView((s) => s.live);
  const resultId = useReportView((s) => s.resultId);
  const opened = useReportView((s) => s.opened);
  if (!open) return null;
  return <ReportSheet key={opened} live={live} storedId={resultId} />;
}
