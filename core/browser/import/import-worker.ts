/// <reference lib="webworker" />
/**
 * Module worker that parses DICOM/NIfTI headers off the UI thread. Started by {@link ./import-files.ts} with
 * `new Worker(new URL('./import-worker.ts', import.meta.url), { type: 'module' })`.
 */
import type { FromImportWorker, ToImportWorker } from './import-messages';
import { parseFiles } from './parse-files';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const signal = { aborted: false };
let queue = Promise.resolve();

scope.onmessage = (e: MessageEvent<ToImportWorker>) => {
  const msg = e.data;
  if (msg.type === 'cancel') {
    signal.aborted = true;
    return;
  }
  queue = queue.then(async () => {
    const r = await parseFiles(msg.files, {
      signal,
      onProgress: (p) =>
        scope.postMessage({ type: 'progress', batch: msg.batch, ...p } satisfies FromImportWorker),
    });
    scope.postMessage({
      type: 'batch',
      batch: msg.batch,
      parsed: r.parsed,
      skipped: r.skipped,
      cancelled: r.cancelled,
    } satisfies FromImportWorker);
  });
};
