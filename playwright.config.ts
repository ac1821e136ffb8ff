import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './tests/e2e/support/chromium';

const port = Number(process.env.QIVIEW_E2E_PORT ?? 5183);

/**
 * Browser e2e tests in Debian Chromium (never `playwright install`): the built web app (`npm run build`, made with
 * QIVIEW_TEST_HOOKS=1 by `npm test`'s build stage or by this config's webServer) served by tools/serve-web.mjs.
 * Screenshots are kept under test-results/ as artifacts.
 */
export default defineConfig({
  testDir: 'tests/e2e',
  testMatch: '**/*.spec.ts',
  outputDir: 'test-results/e2e',
  timeout: 180_000,
  expect: { timeout: 30_000 },
  workers: 1,
  retries: 0,
  reporter: [
    ['list'],
    ['json', { outputFile: process.env.PLAYWRIGHT_JSON_OUTPUT_NAME ?? 'test-results/playwright.json' }],
  ],
  use: {
    baseURL: `http://127.0.0.1:${port}/`,
    viewport: { width: 1400, height: 900 },
    screenshot: 'on',
    trace: 'retain-on-failure',
    launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS },
  },
  webServer: {
    command: 'QIVIEW_TEST_HOOKS=1 npx vite build --logLevel warn && node tools/serve-web.mjs',
    env: { QIVIEW_PORT: String(port) },
    url: `http://127.0.0.1:${port}/`,
    reuseExistingServer: false,
    timeout: 300_000,
  },
});
