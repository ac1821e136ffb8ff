/**
 * The viewport grid: lays out the cells the current mode/layout needs, hands them to the Cornerstone controller,
 * and draws the per-viewport overlays (patient text, orientation markers, scale bar, colour bar).
 */
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useViewerStore, cellCount, type ViewerState } from '../state/viewer-store';
import { useT } from '../i18n/i18n';
import type { StringKey } from '../i18n/strings';
import { viewerController, type ViewportSpec, type Orientation } from './cornerstone/viewer-controller';
import { ViewportOverlay } from './ViewportOverlay';
import { useOpenFiles } from './open-files-store';
import { installTestHooks } from './test-hooks';

interface Cell {
  id: string;
  kind: ViewportSpec['kind'];
  orientation: Orientation;
  seriesKey: string | null;
  mip: boolean;
  label: StringKey;
}

function cellsFor(s: ViewerState): { cells: Cell[]; columns: number; fallback: string | null } {
  const active = s.activeSeriesKey ? s.series[s.activeSeriesKey] : undefined;
  const volumeCapable = !!active && (active.hasGeometry || (active.imageIds.length === 0 && !!active.volume));
  let mode = s.viewMode;
  let fallback: string | null = null;
  if (mode !== 'stack' && active && !volumeCapable) {
    fallback = active.seriesDescription ?? active.key;
    mode = 'stack';
  }
  if (mode === 'mpr' || mode === 'mip') {
    const planes: Orientation[] = ['axial', 'sagittal', 'coronal'];
    return {
      cells: planes.map((o) => ({
        id: `${mode}-${o}`,
        kind: 'ortho',
        orientation: o,
        seriesKey: s.activeSeriesKey,
        mip: mode === 'mip',
        label: `viewer.plane.${o}` as StringKey,
      })),
      columns: 3,
      fallback,
    };
  }
  if (mode === '3d') {
    return {
      cells: [
        {
          id: 'vr-3d',
          kind: '3d',
          orientation: 'coronal',
          seriesKey: s.activeSeriesKey,
          mip: false,
          label: 'viewer.plane.3d',
        },
      ],
      columns: 1,
      fallback,
    };
  }
  const n = cellCount(s.layout);
  const cells: Cell[] = [];
  for (let i = 0; i < n; i++) {
    const key = s.cells[i] ?? null;
    const series = key ? s.series[key] : undefined;
    // Overlays (labelmaps, maps) need a volume viewport; a volume-only series has no image ids for a stack.
    const needsVolume =
      !!series &&
      ((series.imageIds.length === 0 && !!series.volume) ||
        (series.hasGeometry && s.overlays.some((o) => o.seriesKey === key)));
    cells.push({
      id: `cell-${i}`,
      kind: needsVolume ? 'ortho' : 'stack',
      orientation: 'axial',
      seriesKey: key,
      mip: false,
      label: 'viewer.plane.axial',
    });
  }
  return { cells, columns: s.layout === '1x1' ? 1 : s.layout === '2x2' ? 2 : n, fallback };
}

export function ViewportGrid() {
  const t = useT();
  const state = useViewerStore();
  const problems = useOpenFiles((s) => s.problems);
  const { cells, columns, fallback } = useMemo(() => cellsFor(state), [state]);
  const elements = useRef(new Map<string, HTMLDivElement>());
  const [warning, setWarning] = useState<string | null>(null);
  const [revision, setRevision] = useState(0);

  useEffect(() => {
    viewerController.onWarning = setWarning;
    viewerController.onViewportsChanged = () => setRevision((r) => r + 1);
    installTestHooks();
    // Start Cornerstone (workers, codecs) and the rendering engine before the first series arrives.
    void viewerController.warmUp().catch((e) => setWarning(e instanceof Error ? e.message : String(e)));
    // A series just opened starts loading its first image at once, while React and the viewports catch up.
    return useViewerStore.subscribe((s, prev) => {
      const key = s.activeSeriesKey;
      if (key && s.series[key] && s.series[key] !== prev.series[key]) viewerController.preload(s.series[key]);
    });
  }, []);

  useLayoutEffect(() => {
    const specs: ViewportSpec[] = [];
    for (const c of cells) {
      const el = elements.current.get(c.id);
      if (el && c.seriesKey) {
        specs.push({
          id: c.id,
          element: el,
          kind: c.kind,
          orientation: c.orientation,
          seriesKey: c.seriesKey,
          mip: c.mip,
        });
      }
    }
    void viewerController
      .apply(specs, state)
      .catch((e) => setWarning(e instanceof Error ? e.message : String(e)));
  }, [cells, state]);

  // Cine: step through slices of the active stack/ortho viewport.
  useEffect(() => {
    if (!state.cinePlaying) return;
    const timer = setInterval(() => {
      const engine = viewerController.getEngine();
      const id = cells[Math.min(state.activeCell, cells.length - 1)]?.id;
      const vp = id
        ? (engine?.getViewport(id) as unknown as { scroll?: (d: number, a?: boolean, l?: boolean) => void })
        : undefined;
      vp?.scroll?.(1, false, true);
    }, 1000 / state.cineFps);
    return () => clearInterval(timer);
  }, [state.cinePlaying, state.cineFps, state.activeCell, cells]);

  const series = state.activeSeriesKey ? state.series[state.activeSeriesKey] : undefined;
  const rows = Math.ceil(cells.length / columns);
  return (
    <div className="viewport-wrap">
      {(fallback || series?.warnings.length || warning || problems.length > 0) && (
        <div className="viewer-warnings" role="status" data-testid="viewer-warning">
          {fallback && <div>⚠ {t('viewer.fallbackStack', { name: fallback })}</div>}
          {series?.warnings.map((w) => (
            <div key={w}>⚠ {w}</div>
          ))}
          {warning && <div>⚠ {warning}</div>}
          {problems.length > 0 && (
            <details>
              <summary>{t('viewer.fileProblems', { count: problems.length })}</summary>
              <ul>
                {problems.slice(0, 50).map((p) => (
                  <li key={p.name}>
                    {p.name}: {p.reason}
                  </li>
                ))}
              </ul>
            </details>
          )}
        </div>
      )}
      <div
        className="viewport-grid"
        data-testid="viewport-grid"
        style={{ gridTemplateColumns: `repeat(${columns}, 1fr)`, gridTemplateRows: `repeat(${rows}, 1fr)` }}
      >
        {cells.map((c, i) => (
          <div
            key={c.id}
            className={`viewport-cell${state.viewMode === 'stack' && i === state.activeCell ? ' active' : ''}`}
            data-testid={`viewport-${c.id}`}
            onMouseDown={() => state.viewMode === 'stack' && i !== state.activeCell && state.setActiveCell(i)}
          >
            <div
              className="viewport-element"
              data-viewport-id={c.id}
              onContextMenu={(e) => e.preventDefault()}
              ref={(el) => {
                if (el) elements.current.set(c.id, el);
                else elements.current.delete(c.id);
              }}
            />
            {c.seriesKey ? (
              <ViewportOverlay
                viewportId={c.id}
                seriesKey={c.seriesKey}
                planeLabel={t(c.label)}
                revision={revision}
              />
            ) : (
              <div className="viewport-empty">{t('viewer.noSeries')}</div>
            )}
          </div>
        ))}
      </div>
    </div>
  );
}
