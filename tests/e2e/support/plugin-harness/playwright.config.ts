import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../chromium';

/**
 * Standalone config for the plugin-runtime e2e (no app build): the spec serves its own harness.
 * Run: npx playwright test -c tests/e2e/support/plugin-harness/playwright.config.ts
 */
export default defineConfig({
  testDir: '../..',
  testMatch: 'plugin-runtime.spec.ts',
  outputDir: '../../../../test-results/e2e-plugin-runtime',
  timeout: 120_000,
  workers: 1,
  reporter: [['list']],
  use: { launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS } },
});
