#!/usr/bin/env node
// Serves the built web app (dist/) on loopback with the cross-origin isolation headers Cornerstone3D and
// onnxruntime-web threads need (COOP same-origin + COEP require-corp). Port: env QIVIEW_PORT (default 5173).
// Usage: `npm start` (build + serve) or `node tools/serve-web.mjs [distDir]`.
import http from 'node:http';
import { createReadStream, existsSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(process.argv[2] ?? 'dist');
const port = Number(process.env.QIVIEW_PORT ?? 5173);
const host = '127.0.0.1';
if (!existsSync(path.join(root, 'index.html'))) {
  console.error(`serve-web: ${root}/index.html not found: run "npm run build" first`);
  process.exit(2);
}

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.onnx': 'application/octet-stream',
};
const HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'X-Content-Type-Options': 'nosniff',
};

const server = http.createServer((req, res) => {
  let rel;
  try {
    rel = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
  } catch {
    res.writeHead(400, HEADERS).end('bad request');
    return;
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, HEADERS).end();
    return;
  }
  let file = path.resolve(root, '.' + rel);
  if (file !== root && !file.startsWith(root + path.sep)) {
    res.writeHead(403, HEADERS).end('forbidden');
    return;
  }
  if (!existsSync(file) || statSync(file).isDirectory()) {
    // SPA: unknown paths without an extension get index.html
    if (path.extname(file) === '' || rel.endsWith('/')) file = path.join(root, 'index.html');
    else {
      res.writeHead(404, HEADERS).end('not found');
      return;
    }
  }
  const type = MIME[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
  const size = statSync(file).size;
  res.writeHead(200, {
    ...HEADERS,
    // the plugin worker: imports, fetch and wasm from this origin only (core/common/plugin-host/README.md)
    ...(file.endsWith('browser-worker.js')
      ? { 'Content-Security-Policy': "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'" }
      : {}),
    'Content-Type': type,
    'Content-Length': size,
    'Cache-Control': file.includes(`${path.sep}assets${path.sep}`)
      ? 'max-age=31536000, immutable'
      : 'no-cache',
  });
  if (req.method === 'HEAD') res.end();
  else createReadStream(file).pipe(res);
});
server.listen(port, host, () => console.log(`Qiview web: http://${host}:${port}/ (serving ${root})`));
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => server.close(() => process.exit(0)));
