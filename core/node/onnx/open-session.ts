/**
 * Opens ONNX sessions in Node: onnxruntime-node (native, faster) when it loads, otherwise onnxruntime-web (wasm,
 * single thread). The choice is made once per process (or worker) and reported by {@link onnxBackend}.
 */
import type { ModelSession } from '@qiview/sdk';
import { wrapSession, type OrtLike, type OrtSessionLike } from '../../common/onnx/wrap-session';

type OrtModule = OrtLike & { InferenceSession: { create(bytes: Uint8Array): Promise<OrtSessionLike> } };

let backend: Promise<{ name: 'onnxruntime-node' | 'onnxruntime-web'; ort: OrtModule }> | undefined;

function load() {
  backend ??= (async () => {
    try {
      const ort = (await import('onnxruntime-node')) as unknown as OrtModule & { default?: OrtModule };
      return { name: 'onnxruntime-node' as const, ort: ort.InferenceSession ? ort : ort.default! };
    } catch {
      const web = await import('onnxruntime-web');
      web.env.wasm.numThreads = 1;
      return { name: 'onnxruntime-web' as const, ort: web as unknown as OrtModule };
    }
  })();
  return backend;
}

/** Which runtime this process uses. */
export async function onnxBackend(): Promise<'onnxruntime-node' | 'onnxruntime-web'> {
  return (await load()).name;
}

/** Opens a session from model bytes (check the hash before calling). */
export async function openNodeSession(bytes: Uint8Array): Promise<ModelSession> {
  const { ort } = await load();
  return wrapSession(ort, await ort.InferenceSession.create(bytes));
}
