/**
 * Runs a plugin bundle in a module Web Worker in the browser (same protocol and same bundle as Node). The page
 * stays responsive whatever the plugin does: a hang is cut at the time limit by terminating the worker.
 */
import { createBrowserRegistration } from '../itk/registration';
import {
  type HostRegistrationApi,
  runPluginInWorker,
  type PluginWorker,
  type RunOutcome,
  type RunPluginOptions,
} from '../../common/plugin-host/run-plugin';

/** Options of the browser {@link runPlugin}. */
export interface BrowserRunPluginOptions extends Omit<RunPluginOptions, 'registration'> {
  /** URL of the built plugin folder (dist-plugins/<id>/), same origin as the page; bundle and models are under it. */
  pluginBaseUrl: string;
  /** URL of the runtime folder (dist-plugins/.runtime/: browser-worker.js, qiview-kernels.wasm, ort/). */
  runtimeUrl: string;
  /**
   * Registration answered by the page for a plugin with the `registration` permission (default: itk-wasm elastix
   * with the assets under `itk/` next to `plugins/`, see vite.config.ts); `false` offers none. The default's
   * pipeline worker is terminated when the run ends while it registers (see {@link HostRegistrationApi}).
   */
  registration?: HostRegistrationApi | false;
}

let defaultRegistration: HostRegistrationApi | undefined;

function webWorker(url: string): PluginWorker {
  const w = new Worker(url, { type: 'module', name: 'qiview-plugin' });
  return {
    post: (m, transfer) => w.postMessage(m, transfer),
    onMessage: (h) => w.addEventListener('message', (e) => h(e.data)),
    onFailure: (h) => {
      w.addEventListener('error', (e) => {
        e.preventDefault();
        const msg = e.message || 'worker failed to load or crashed';
        h({
          reason: /out of memory|allocation failed/i.test(msg) ? 'out-of-memory' : 'crash',
          message: `worker crashed: ${msg}`,
        });
      });
      w.addEventListener('messageerror', () =>
        h({ reason: 'crash', message: 'worker sent a message that could not be read' }),
      );
    },
    terminate: () => w.terminate(),
  };
}

const dir = (u: string) => (u.endsWith('/') ? u : `${u}/`);

/** Runs the plugin once. Resolves with a {@link RunOutcome}; never rejects for a plugin's failure. */
export function runPlugin(options: BrowserRunPluginOptions): Promise<RunOutcome> {
  const base = new URL(dir(options.pluginBaseUrl), globalThis.location.href);
  const runtime = new URL(dir(options.runtimeUrl), globalThis.location.href);
  const models: Record<string, { url: string; sha256: string }> = {};
  for (const m of options.manifest.models)
    models[m.id] = { url: new URL(m.file, base).href, sha256: m.sha256 };
  return runPluginInWorker(() => webWorker(new URL('browser-worker.js', runtime).href), {
    ...options,
    pluginUrl: new URL(options.manifest.main, base).href,
    kernelsUrl: new URL('qiview-kernels.wasm', runtime).href,
    models,
    registration:
      options.registration === false || !options.manifest.permissions.includes('registration')
        ? undefined
        : (options.registration ??
          (defaultRegistration ??= createBrowserRegistration(new URL('../../itk/', runtime).href))),
  });
}
