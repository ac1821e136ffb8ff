/** Node loader for the WASM kernels: reads wasm/build/qiview-kernels.wasm and instantiates it once per process. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createKernels, type Kernels } from '../kernels';

/** Absolute path of the committed kernels module. */
export const KERNELS_WASM_PATH = fileURLToPath(new URL('../build/qiview-kernels.wasm', import.meta.url));

let shared: Promise<Kernels> | undefined;

/**
 * The process-wide kernels instance (created on first call, then reused so its grown memory is reused too).
 * Pass `fresh: true` to get a separate instance (e.g. for an isolated worker).
 */
export function loadKernels(options?: { fresh?: boolean; path?: string }): Promise<Kernels> {
  const make = async () => createKernels(readFileSync(options?.path ?? KERNELS_WASM_PATH));
  if (options?.fresh || options?.path) return make();
  shared ??= make();
  return shared;
}
