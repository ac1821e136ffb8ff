/**
 * The SDK's {@link RegistrationApi} in the browser through itk-wasm elastix, run by the page for the plugin worker
 * (whose network is closed): the pipelines and itk-wasm's pipeline worker are served from this origin (vite.config.ts
 * copies them to `itk/`), never from itk-wasm's default CDN. elastix runs in itk-wasm's own Web Worker, so the page
 * stays responsive. Conversions and parameter map settings are shared with Node (core/common/itk/elastix.ts).
 */
import { type HostRegistrationApi, RegistrationCancelledError } from '../../common/plugin-host/run-plugin';
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

/**
 * Creates the browser registration API; `baseUrl` is the folder of the itk-wasm assets (default `itk/`).
 *
 * One itk-wasm pipeline worker is kept and reused between registrations. When the `signal` given to `register`
 * aborts (the plugin run was cancelled, timed out or ended), that worker is terminated at once, so elastix stops
 * burning a core and the next registration does not queue behind it; the next call starts a fresh worker, and the
 * aborted call rejects with a {@link RegistrationCancelledError}. (Registrations running at the same time share the
 * worker: aborting one also stops the others, which then reject with itk-wasm's error.)
 */
export function createBrowserRegistration(baseUrl: string = ITK_ASSETS_PATH): HostRegistrationApi {
  let worker: Worker | null = null;
  /** Terminates `w` (the kept worker or one created for an aborted call) and forgets it if it is the kept one. */
  const drop = (w: Worker | null) => {
    if (!w) return;
    if (worker === w) worker = null;
    w.terminate();
  };
  return {
    async register(fixed, moving, options, signal) {
      const t0 = performance.now();
      if (signal?.aborted) throw new RegistrationCancelledError();
      let onAbort = () => {};
      const aborted = new Promise<never>((_, reject) => {
        onAbort = () => {
          drop(worker);
          reject(new RegistrationCancelledError());
        };
      });
      aborted.catch(() => undefined);
      signal?.addEventListener('abort', onAbort, { once: true });
      /** Waits for an itk-wasm call unless aborted first; a worker it returns after the abort is terminated. */
      const step = <T extends { webWorker: Worker | null }>(call: Promise<T>): Promise<T> =>
        Promise.race([
          call.then((r) => {
            if (signal?.aborted) drop(r.webWorker);
            return r;
          }),
          aborted,
        ]);
      try {
        const elastix = await Promise.race([loadElastix(baseUrl), aborted]);
        const map = await step(
          elastix.defaultParameterMap(options.kind, {
            numberOfResolutions: ELASTIX_RESOLUTIONS,
            webWorker: worker,
          }),
        );
        worker = map.webWorker;
        const r = await step(
          elastix.elastix(elastixParameterObject(map.parameterMap, options) as never, {
            fixed: toItkImage(fixed, 'fixed') as never,
            moving: toItkImage(moving, 'moving') as never,
            webWorker: worker,
          }),
        );
        worker = r.webWorker;
        console.info(
          `[qiview] elastix ${options.kind} registration ${fixed.geometry.dimensions.join('x')} <- ${moving.geometry.dimensions.join('x')}: ${Math.round(performance.now() - t0)} ms`,
        );
        return registrationResult(fixed, moving, options, r.result, r.transformParameterObject);
      } finally {
        signal?.removeEventListener('abort', onAbort);
      }
    },
  };
}
