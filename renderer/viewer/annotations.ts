/**
 * Measurements made with Cornerstone tools, as plain rows: list, jump, delete, export (JSON / CSV).
 */
import { eventTarget, type Types } from '@cornerstonejs/core';
import { annotation, Enums as ToolEnums } from '@cornerstonejs/tools';
import { viewerController } from './cornerstone/viewer-controller';
import type { MeasurementRow } from './measurement-row';
export type { MeasurementRow } from './measurement-row';
export { measurementsToCsv } from './measurement-row';

interface Stats {
  mean?: number;
  stdDev?: number;
  min?: number;
  max?: number;
  area?: number;
  areaUnit?: string;
  modalityUnit?: string;
  length?: number;
  unit?: string;
  angle?: number;
  value?: number;
}

/** Current measurements of all viewports. */
export function measurementRows(): MeasurementRow[] {
  const all = annotation.state.getAllAnnotations();
  const rows: MeasurementRow[] = [];
  for (const a of all) {
    const stats = Object.values((a.data as { cachedStats?: Record<string, Stats> }).cachedStats ?? {})[0];
    if (!a.annotationUID || !a.metadata?.toolName || a.metadata.toolName === 'Crosshairs') continue;
    rows.push({
      uid: a.annotationUID,
      tool: a.metadata.toolName,
      mean: stats?.mean,
      stdDev: stats?.stdDev,
      min: stats?.min,
      max: stats?.max,
      area: stats?.area,
      areaUnit: stats?.areaUnit,
      length: stats?.length,
      angle: stats?.angle,
      value: stats?.value,
      unit: stats?.modalityUnit ?? stats?.unit,
      referencedImageId: a.metadata.referencedImageId,
    });
  }
  return rows;
}

/** Show the slice/plane of a measurement in the first viewport that can show it. */
export function jumpToMeasurement(uid: string): boolean {
  const a = annotation.state.getAnnotation(uid);
  const engine = viewerController.getEngine();
  if (!a || !engine) return false;
  for (const id of viewerController.viewportIds()) {
    const vp = engine.getViewport(id) as Types.IViewport & {
      isReferenceViewable?: (r: unknown, o?: unknown) => boolean;
      setViewReference?: (r: unknown) => void;
    };
    if (vp?.isReferenceViewable?.(a.metadata, { withNavigation: true }) && vp.setViewReference) {
      vp.setViewReference(a.metadata);
      vp.render();
      return true;
    }
  }
  return false;
}

export function deleteMeasurement(uid: string): void {
  annotation.state.removeAnnotation(uid);
  const engine = viewerController.getEngine();
  engine?.render();
}

/** Subscribe to measurement changes; returns the unsubscribe function. */
export function onMeasurementsChanged(cb: () => void): () => void {
  const events = [
    ToolEnums.Events.ANNOTATION_COMPLETED,
    ToolEnums.Events.ANNOTATION_MODIFIED,
    ToolEnums.Events.ANNOTATION_REMOVED,
    ToolEnums.Events.ANNOTATION_ADDED,
  ];
  for (const e of events) eventTarget.addEventListener(e, cb);
  return () => {
    for (const e of events) eventTarget.removeEventListener(e, cb);
  };
}
