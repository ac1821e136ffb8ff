/** Node plugin host: {@link runPlugin} in `worker_threads`. */
export { runPlugin, loadPluginManifest, RUNTIME_DIR, type NodeRunPluginOptions } from './run-plugin';
export type { RunOutcome, FailureReason, RunLog } from '../../common/plugin-host/run-plugin';
