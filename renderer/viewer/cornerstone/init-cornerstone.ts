/**
 * One-time Cornerstone3D initialisation: core, the DICOM image loader (with its decode web workers), the streaming
 * volume loader, and the tools Qiview uses.
 */
import {
  init as coreInit,
  cache,
  Enums,
  imageLoader,
  imageLoadPoolManager,
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
import { loadDicomFileImage, setDicomFileDecodeWorkers } from './dicom-file-loader';

let ready: Promise<void> | null = null;

/**
 * Volume slices loading at once per decode worker (read, queued for decode, decoding). On the 2-core bench machine 1
 * and 3 per worker gave the same full-volume time within noise, with a slightly lower peak at 1 (issue 2).
 */
const PREFETCH_PER_WORKER = 2;

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
    const workers = Math.max(1, Math.min(cores, 4));
    dicomLoaderInit({ maxWebWorkers: workers, useLegacyMetadataProvider: true });
    // Cornerstone lets 1000 prefetch (volume streaming) requests run at once: every file of a series is read and
    // waits for the decode workers at the same time. A few per worker keep the workers busy and bound the bytes in
    // flight.
    // Local files: uncompressed slices read straight into their pixel arrays (dicom-file-loader.ts), the rest
    // through the DICOM image loader registered just above.
    setDicomFileDecodeWorkers(workers);
    imageLoader.registerImageLoader('dicomfile', loadDicomFileImage as never);
    imageLoadPoolManager.setMaxSimultaneousRequests(
      Enums.RequestType.Prefetch,
      PREFETCH_PER_WORKER * workers,
    );
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
