/**
 * The SDK's {@link RegistrationApi} in Node through itk-wasm elastix (`@itk-wasm/elastix`, loaded from node_modules;
 * its wasm pipelines run in-process, never from a CDN). The conversions and the parameter map settings are shared
 * with the browser host (core/common/itk/elastix.ts).
 */
import type { RegistrationApi } from '@qiview/sdk';
import {
  ELASTIX_RESOLUTIONS,
  elastixParameterObject,
  registrationResult,
  toItkImage,
} from '../../common/itk/elastix';

export { transformMatrix, toItkDirection } from '../../common/itk/elastix';

/**
 * Creates the registration API (loads @itk-wasm/elastix on first use).
 *
 * Not interruptible: `elastixNode` runs the wasm pipeline in-process, synchronously on the calling thread (itk-wasm's
 * `runPipelineNode`), so there is no worker to terminate and no point at which an abort signal could be checked.
 * Inside a plugin's worker thread (the usual Node case, node-worker.ts) it stops with that worker when the run is
 * cancelled or times out. Used as the host's registration (`RunPluginOptions.registration`), it ignores the
 * `HostRegistrationApi` signal (core/common/plugin-host/run-plugin.ts) and runs to the end (its answer is then
 * dropped); it also blocks the host's event loop while it runs, so the run's cancel and time limit only take effect
 * once it returns.
 */
export function createRegistration(): RegistrationApi {
  return {
    async register(fixed, moving, options) {
      const elastix = await import('@itk-wasm/elastix');
      const { parameterMap } = await elastix.defaultParameterMapNode(options.kind, {
        numberOfResolutions: ELASTIX_RESOLUTIONS,
      });
      const r = await elastix.elastixNode(elastixParameterObject(parameterMap, options) as never, {
        fixed: toItkImage(fixed, 'fixed') as never,
        moving: toItkImage(moving, 'moving') as never,
      });
      return registrationResult(fixed, moving, options, r.result, r.transformParameterObject);
    },
  };
}
