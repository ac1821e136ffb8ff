/**
 * Volumes for the viewer: streamed from image ids (Cornerstone's streaming volume loader) or built from a ready
 * SDK {@link Volume} (NIfTI, derived maps) with `createLocalVolume`. One volume per series, cached.
 */
import { cache, volumeLoader, type Types } from '@cornerstonejs/core';
import type { Volume, Labelmap } from '@qiview/sdk';
import type { OpenableSeries } from '../../state/openable-series';

const pending = new Map<string, Promise<string>>();
/** Data range of each local volume (its default window: local volumes carry no window in their metadata). */
const localRanges = new Map<string, { lower: number; upper: number }>();

/** Finite min/max of voxel values (NaN/Inf ignored); [0, 1] for an empty or constant volume's degenerate case. */
export function dataRange(data: ArrayLike<number>): { lower: number; upper: number } {
  let lo = Infinity,
    hi = -Infinity;
  for (let i = 0; i < data.length; i++) {
    const x = data[i];
    if (x < lo) lo = x;
    if (x > hi) hi = x;
  }
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return { lower: 0, upper: 1 };
  return hi > lo ? { lower: lo, upper: hi } : { lower: lo - 0.5, upper: lo + 0.5 };
}

/**
 * Default VOI range of a volume created here from an SDK volume (its data range), or undefined for streamed
 * volumes (Cornerstone takes theirs from the DICOM window or the middle slice).
 *
 * Local volumes need this: Cornerstone derives the default window of a volume from the metadata of its middle
 * image id, and the per-slice ids of a local volume (`<volumeId>_slice_<k>`) have no metadata and no loader, so
 * without an explicit range the volume is drawn through an identity [0, 1] transfer function: a flat fill.
 */
export function defaultVoiRange(volumeId: string): { lower: number; upper: number } | undefined {
  return localRanges.get(volumeId);
}

/** Volume id of a series (stable). */
export function volumeIdOf(s: OpenableSeries): string {
  return s.imageIds.length > 0 ? `cornerstoneStreamingImageVolume:${s.key}` : `qiview-local:${s.key}`;
}

function localMetadata(
  v: Pick<Volume, 'geometry'> & { modality: string },
  bits: number,
  frameOfReferenceUid: string,
  range?: { lower: number; upper: number },
): Types.Metadata {
  const d = v.geometry.direction;
  return {
    BitsAllocated: bits,
    BitsStored: bits,
    SamplesPerPixel: 1,
    HighBit: bits - 1,
    PhotometricInterpretation: 'MONOCHROME2',
    PixelRepresentation: 1,
    Modality: v.modality,
    ImageOrientationPatient: [d[0], d[1], d[2], d[3], d[4], d[5]],
    PixelSpacing: [v.geometry.spacing[1], v.geometry.spacing[0]],
    FrameOfReferenceUID: frameOfReferenceUid,
    Columns: v.geometry.dimensions[0],
    Rows: v.geometry.dimensions[1],
    voiLut: range
      ? [{ windowWidth: range.upper - range.lower, windowCenter: (range.upper + range.lower) / 2 }]
      : [],
    VOILUTFunction: 'LINEAR',
  } as unknown as Types.Metadata;
}

function toCornerstoneData(data: Volume['data']): Types.PixelDataTypedArray {
  if (
    data instanceof Float64Array ||
    data instanceof Int32Array ||
    data instanceof Uint32Array ||
    data instanceof Int8Array
  ) {
    return Float32Array.from(data);
  }
  return data as Types.PixelDataTypedArray;
}

/**
 * A local volume's GPU texture is uploaded frame by frame as frames are flagged updated (streamed volumes flag each
 * slice as it loads). `createLocalVolume` flags none, so the texture stayed all zeros: the viewport drew a flat fill
 * of the window's value for 0 (grey for CT). Flag every frame once the data are in place.
 */
function markAllFramesUpdated(volumeId: string): void {
  const vol = cache.getVolume(volumeId) as unknown as { invalidate?: () => void } | undefined;
  vol?.invalidate?.();
}

/** Frame of reference of a cached volume (overlays must share their base volume's). */
export function frameOfReferenceOf(volumeId: string): string {
  const vol = cache.getVolume(volumeId) as unknown as
    { metadata?: { FrameOfReferenceUID?: string } } | undefined;
  return vol?.metadata?.FrameOfReferenceUID ?? 'qiview-local';
}

/** Create (once) a local volume from an SDK volume (frame 0 of a 4D volume). */
export function createLocalFromVolume(
  volumeId: string,
  v: Volume,
  frameOfReferenceUid = 'qiview-local',
): string {
  if (cache.getVolume(volumeId)) return volumeId;
  const n = v.geometry.dimensions[0] * v.geometry.dimensions[1] * v.geometry.dimensions[2];
  const data = toCornerstoneData(v.frames > 1 ? v.data.subarray(0, n) : v.data);
  const range = dataRange(data);
  volumeLoader.createLocalVolume(volumeId, {
    metadata: localMetadata(
      { geometry: v.geometry, modality: v.metadata.modality },
      32,
      frameOfReferenceUid,
      range,
    ),
    dimensions: v.geometry.dimensions,
    spacing: v.geometry.spacing,
    origin: v.geometry.origin,
    direction: v.geometry.direction as unknown as Types.Mat3,
    scalarData: data,
  });
  localRanges.set(volumeId, range);
  markAllFramesUpdated(volumeId);
  return volumeId;
}

/** Create (once) a labelmap volume for a segmentation overlay. */
export function createLabelmapVolume(
  volumeId: string,
  lm: Labelmap,
  frameOfReferenceUid = 'qiview-local',
): string {
  if (cache.getVolume(volumeId)) return volumeId;
  volumeLoader.createLocalLabelmapVolume(
    {
      metadata: localMetadata({ geometry: lm.geometry, modality: 'SEG' }, 8, frameOfReferenceUid),
      dimensions: lm.geometry.dimensions,
      spacing: lm.geometry.spacing,
      origin: lm.geometry.origin,
      direction: lm.geometry.direction as unknown as Types.Mat3,
      scalarData: lm.data,
    },
    volumeId,
  );
  return volumeId;
}

/** The series' volume, created and (for image ids) streaming. Resolves once created, not once loaded. */
export function ensureVolume(s: OpenableSeries): Promise<string> {
  const id = volumeIdOf(s);
  let p = pending.get(id);
  if (!p) {
    p = (async () => {
      if (s.imageIds.length === 0) {
        if (!s.volume) throw new Error(`series ${s.key} has neither image ids nor a volume`);
        return createLocalFromVolume(id, s.volume);
      }
      const vol = await volumeLoader.createAndCacheVolume(id, { imageIds: s.imageIds });
      (vol as unknown as { load(): void }).load();
      return id;
    })();
    p.catch(() => pending.delete(id));
    pending.set(id, p);
  }
  return p;
}

/** Resolves when every slice of the volume has loaded (immediately for local volumes). */
export async function volumeFullyLoaded(volumeId: string, signal?: AbortSignal): Promise<void> {
  for (;;) {
    const vol = cache.getVolume(volumeId) as unknown as { loadStatus?: { loaded?: boolean } } | undefined;
    if (!vol) throw new Error(`volume ${volumeId} is not in the cache`);
    if (!vol.loadStatus || vol.loadStatus.loaded) return;
    if (signal?.aborted) throw new Error('aborted');
    await new Promise((r) => setTimeout(r, 50));
  }
}
