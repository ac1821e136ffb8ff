import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { execFileSync } from 'node:child_process';
import {
  cpSync,
  createReadStream,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const r = (p: string) => fileURLToPath(new URL(p, import.meta.url));

/**
 * Cross-origin isolation (SharedArrayBuffer for Cornerstone's volume streaming and threaded onnxruntime-web).
 * tools/serve-web.mjs and the Electron qiview:// protocol send the same headers.
 */
export const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/** CSP of the plugin worker script: dynamic imports, fetch and wasm from the page's origin only. */
export const PLUGIN_WORKER_CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'";

/**
 * Built-in analysis plugins (tools/build-plugins.mjs output, dist-plugins/) served from the page's origin under
 * `plugins/`: `plugins/index.json` lists the plugin ids (folders whose manifest id is the folder name; the
 * misbehaving `*.testing.*` fixtures only in dev and test-hook builds), `plugins/<id>/…` the bundles and
 * `plugins/.runtime/…` the worker runtime. Dev: served by a middleware; build: copied into the output folder (the
 * plugins are built first when dist-plugins/ is missing, e.g. a bare `vite build`).
 */
function pluginBundles(includeTesting: boolean): Plugin {
  const src = r('./dist-plugins');
  let outDir = r('./dist');
  const ensureBuilt = () => {
    if (!existsSync(path.join(src, '.runtime', 'browser-worker.js')))
      execFileSync(process.execPath, [r('./tools/build-plugins.mjs')], { stdio: 'inherit' });
  };
  const ids = () =>
    readdirSync(src)
      .filter((id) => {
        if (id.startsWith('.') || (!includeTesting && id.includes('.testing.'))) return false;
        try {
          return JSON.parse(readFileSync(path.join(src, id, 'manifest.json'), 'utf8')).id === id;
        } catch {
          return false;
        }
      })
      .sort();
  const index = () => JSON.stringify({ plugins: ids() });
  return {
    name: 'qiview-plugin-bundles',
    configResolved(c) {
      outDir = path.resolve(c.root, c.build.outDir);
    },
    configureServer(server) {
      ensureBuilt();
      server.middlewares.use((req, res, next) => {
        const rel = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
        if (!rel.startsWith('/plugins/')) return next();
        if (rel === '/plugins/index.json') {
          res.setHeader('Content-Type', 'application/json');
          res.end(index());
          return;
        }
        const file = path.resolve(src, '.' + rel.slice('/plugins'.length));
        if (!file.startsWith(src + path.sep) || !existsSync(file) || !statSync(file).isFile()) return next();
        const ext = path.extname(file);
        res.setHeader(
          'Content-Type',
          ext === '.js' || ext === '.mjs'
            ? 'text/javascript'
            : ext === '.json'
              ? 'application/json'
              : ext === '.wasm'
                ? 'application/wasm'
                : 'application/octet-stream',
        );
        if (file.endsWith('browser-worker.js')) res.setHeader('Content-Security-Policy', PLUGIN_WORKER_CSP);
        createReadStream(file).pipe(res);
      });
    },
    writeBundle() {
      ensureBuilt();
      const dest = path.join(outDir, 'plugins');
      mkdirSync(dest, { recursive: true });
      cpSync(path.join(src, '.runtime'), path.join(dest, '.runtime'), {
        recursive: true,
        filter: (f) => !f.endsWith('node-worker.mjs'),
      });
      for (const id of ids()) cpSync(path.join(src, id), path.join(dest, id), { recursive: true });
      writeFileSync(path.join(dest, 'index.json'), index());
    },
  };
}

/**
 * itk-wasm assets served from the page's origin under `itk/` (itk-wasm's browser default is a CDN): the elastix
 * pipelines (`itk/elastix/pipelines/<name>.js` + `.wasm.zst`, what itk-wasm's worker loads) and itk-wasm's pipeline
 * worker (`itk/itk-wasm-pipeline.min.worker.js`). core/browser/itk/registration.ts points itk-wasm at them. Dev: a
 * middleware serves them from node_modules; build: copied into the output folder.
 */
export const ITK_ASSETS: Record<string, string> = (() => {
  const out: Record<string, string> = {};
  const pipelines = r('./node_modules/@itk-wasm/elastix/dist/pipelines');
  if (existsSync(pipelines))
    for (const f of readdirSync(pipelines))
      if ((f.endsWith('.js') && !f.endsWith('.umd.js')) || f.endsWith('.wasm.zst'))
        out[`elastix/pipelines/${f}`] = path.join(pipelines, f);
  out['itk-wasm-pipeline.min.worker.js'] = r(
    './node_modules/itk-wasm/dist/pipeline/web-workers/bundles/itk-wasm-pipeline.min.worker.js',
  );
  return out;
})();

function itkAssets(): Plugin {
  let outDir = r('./dist');
  return {
    name: 'qiview-itk-assets',
    configResolved(c) {
      outDir = path.resolve(c.root, c.build.outDir);
    },
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const rel = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
        const file = rel.startsWith('/itk/') ? ITK_ASSETS[rel.slice('/itk/'.length)] : undefined;
        if (!file) return next();
        res.setHeader('Content-Type', file.endsWith('.js') ? 'text/javascript' : 'application/octet-stream');
        createReadStream(file).pipe(res);
      });
    },
    writeBundle() {
      for (const [rel, file] of Object.entries(ITK_ASSETS)) {
        const dest = path.join(outDir, 'itk', rel);
        mkdirSync(path.dirname(dest), { recursive: true });
        cpSync(file, dest);
      }
    },
  };
}

/**
 * Web build of the renderer (also loaded by Electron). Cornerstone3D 5.x settings from shared/guides/stack.md:
 * the dicom-image-loader is excluded from pre-bundling (its decode worker is referenced by `new URL(...)`), while
 * its CommonJS/emscripten dependencies are pre-bundled so that there is one copy of `@cornerstonejs/metadata`.
 */
export default defineConfig(({ command }) => ({
  root: '.',
  base: './',
  plugins: [
    react(),
    itkAssets(),
    pluginBundles(process.env.QIVIEW_TEST_HOOKS === '1' || command === 'serve'),
  ],
  resolve: {
    alias: [
      { find: /^@qiview\/sdk$/, replacement: r('./plugins/sdk/index.ts') },
      { find: /^@qiview\/sdk\/(.*)$/, replacement: r('./plugins/sdk/$1') },
      { find: /^@qiview\/core\/(.*)$/, replacement: r('./core/$1') },
      // Cornerstone's JavaScript JPEG decoder (12-bit JPEG extended), a file its package does not export; also in
      // tsconfig.json "paths" (tsx, esbuild). See core/common/dicom/codecs.ts.
      {
        find: /^@qiview\/cornerstone-jpeg$/,
        replacement: r('./node_modules/@cornerstonejs/dicom-image-loader/dist/esm/codecs/jpeg.js'),
      },
    ],
  },
  define: {
    // Test hooks (window.__qiviewTest) exist in dev and in builds made with QIVIEW_TEST_HOOKS=1 (e2e, bench).
    __QIVIEW_TEST_HOOKS__: JSON.stringify(process.env.QIVIEW_TEST_HOOKS === '1' || command === 'serve'),
  },
  optimizeDeps: {
    exclude: ['@cornerstonejs/dicom-image-loader'],
    include: [
      'dicom-parser',
      '@cornerstonejs/metadata',
      '@cornerstonejs/utils',
      '@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs',
      '@cornerstonejs/codec-charls/decodewasmjs',
      '@cornerstonejs/codec-openjpeg/decodewasmjs',
      '@cornerstonejs/codec-openjph/wasmjs',
      '@cornerstonejs/codec-libjxl/decodewasmjs',
    ],
  },
  worker: { format: 'es' },
  assetsInclude: ['**/*.wasm'],
  server: { headers: ISOLATION_HEADERS, host: '127.0.0.1' },
  preview: { headers: ISOLATION_HEADERS, host: '127.0.0.1' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 8000,
    sourcemap: false,
  },
}));
