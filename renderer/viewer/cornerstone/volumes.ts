/**
 * Volumes for the viewer: streamed from image ids (Cornerstone's streaming volume loader) or built from a ready
 * SDK {@link Volume} (NIfTI, derived maps) with `createLocalVolume`. One volume per series, cached.
 */
import { cache, volumeLoader, type Types } from '@cornerstonejs/core';
import type { Volume, Labelmap } from '@qiview/sdk';
import type { OpenableSeries } from '../../state/openable-series';

const pending = new Map<string, Promise<string>>();

/** Volume id of a series (stable). */
export function volumeIdOf(s: OpenableSeries): string {
  return s.imageIds.length > 0 ? `cornerstoneStreamingImageVolume:${s.key}` : `qiview-local:${s.key}`;
}

function localMetadata(
  v: Pick<Volume, 'geometry'> & { modality: string },
  bits: number,
  frameOfReferenceUid: string,
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
    voiLut: [],
    VOILUTFunction: 'LINEAR',
  } as unknown as Types.Metadata;
}

function toCornerstoneData(data: Volume['data']): Types.PixelDataTypedArray {
  if (data instanceof Float64Array || data instanceof Int32Array || data instanceof Uint32Array) {
    return Float32Array.from(data);
  }
  return data as Types.PixelDataTypedArray;
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
  volumeLoader.createLocalVolume(volumeId, {
    metadata: localMetadata({ geometry: v.geometry, modality: v.metadata.modality }, 32, frameOfReferenceUid),
    dimensions: v.geometry.dimensions,
    spacing: v.geometry.spacing,
    origin: v.geometry.origin,
    direction: v.geometry.direction as unknown as Types.Mat3,
    scalarData: data,
  });
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
