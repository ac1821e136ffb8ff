/**
 * One-time Cornerstone3D initialisation: core, the DICOM image loader (with its decode web workers), the streaming
 * volume loader, and the tools Qiview uses.
 */
import {
  init as coreInit,
  cache,
  imageLoader,
  volumeLoader,
  cornerstoneStreamingImageVolumeLoader,
} from '@cornerstonejs/core';
import {
  init as toolsInit,
  addTool,
  WindowLevelTool,
  PanTool,
  ZoomTool,
  StackScrollTool,
  LengthTool,
  AngleTool,
  EllipticalROITool,
  RectangleROITool,
  ProbeTool,
  CrosshairsTool,
  TrackballRotateTool,
  OrientationMarkerTool,
  ScaleOverlayTool,
} from '@cornerstonejs/tools';
import { init as dicomLoaderInit } from '@cornerstonejs/dicom-image-loader';

let ready: Promise<void> | null = null;

/** Volume id schemes of volumes built in memory (see volumes.ts). */
export const LOCAL_SCHEMES = ['qiview-local', 'qiview-map', 'qiview-seg'] as const;

/** Initialise Cornerstone once; every caller awaits the same promise. */
export function initCornerstone(): Promise<void> {
  ready ??= (async () => {
    await coreInit();
    const cores = globalThis.navigator?.hardwareConcurrency ?? 2;
    // The wadouri metadata provider reads the loader's dataset cache, which open-local-files fills while sorting:
    // metadata of every slice is then known before its pixels load (the streaming volume loader needs that).
    // The newer "naturalized" path of 5.x only knows an image's metadata once that image has loaded.
    dicomLoaderInit({ maxWebWorkers: Math.max(1, Math.min(cores, 4)), useLegacyMetadataProvider: true });
    volumeLoader.registerUnknownVolumeLoader(cornerstoneStreamingImageVolumeLoader as never);
    volumeLoader.registerVolumeLoader(
      'cornerstoneStreamingImageVolume',
      cornerstoneStreamingImageVolumeLoader as never,
    );
    // Local volumes (NIfTI, derived maps, labelmaps) are made of cached slice images `<volumeId>_slice_<k>`; when a
    // viewport asks the image loader for one, answer from the cache.
    for (const scheme of LOCAL_SCHEMES) {
      imageLoader.registerImageLoader(scheme, (imageId: string) => ({
        promise: (async () => {
          const image = cache.getImage(imageId);
          if (!image) throw new Error(`local image ${imageId} is no longer in the cache`);
          return image;
        })(),
      }));
    }
    toolsInit();
    for (const tool of [
      WindowLevelTool,
      PanTool,
      ZoomTool,
      StackScrollTool,
      LengthTool,
      AngleTool,
      EllipticalROITool,
      RectangleROITool,
      ProbeTool,
      CrosshairsTool,
      TrackballRotateTool,
      OrientationMarkerTool,
      ScaleOverlayTool,
    ]) {
      addTool(tool);
    }
  })();
  return ready;
}
