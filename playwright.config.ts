import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './tests/e2e/support/chromium';

// Several people may run the e2e tests at once on one machine: each run gets its own port, build folder and
// artifact folder (derived from the main process id; workers inherit the variable, so they agree on it).
process.env.QIVIEW_E2E_PORT ??= String(5200 + (process.pid % 700));
const port = Number(process.env.QIVIEW_E2E_PORT);
const dist = `test-results/e2e-dist-${port}`;

/**
 * Browser e2e tests in Debian Chromium (never `playwright install`): the web app built with QIVIEW_TEST_HOOKS=1 by
 * this config's webServer and served by tools/serve-web.mjs. Screenshots are kept under test-results/ as artifacts
 * (test-results/screenshots by the specs, test-results/e2e-<port> by Playwright).
 */
export default defineConfig({
  testDir: 'tests/e2e',
  testMatch: '**/*.spec.ts',
  outputDir: `test-results/e2e-${port}`,
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
    command: `QIVIEW_TEST_HOOKS=1 npx vite build --logLevel warn --outDir ${dist} --emptyOutDir && node tools/serve-web.mjs ${dist}`,
    env: { QIVIEW_PORT: String(port) },
    url: `http://127.0.0.1:${port}/`,
    reuseExistingServer: false,
    timeout: 300_000,
  },
});
