/**
 * Text and graphics over one viewport: patient/study text (hidden by one key for screen sharing), orientation
 * markers (from the camera: what patient direction each screen edge points to), a scale bar, the window, and a
 * colour bar for each visible parametric map.
 */
import { useEffect, useState } from 'react';
import { Enums, type Types } from '@cornerstonejs/core';
import { useViewerStore, type ParametricOverlay } from '../state/viewer-store';
import { useT } from '../i18n/i18n';
import { viewerController } from './cornerstone/viewer-controller';
import { directionLetter, niceLength } from './overlay-geometry';
// The same stops as the colour maps the viewport draws maps with (parametric-fusion.ts).
import { cssGradient } from '../results/colormaps';

interface Geometry {
  right: string;
  left: string;
  top: string;
  bottom: string;
  mmPerPx: number;
  wl: string;
  slice: string;
}

function readGeometry(viewportId: string): Geometry | null {
  const vp = viewerController.getEngine()?.getViewport(viewportId) as Types.IViewport | undefined;
  if (!vp || !vp.canvas) return null;
  const w = vp.canvas.clientWidth,
    h = vp.canvas.clientHeight;
  if (!w || !h) return null;
  const c = vp.canvasToWorld([w / 2, h / 2]);
  const r = vp.canvasToWorld([w / 2 + 100, h / 2]);
  const d = vp.canvasToWorld([w / 2, h / 2 + 100]);
  const right = [r[0] - c[0], r[1] - c[1], r[2] - c[2]];
  const down = [d[0] - c[0], d[1] - c[1], d[2] - c[2]];
  const neg = (v: number[]) => v.map((x) => -x);
  let wl = '';
  let slice = '';
  const props = (
    vp as unknown as { getProperties?: () => { voiRange?: { lower: number; upper: number } } }
  ).getProperties?.();
  if (props?.voiRange) {
    const { lower, upper } = props.voiRange;
    wl = `W ${Math.round(upper - lower)} / L ${Math.round((upper + lower) / 2)}`;
  }
  const nav = vp as unknown as { getSliceIndex?: () => number; getNumberOfSlices?: () => number };
  if (nav.getSliceIndex && nav.getNumberOfSlices) {
    slice = `${nav.getSliceIndex() + 1} / ${nav.getNumberOfSlices()}`;
  }
  return {
    right: directionLetter(right),
    left: directionLetter(neg(right)),
    bottom: directionLetter(down),
    top: directionLetter(neg(down)),
    mmPerPx: Math.hypot(right[0], right[1], right[2]) / 100,
    wl,
    slice,
  };
}

export function ViewportOverlay(props: {
  viewportId: string;
  seriesKey: string;
  planeLabel: string;
  revision: number;
}) {
  const { viewportId, seriesKey, planeLabel, revision } = props;
  const t = useT();
  const series = useViewerStore((s) => s.series[seriesKey]);
  const patientText = useViewerStore((s) => s.patientTextVisible);
  const overlaysVisible = useViewerStore((s) => s.overlaysVisible);
  const overlays = useViewerStore((s) => s.overlays);
  const [geo, setGeo] = useState<Geometry | null>(null);

  useEffect(() => {
    const el = document.querySelector<HTMLElement>(`[data-viewport-id="${viewportId}"]`);
    if (!el) return;
    let frame = 0;
    const update = () => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => setGeo(readGeometry(viewportId)));
    };
    const events = [
      Enums.Events.CAMERA_MODIFIED,
      Enums.Events.VOI_MODIFIED,
      Enums.Events.IMAGE_RENDERED,
      Enums.Events.STACK_NEW_IMAGE,
    ];
    for (const e of events) el.addEventListener(e, update);
    update();
    return () => {
      cancelAnimationFrame(frame);
      for (const e of events) el.removeEventListener(e, update);
    };
  }, [viewportId, revision]);

  const maps = overlays.filter(
    (o): o is ParametricOverlay => o.kind === 'parametric' && o.seriesKey === seriesKey && o.visible,
  );
  const is3d = viewportId.startsWith('vr-');
  const barPx = 100;
  const barMm = geo && geo.mmPerPx > 0 ? niceLength(geo.mmPerPx * barPx) : 0;
  return (
    <div className="viewport-overlay" data-testid={`overlay-${viewportId}`}>
      {patientText && series && (
        <div className="ov-tl" data-testid="patient-text">
          <div>{series.patientName ?? ''}</div>
          <div>{series.patientId ?? ''}</div>
          <div>
            {series.studyDate ?? ''} {series.studyDescription ?? ''}
          </div>
          <div>
            {series.modality} {series.seriesNumber ?? ''} {series.seriesDescription ?? ''}
          </div>
        </div>
      )}
      <div className="ov-tr">
        <div>{planeLabel}</div>
        {geo?.slice && <div>{geo.slice}</div>}
        {geo?.wl && <div data-testid="wl-readout">{geo.wl}</div>}
      </div>
      {overlaysVisible && geo && !is3d && (
        <>
          <div className="ov-orient ov-orient-left" data-testid="orient-left">
            {geo.left}
          </div>
          <div className="ov-orient ov-orient-right" data-testid="orient-right">
            {geo.right}
          </div>
          <div className="ov-orient ov-orient-top" data-testid="orient-top">
            {geo.top}
          </div>
          <div className="ov-orient ov-orient-bottom" data-testid="orient-bottom">
            {geo.bottom}
          </div>
          {barMm > 0 && (
            <div className="ov-scale" data-testid="scale-bar" title={t('viewer.scale')}>
              <div className="ov-scale-bar" style={{ width: `${barMm / geo.mmPerPx}px` }} />
              <span>{barMm >= 10 ? `${barMm / 10} cm` : `${barMm} mm`}</span>
            </div>
          )}
        </>
      )}
      {overlaysVisible && maps.length > 0 && !is3d && (
        <div className="ov-colorbars" aria-label={t('viewer.colorbar')}>
          {maps.map((m) => (
            <div key={m.id} className="ov-colorbar" data-testid="colorbar">
              <span>{m.range[1].toPrecision(3)}</span>
              <div className="ov-colorbar-ramp" style={{ background: cssGradient(m.colormap, 'to top') }} />
              <span>{m.range[0].toPrecision(3)}</span>
              <span className="ov-colorbar-name">
                {m.map.name} ({m.map.volume.unit})
              </span>
            </div>
          ))}
        </div>
      )}
    </div>
  );
}
