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

/** Creates the registration API (loads @itk-wasm/elastix on first use). */
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
