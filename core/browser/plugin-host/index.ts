/** Browser plugin host: {@link runPlugin} in a module Web Worker. */
export { runPlugin, type BrowserRunPluginOptions } from './run-plugin';
export type { RunOutcome, FailureReason, RunLog } from '../../common/plugin-host/run-plugin';
