/**
 * Static server for the plugin-runtime e2e: the harness page and bundle, and dist-plugins/ (plugin bundles, models,
 * runtimes). Worker scripts get a Content-Security-Policy limiting connections and imports to the same origin.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.onnx': 'application/octet-stream',
};

/** Serves `/` from `harnessDir` and `/dist-plugins/` from `distDir`; resolves with the base URL and a closer. */
export async function serveHarness(
  harnessDir: string,
  distDir: string,
): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    const rel = decodeURIComponent(u.pathname);
    const file = rel.startsWith('/dist-plugins/')
      ? path.join(distDir, rel.slice('/dist-plugins/'.length))
      : path.join(harnessDir, rel === '/' ? 'index.html' : rel.slice(1));
    const inside = file.startsWith(distDir) || file.startsWith(harnessDir);
    if (!inside || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end('not found');
      return;
    }
    const headers: Record<string, string> = {
      'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
    };
    if (file.endsWith('browser-worker.js')) {
      headers['content-security-policy'] = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'";
    }
    res.writeHead(200, headers);
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((r) => server.close(() => r())) };
}
