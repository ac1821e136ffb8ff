/**
 * The SDK's {@link RegistrationApi} in the browser through itk-wasm elastix, run by the page for the plugin worker
 * (whose network is closed): the pipelines and itk-wasm's pipeline worker are served from this origin (vite.config.ts
 * copies them to `itk/`), never from itk-wasm's default CDN. elastix runs in itk-wasm's own Web Worker, so the page
 * stays responsive. Conversions and parameter map settings are shared with Node (core/common/itk/elastix.ts).
 */
import type { RegistrationApi } from '@qiview/sdk';
import {
  ELASTIX_RESOLUTIONS,
  elastixParameterObject,
  registrationResult,
  toItkImage,
} from '../../common/itk/elastix';

/** Folder (relative to the page) where vite.config.ts puts the elastix pipelines and the itk-wasm pipeline worker. */
export const ITK_ASSETS_PATH = 'itk/';

type ElastixModule = typeof import('@itk-wasm/elastix');
let loaded: Promise<ElastixModule> | undefined;

/** Imports @itk-wasm/elastix and points it at the local assets under `baseUrl` (once per page). */
function loadElastix(baseUrl: string): Promise<ElastixModule> {
  loaded ??= import('@itk-wasm/elastix').then((m) => {
    const base = new URL(baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`, globalThis.location.href);
    m.setPipelinesBaseUrl(new URL('elastix/pipelines', base).href);
    // A path, not an http URL: itk-wasm then starts the worker from the URL directly (no fetch into a blob:).
    m.setPipelineWorkerUrl(new URL('itk-wasm-pipeline.min.worker.js', base).pathname);
    return m;
  });
  return loaded;
}

/** Creates the browser registration API; `baseUrl` is the folder of the itk-wasm assets (default `itk/`). */
export function createBrowserRegistration(baseUrl: string = ITK_ASSETS_PATH): RegistrationApi {
  let worker: Worker | null = null;
  return {
    async register(fixed, moving, options) {
      const t0 = performance.now();
      const elastix = await loadElastix(baseUrl);
      const map = await elastix.defaultParameterMap(options.kind, {
        numberOfResolutions: ELASTIX_RESOLUTIONS,
        webWorker: worker,
      });
      worker = map.webWorker;
      const r = await elastix.elastix(elastixParameterObject(map.parameterMap, options) as never, {
        fixed: toItkImage(fixed, 'fixed') as never,
        moving: toItkImage(moving, 'moving') as never,
        webWorker: worker,
      });
      worker = r.webWorker;
      console.info(
        `[qiview] elastix ${options.kind} registration ${fixed.geometry.dimensions.join('x')} <- ${moving.geometry.dimensions.join('x')}: ${Math.round(performance.now() - t0)} ms`,
      );
      return registrationResult(fixed, moving, options, r.result, r.transformParameterObject);
    },
  };
}
