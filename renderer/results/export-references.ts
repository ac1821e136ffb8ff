/**
 * DICOM references of a result's source series for the workstation's exports: the source slices' SOP instances by
 * slice index k of the result's grid (placed by their ImagePositionPatient, not by list order) and the series' Frame
 * of Reference, read from the viewer's DICOM header metadata. With them a SEG / SR / Parametric Map names its source
 * series (ReferencedSeriesSequence, SR evidence and image library), so it can be put back on it when re-opened.
 */
import { metaData } from '@cornerstonejs/core';
import type { AnalysisResult, Geometry } from '@qiview/sdk';
import { worldToVoxel } from '@qiview/sdk';
import type { ExportContext } from '../../core/common/results/export-files';
import type { ReferencedInstance } from '../../core/common/results/derived-options';
import { useViewerStore } from '../state/viewer-store';

interface PlaneModule {
  imagePositionPatient?: number[];
  frameOfReferenceUID?: string;
}
interface SopModule {
  sopClassUID?: string;
  sopInstanceUID?: string;
}

/** The grid of a result (its first labelmap or map). */
export function resultGeometry(result: Pick<AnalysisResult, 'labelmaps' | 'maps'>): Geometry | undefined {
  return result.labelmaps[0]?.geometry ?? result.maps[0]?.volume.geometry;
}

/**
 * The source instances by slice k of `geometry`, or undefined when the open series' headers do not give every slice
 * (series without DICOM headers, 4D series, a grid that is not the series' grid).
 */
export function referencedInstancesFor(
  seriesKey: string,
  geometry: Geometry,
): Array<ReferencedInstance | undefined> | undefined {
  const s = useViewerStore.getState().series[seriesKey];
  const nz = geometry.dimensions[2];
  if (!s || s.imageIds.length !== nz) return undefined;
  const out: Array<ReferencedInstance | undefined> = new Array(nz);
  for (const id of s.imageIds) {
    const plane = metaData.get('imagePlaneModule', id) as PlaneModule | undefined;
    const sop = metaData.get('sopCommonModule', id) as SopModule | undefined;
    const p = plane?.imagePositionPatient;
    if (!p || p.length !== 3 || !sop?.sopInstanceUID || !sop.sopClassUID) return undefined;
    const kf = worldToVoxel(geometry, [p[0], p[1], p[2]])[2];
    const k = Math.round(kf);
    if (k < 0 || k >= nz || Math.abs(kf - k) > 0.05 || out[k]) return undefined;
    out[k] = { sopClassUid: sop.sopClassUID, sopInstanceUid: sop.sopInstanceUID };
  }
  return out;
}

/** The Frame of Reference UID of an open series (from its first image's header), when known. */
export function frameOfReferenceOf(seriesKey: string): string | undefined {
  const id = useViewerStore.getState().series[seriesKey]?.imageIds[0];
  const plane = id ? (metaData.get('imagePlaneModule', id) as PlaneModule | undefined) : undefined;
  return plane?.frameOfReferenceUID || undefined;
}

/** An export context with the source series' Frame of Reference and slice references added (when known). */
export function withSeriesReferences(
  ctx: Omit<ExportContext, 'result' | 'provenance'>,
  seriesKey: string,
  result: Pick<AnalysisResult, 'labelmaps' | 'maps'>,
): Omit<ExportContext, 'result' | 'provenance'> {
  const out = { ...ctx };
  const frameOfReference = frameOfReferenceOf(seriesKey);
  if (frameOfReference && ctx.source && !ctx.source.FrameOfReferenceUID)
    out.source = { ...ctx.source, FrameOfReferenceUID: frameOfReference };
  const g = resultGeometry(result);
  const refs = g && !ctx.referencedInstances ? referencedInstancesFor(seriesKey, g) : undefined;
  if (refs) out.referencedInstances = refs;
  return out;
}
