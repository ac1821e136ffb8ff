/**
 * Entry of the Node plugin worker (`worker_threads`), bundled by tools/build-plugins.mjs to
 * dist-plugins/.runtime/node-worker.mjs. Blocks the network for plugin code, then serves the plugin protocol.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parentPort } from 'node:worker_threads';
import { serveWorker } from '../../common/plugin-host/worker-runtime';
import { createRegistration } from '../itk/registration';
import { openNodeSession } from '../onnx/open-session';

if (!parentPort) throw new Error('node-worker must run in a worker thread');
const port = parentPort;

const blocked = (what: string) => () => {
  throw new Error(`${what} is not available to plugins (no network)`);
};
const g = globalThis as Record<string, unknown>;
const realFetch = globalThis.fetch?.bind(globalThis);
/** Network URLs are refused; file:, data: and blob: URLs (wasm loaders such as itk-wasm's emscripten modules) pass. */
g.fetch = async (input: unknown, init?: unknown) => {
  const url =
    typeof input === 'string' || input instanceof URL
      ? String(input)
      : String((input as { url?: unknown })?.url);
  if (/^[a-z][a-z0-9+.-]*:/i.test(url) && !/^(file|data|blob):/i.test(url)) {
    throw new Error(`fetch is not available to plugins (no network): ${url.slice(0, 80)}`);
  }
  return realFetch(input as Parameters<typeof fetch>[0], init as RequestInit);
};
g.WebSocket = blocked('WebSocket');
g.XMLHttpRequest = blocked('XMLHttpRequest');

serveWorker(
  {
    post: (m, transfer) => port.postMessage(m, transfer ?? []),
    onMessage: (h) => port.on('message', h),
  },
  {
    importPlugin: (url) => import(url) as Promise<{ default?: unknown }>,
    readBytes: async (url) =>
      new Uint8Array(await readFile(url.startsWith('file:') ? fileURLToPath(url) : url)),
    openSession: openNodeSession,
    registration: async () => createRegistration(),
  },
);
