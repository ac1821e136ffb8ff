/** Browser plugin host: {@link runPlugin} in a module Web Worker. */
export { runPlugin, type BrowserRunPluginOptions } from './run-plugin';
export type { RunOutcome, FailureReason, RunLog } from '../../common/plugin-host/run-plugin';

/**
 * What the browser host gives plugins besides kernels and models. `registration` (itk-wasm elastix,
 * `context.registration`): the plugin worker's network is closed, so the page runs elastix (in itk-wasm's own worker,
 * pipelines served from this origin under `itk/`) and answers the worker's `register` requests over the protocol.
 */
export const BROWSER_HOST_OFFERS = { registration: true } as const;
