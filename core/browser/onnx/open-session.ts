/**
 * Opens ONNX sessions in a browser (or a Web Worker) with onnxruntime-web's wasm backend, its .wasm/.mjs served
 * locally from `baseUrl` (never a CDN). Single-threaded unless the page is cross-origin isolated.
 */
import * as ort from 'onnxruntime-web/wasm';
import type { ModelSession } from '@qiview/sdk';
import { wrapSession, type OrtLike, type OrtSessionLike } from '../../common/onnx/wrap-session';

let configured = false;

/** Points onnxruntime-web at `baseUrl` (a folder holding ort-wasm-simd-threaded.wasm and .mjs). Call once. */
export function configureOnnx(baseUrl: string): void {
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  ort.env.wasm.wasmPaths = {
    wasm: `${base}ort-wasm-simd-threaded.wasm`,
    mjs: `${base}ort-wasm-simd-threaded.mjs`,
  };
  ort.env.wasm.numThreads = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated ? 2 : 1;
  ort.env.wasm.proxy = false;
  configured = true;
}

/** Opens a session from model bytes (check the hash before calling). */
export async function openBrowserSession(bytes: Uint8Array): Promise<ModelSession> {
  if (!configured) throw new Error('configureOnnx(baseUrl) must be called before opening a session');
  const session = await ort.InferenceSession.create(bytes);
  return wrapSession(ort as unknown as OrtLike, session as unknown as OrtSessionLike);
}
