/**
 * Debian Chromium for Playwright (see shared/guides/stack.md): WebGL2 through SwiftShader in headless mode with these
 * flags. Never `npx playwright install`.
 */
export const CHROMIUM_PATH = process.env.QIVIEW_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--enable-precise-memory-info',
];
