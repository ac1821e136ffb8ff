/**
 * Entry of the browser plugin worker (a module Web Worker), bundled by tools/build-plugins.mjs to
 * dist-plugins/.runtime/browser-worker.js next to qiview-kernels.wasm and ort/. Before any plugin code loads, the
 * network is closed: `fetch` only reaches same-origin URLs (bundle, models, wasm), and XMLHttpRequest, WebSocket,
 * EventSource and importScripts throw. The runtime itself reads bytes with the original fetch.
 */
import { configureOnnx, openBrowserSession } from '../onnx/open-session';
import { serveWorker } from '../../common/plugin-host/worker-runtime';

const scope = globalThis as unknown as Record<string, unknown> & {
  location: { origin: string; href: string };
  postMessage(m: unknown, transfer: Transferable[]): void;
  addEventListener(type: 'message', h: (e: MessageEvent) => void): void;
};
const realFetch = globalThis.fetch.bind(globalThis);
const origin = scope.location.origin;
const sameOrigin = (input: unknown): boolean => {
  const url = typeof input === 'string' || input instanceof URL ? String(input) : (input as Request).url;
  try {
    return new URL(url, scope.location.href).origin === origin;
  } catch {
    return false;
  }
};
const refuse = (what: string) =>
  function blocked(): never {
    throw new Error(`${what} is not available to plugins (no network)`);
  };
scope.fetch = (input: RequestInfo | URL, init?: RequestInit) =>
  sameOrigin(input)
    ? realFetch(input, init)
    : Promise.reject(
        new Error('fetch is not available to plugins (no network; only same-origin plugin files)'),
      );
for (const name of ['XMLHttpRequest', 'WebSocket', 'EventSource', 'importScripts']) {
  Object.defineProperty(scope, name, { value: refuse(name), writable: false, configurable: false });
}

configureOnnx(new URL('./ort/', import.meta.url).href);

serveWorker(
  {
    post: (m, transfer) => scope.postMessage(m, transfer ?? []),
    onMessage: (h) => scope.addEventListener('message', (e) => h(e.data)),
  },
  {
    importPlugin: (url) => {
      if (!sameOrigin(url)) return Promise.reject(new Error(`plugin bundle ${url} is not same-origin`));
      return import(/* @vite-ignore */ url) as Promise<{ default?: unknown }>;
    },
    readBytes: async (url) => {
      if (!sameOrigin(url)) throw new Error(`${url} is not same-origin`);
      const r = await realFetch(url);
      if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
      return new Uint8Array(await r.arrayBuffer());
    },
    openSession: openBrowserSession,
  },
);
