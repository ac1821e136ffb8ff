/** Puts a result's labelmaps and parametric maps on a series in the viewer store (and takes them off again). */
import type { AnalysisResult } from '@qiview/sdk';
import { useViewerStore } from '../state/viewer-store';

/** Adds every labelmap and map of `result` as overlays on `seriesKey`; returns a function that removes them. */
export function attachResultOverlays(
  result: Pick<AnalysisResult, 'labelmaps' | 'maps'>,
  seriesKey: string,
): () => void {
  const s = useViewerStore.getState();
  const ids = [
    ...result.labelmaps.map((l) => s.addLabelmap(l, seriesKey)),
    ...result.maps.map((m) => s.addParametricMap(m, seriesKey)),
  ];
  return () => {
    const st = useViewerStore.getState();
    for (const id of ids) st.removeOverlay(id);
  };
}
