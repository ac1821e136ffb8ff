/** Browser plugin host: {@link runPlugin} in a module Web Worker. */
export { runPlugin, type BrowserRunPluginOptions } from './run-plugin';
export type { RunOutcome, FailureReason, RunLog } from '../../common/plugin-host/run-plugin';

/**
 * What the browser worker gives plugins besides kernels and models. `registration` (itk-wasm elastix,
 * `context.registration`) is not offered: browser-worker.ts passes no registration to the worker runtime, so plugins
 * with the `registration` permission run their own fallback there (and say which in their result).
 */
export const BROWSER_HOST_OFFERS = { registration: false } as const;
