import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

const r = (p: string) => fileURLToPath(new URL(p, import.meta.url));

/** Unit + integration tests under Node. Browser behaviour is covered by Playwright (tests/e2e). */
export default defineConfig({
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
  test: {
    include: ['**/*.test.ts', '**/*.test.tsx'],
    exclude: ['node_modules/**', 'dist/**', 'tests/e2e/**', 'release/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
