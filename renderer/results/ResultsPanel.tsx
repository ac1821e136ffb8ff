import { useEffect, useMemo, useState } from 'react';
import type { AnalysisResult, Labelmap } from '@qiview/sdk';
import type { ExportContext } from '../../core/common/results/export-files';
import type { ResultProvenance } from '../../core/common/results/provenance';
import { useLocale, useT } from '../i18n/i18n';
import { useViewerStore, type LabelmapOverlay, type ParametricOverlay } from '../state/viewer-store';
import { attachResultOverlays } from './attach-overlays';
import { ColorBar } from './ColorBar';
import { ExportButtons } from './ExportButtons';
import type { ManifestStrings } from './format';
import { MeasurementTable } from './MeasurementTable';
import { ParameterTable } from './ParameterTable';
import { QcBadge } from './QcBadge';
import { ResultPlot } from './ResultPlot';
import { SegmentList, type SegmentRow } from './SegmentList';
import './results.css';

/** Props of {@link ResultsPanel}. */
export interface ResultsPanelProps {
  result: AnalysisResult;
  provenance?: ResultProvenance;
  /** The plugin manifest's `strings` (translated measurement/parameter names by key). */
  manifestStrings?: ManifestStrings;
  /**
   * Viewer series key the result was computed on. When given, labelmaps and maps are added to the viewer store as
   * overlays on that series and the segment list drives them; without it the panel keeps segment state locally.
   */
  seriesKey?: string;
  /** Source series attributes / instances for DICOM exports (see {@link ExportContext}). */
  exportContext?: Omit<ExportContext, 'result' | 'provenance'>;
  /** Replaces the browser download (tests, Electron save dialogs). */
  save?: (filename: string, mime: string, data: Uint8Array | string) => void;
  /** Opens the one-page report of this result; the "Report" button is shown when given. */
  onReport?: () => void;
}

/** Segment rows of a labelmap, with the display state of its viewer overlay when there is one. */
export function segmentRowsFor(l: Labelmap, overlay?: LabelmapOverlay): SegmentRow[] {
  return l.segments.map((s) => {
    const d = overlay?.segments.find((x) => x.label === s.label);
    return { label: s.label, name: s.name, color: d?.color ?? s.color, visible: d?.visible ?? true };
  });
}

/** Segment list of one labelmap, wired to the viewer store (overlay present) or to local state. */
function LabelmapSegments({ labelmap, overlay }: { labelmap: Labelmap; overlay?: LabelmapOverlay }) {
  const store = useViewerStore.getState;
  const [local, setLocal] = useState<{ rows: SegmentRow[]; opacity: number }>(() => ({
    rows: segmentRowsFor(labelmap),
    opacity: 0.5,
  }));
  if (overlay) {
    return (
      <SegmentList
        title={labelmap.name}
        segments={segmentRowsFor(labelmap, overlay)}
        opacity={overlay.opacity}
        onVisibility={(label, v) => store().setSegmentVisibility(overlay.id, label, v)}
        onColor={(label, c) => store().setSegmentColor(overlay.id, label, c)}
        onOpacity={(o) => store().setOverlayOpacity(overlay.id, o)}
      />
    );
  }
  return (
    <SegmentList
      title={labelmap.name}
      segments={local.rows}
      opacity={local.opacity}
      onVisibility={(label, visible) =>
        setLocal((s) => ({ ...s, rows: s.rows.map((r) => (r.label === label ? { ...r, visible } : r)) }))
      }
      onColor={(label, color) =>
        setLocal((s) => ({ ...s, rows: s.rows.map((r) => (r.label === label ? { ...r, color } : r)) }))
      }
      onOpacity={(opacity) => setLocal((s) => ({ ...s, opacity }))}
    />
  );
}

/**
 * The results panel of one analysis run: QC badge, findings, measurement table, segment lists (overlay
 * visibility/colour/opacity), colour bars of parametric maps, plots, parameter provenance and export buttons.
 */
export function ResultsPanel({
  result,
  provenance,
  manifestStrings,
  seriesKey,
  exportContext,
  save,
  onReport,
}: ResultsPanelProps) {
  const t = useT();
  const locale = useLocale((s) => s.locale);
  const overlays = useViewerStore((s) => s.overlays);

  useEffect(() => {
    if (!seriesKey) return;
    return attachResultOverlays(result, seriesKey);
  }, [result, seriesKey]);

  const ctx = useMemo<ExportContext>(
    () => ({ ...exportContext, result, provenance }),
    [exportContext, result, provenance],
  );
  const findOverlay = <K extends 'labelmap' | 'parametric'>(kind: K, id: string) =>
    seriesKey
      ? (overlays.find((o) => o.kind === kind && o.id === `${kind}:${id}` && o.seriesKey === seriesKey) as
          (K extends 'labelmap' ? LabelmapOverlay : ParametricOverlay) | undefined)
      : undefined;
  const pluginName = manifestStrings?.[locale]?.name ?? provenance?.pluginId;

  return (
    <section className="results-panel" aria-label={t('results.title')} data-testid="results-panel">
      <header>
        <h2>
          {t('results.title')}
          {pluginName ? `: ${pluginName}` : ''}
        </h2>
        <QcBadge qc={result.qc} />
        {onReport && (
          <button type="button" className="results-report" data-testid="results-report" onClick={onReport}>
            {t('report.open')}
          </button>
        )}
      </header>

      {result.findings.length > 0 && (
        <section aria-label={t('results.findings')}>
          <h3>{t('results.findings')}</h3>
          <ul className="results-findings">
            {result.findings.map((f, i) => (
              <li key={i}>{f}</li>
            ))}
          </ul>
        </section>
      )}

      <section aria-label={t('results.measurements')}>
        <h3>{t('results.measurements')}</h3>
        <MeasurementTable measurements={result.measurements} strings={manifestStrings} />
      </section>

      {result.labelmaps.length > 0 && (
        <section aria-label={t('results.segments')}>
          <h3>{t('results.segments')}</h3>
          {result.labelmaps.map((l) => (
            <LabelmapSegments key={l.id} labelmap={l} overlay={findOverlay('labelmap', l.id)} />
          ))}
        </section>
      )}

      {result.maps.length > 0 && (
        <section aria-label={t('results.maps')}>
          <h3>{t('results.maps')}</h3>
          {result.maps.map((m) => {
            const o = findOverlay('parametric', m.id);
            return (
              <div key={m.id} className="results-map">
                <ColorBar
                  label={m.name}
                  colormap={o?.colormap ?? m.display?.colormap ?? 'hot'}
                  range={o?.range ?? m.display?.range ?? [0, 1]}
                  unit={m.volume.unit}
                />
                {o && (
                  <fieldset className="results-map-range">
                    <legend>{t('results.map.range')}</legend>
                    {([0, 1] as const).map((i) => (
                      <input
                        key={i}
                        type="number"
                        step="any"
                        aria-label={t(i === 0 ? 'results.map.min' : 'results.map.max')}
                        value={o.range[i]}
                        onChange={(e) => {
                          const v = Number(e.currentTarget.value);
                          if (!Number.isFinite(v)) return;
                          const r: [number, number] = i === 0 ? [v, o.range[1]] : [o.range[0], v];
                          useViewerStore.getState().setParametricRange(o.id, r);
                        }}
                      />
                    ))}
                  </fieldset>
                )}
                {o && (
                  <label>
                    {t('results.opacity')}
                    <input
                      type="range"
                      min={0}
                      max={1}
                      step={0.05}
                      value={o.opacity}
                      onChange={(e) =>
                        useViewerStore.getState().setOverlayOpacity(o.id, Number(e.currentTarget.value))
                      }
                    />
                  </label>
                )}
              </div>
            );
          })}
        </section>
      )}

      {(result.plots?.length ?? 0) > 0 && (
        <section aria-label={t('results.plots')}>
          <h3>{t('results.plots')}</h3>
          {result.plots!.map((p) => (
            <ResultPlot key={p.id} plot={p} />
          ))}
        </section>
      )}

      {(result.parameters?.length ?? 0) > 0 && (
        <section aria-label={t('results.parameters')}>
          <h3>{t('results.parameters')}</h3>
          <ParameterTable parameters={result.parameters!} strings={manifestStrings} />
        </section>
      )}

      {provenance && (
        <p className="results-provenance" data-testid="results-provenance">
          {t('results.provenance.plugin', { id: provenance.pluginId, version: provenance.pluginVersion })}
          {provenance.models
            .map((m) => ` · ${m.id}${m.version ? ' ' + m.version : ''} (${m.sha256.slice(0, 12)})`)
            .join('')}
          {` · SDK ${provenance.sdkVersion} · ${provenance.timestamp}`}
        </p>
      )}

      <ExportButtons context={ctx} save={save} />
    </section>
  );
}
