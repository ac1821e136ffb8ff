/**
 * Browser side of the plugin-runtime e2e harness: loads a built plugin's manifest, runs it with the browser
 * runPlugin (module Web Worker) on the example phantom, and returns the outcome plus the result digest.
 */
import { parseManifest } from '@qiview/sdk';
import { runPlugin } from '../../../../core/browser/plugin-host';
import { makeExamplePhantom } from '../../../../plugins/example/phantom';
import { resultDigest } from '../../../integration/plugin-digest';

async function run(pluginId: string, parameters: Record<string, unknown> = {}, timeoutMs?: number) {
  const base = `/dist-plugins/${pluginId}/`;
  const checked = parseManifest(await (await fetch(`${base}manifest.json`)).json());
  if (!checked.ok) return { ok: false, reason: 'invalid-manifest', message: checked.errors.join('; ') };
  const progress: number[] = [];
  const outcome = await runPlugin({
    manifest: checked.manifest,
    pluginBaseUrl: base,
    runtimeUrl: '/dist-plugins/.runtime/',
    input: {
      series: { ct: { role: 'ct', volume: makeExamplePhantom(), dicom: { Modality: 'CT' } } },
      parameters,
    },
    timeoutMs,
    onProgress: (f) => progress.push(f),
  });
  if (!outcome.ok) return { ...outcome, progress };
  return {
    ok: true,
    durationMs: outcome.durationMs,
    digest: resultDigest(outcome.result),
    findings: outcome.result.findings,
    progress,
  };
}

(globalThis as unknown as { qiviewHarness: unknown }).qiviewHarness = { run };
document.body.dataset.ready = '1';
