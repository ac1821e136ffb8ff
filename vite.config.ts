import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
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

/**
 * Web build of the renderer (also loaded by Electron). Cornerstone3D 5.x settings from shared/guides/stack.md:
 * the dicom-image-loader is excluded from pre-bundling (its decode worker is referenced by `new URL(...)`), while
 * its CommonJS/emscripten dependencies are pre-bundled so that there is one copy of `@cornerstonejs/metadata`.
 */
export default defineConfig(({ command }) => ({
  root: '.',
  base: './',
  plugins: [react()],
  resolve: {
    alias: [
      { find: /^@qiview\/sdk$/, replacement: r('./plugins/sdk/index.ts') },
      { find: /^@qiview\/sdk\/(.*)$/, replacement: r('./plugins/sdk/$1') },
      { find: /^@qiview\/core\/(.*)$/, replacement: r('./core/$1') },
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
