/**
 * Test/benchmark hooks (`window.__qiviewTest`), present only in dev builds and builds made with
 * QIVIEW_TEST_HOOKS=1 (see vite.config.ts). They read state; the tests drive the UI through real inputs.
 */
import { useViewerStore } from '../state/viewer-store';
import { measurementRows } from './annotations';
import { cachedMapVolumeIds } from './cornerstone/parametric-fusion';
import { viewerController } from './cornerstone/viewer-controller';
import { cache } from '@cornerstonejs/core';
import { wadouri } from '@cornerstonejs/dicom-image-loader';

export function installTestHooks(): void {
  if (!__QIVIEW_TEST_HOOKS__) return;
  (window as unknown as { __qiviewTest: unknown }).__qiviewTest = {
    store: useViewerStore,
    measurements: measurementRows,
    viewportIds: () => viewerController.viewportIds(),
    /** Bytes the loader's dataset cache (whole files) and Cornerstone's cache hold. */
    cacheInfo: () => ({
      datasetCache: wadouri.dataSetCacheManager.getInfo(),
      cornerstoneCacheBytes: cache.getCacheSize(),
    }),
    /** Parametric-map volumes in Cornerstone's cache (freed when no viewport shows them). */
    mapVolumes: () => cachedMapVolumeIds(),
    marks: () => performance.getEntriesByType('mark').map((m) => ({ name: m.name, t: m.startTime })),
  };
}
