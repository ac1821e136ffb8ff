import type { Volume } from '@qiview/sdk';

/**
 * A series the viewer can open, however it arrived (local files, Electron folder import, DICOMweb, NIfTI).
 * The study browser builds these; the viewer store's `openSeries` consumes them.
 */
export interface OpenableSeries {
  /** Stable key for this series in this session (usually the SeriesInstanceUID). */
  key: string;
  studyInstanceUid: string;
  seriesInstanceUid: string;
  modality: string;
  seriesDescription?: string;
  seriesNumber?: number;
  patientName?: string;
  patientId?: string;
  studyDate?: string;
  studyDescription?: string;
  /**
   * Cornerstone image ids in geometric order (e.g. `dicomfile:3`, `wadors:…`), one per frame/slice. Empty for
   * series that arrive as an already-built volume (NIfTI, plugin results): then `volume` is set.
   */
  imageIds: string[];
  /** A ready volume (NIfTI, derived maps). */
  volume?: Volume;
  /** True when every image has usable geometry (MPR/3D allowed); false opens as a plain stack with a warning. */
  hasGeometry: boolean;
  /** Problems to show to the user (e.g. "missing geometry: opened as a stack"). */
  warnings: string[];
}
