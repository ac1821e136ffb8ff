/**
 * The same plugin bundle in a browser Web Worker and in a Node worker thread: identical result digests; a hanging
 * plugin is cut at the time limit while the page stays responsive; a thrown error and a blocked fetch are reported.
 * Self-contained (own static server + harness page). Run with
 * `npx playwright test -c tests/e2e/support/plugin-harness/playwright.config.ts`.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import * as esbuild from 'esbuild';
import { runPlugin as runInNode } from '../../core/node/plugin-host';
import { makeExamplePhantom } from '../../plugins/example/phantom';
import { resultDigest } from '../integration/plugin-digest';
import { serveHarness } from './support/plugin-harness/serve';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dist = path.join(root, 'dist-plugins');
const harnessOut = path.join(root, 'test-results/plugin-harness');
let server: { url: string; close: () => Promise<void> };
const TAMPERED = 'e2e-tampered-model';

test.beforeAll(async () => {
  execFileSync(process.execPath, [path.join(root, 'tools/build-plugins.mjs')], { cwd: root, stdio: 'pipe' });
  mkdirSync(harnessOut, { recursive: true });
  await esbuild.build({
    entryPoints: [path.join(root, 'tests/e2e/support/plugin-harness/harness.ts')],
    outfile: path.join(harnessOut, 'harness.js'),
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    alias: { '@qiview/sdk': path.join(root, 'plugins/sdk/index.ts') },
    logLevel: 'warning',
  });
  copyFileSync(
    path.join(root, 'tests/e2e/support/plugin-harness/index.html'),
    path.join(harnessOut, 'index.html'),
  );
  // A copy of the example whose model bytes no longer match the manifest sha256.
  cpSync(path.join(dist, 'org.qiview.example-threshold'), path.join(dist, TAMPERED), { recursive: true });
  writeFileSync(path.join(dist, TAMPERED, 'models/identity.onnx'), 'not the declared model');
  server = await serveHarness(harnessOut, dist);
});
test.afterAll(async () => {
  await server?.close();
  rmSync(path.join(dist, TAMPERED), { recursive: true, force: true });
});

type HarnessResult = {
  ok: boolean;
  reason?: string;
  message?: string;
  digest?: { hash: string; body: unknown };
  findings?: string[];
  durationMs?: number;
};
const run = (
  page: import('@playwright/test').Page,
  id: string,
  params: Record<string, unknown> = {},
  timeoutMs?: number,
) =>
  page.evaluate(
    ([i, p, t]) =>
      (
        globalThis as unknown as { qiviewHarness: { run: (...a: unknown[]) => Promise<unknown> } }
      ).qiviewHarness.run(i, p, t),
    [id, params, timeoutMs] as const,
  ) as Promise<HarnessResult>;

test('the example bundle gives identical results in a Web Worker and in Node', async ({ page }) => {
  const external: string[] = [];
  page.on('request', (r) => {
    if (!r.url().startsWith(server.url)) external.push(r.url());
  });
  await page.goto(server.url);
  await expect(page.locator('body')).toHaveAttribute('data-ready', '1');
  const browser = await run(page, 'org.qiview.example-threshold');
  expect(browser.ok, `${browser.reason}: ${browser.message}`).toBe(true);

  const node = await runInNode({
    pluginDir: path.join(dist, 'org.qiview.example-threshold'),
    input: {
      series: { ct: { role: 'ct', volume: makeExamplePhantom(), dicom: { Modality: 'CT' } } },
      parameters: {},
    },
  });
  if (!node.ok) throw new Error(`${node.reason}: ${node.message}`);
  const nodeDigest = resultDigest(node.result);
  console.log(
    `digest browser ${browser.digest!.hash} (${browser.durationMs!.toFixed(0)} ms), node ${nodeDigest.hash} (${node.durationMs.toFixed(0)} ms)`,
  );
  expect(browser.digest).toEqual(nodeDigest);
  expect(external).toEqual([]);
});

test('a hanging plugin is terminated at the limit while the page stays responsive', async ({ page }) => {
  await page.goto(server.url);
  await expect(page.locator('body')).toHaveAttribute('data-ready', '1');
  const pending = run(page, 'org.qiview.testing.hang', {}, 3000);
  await page.waitForTimeout(500);
  const t0 = Date.now();
  for (let i = 0; i < 5; i++) await page.click('#ping');
  await expect(page.locator('#count')).toHaveText('5');
  const clickMs = Date.now() - t0;
  expect(clickMs).toBeLessThan(2000);
  const r = await pending;
  expect(r).toMatchObject({ ok: false, reason: 'timeout' });
  console.log(`5 clicks answered in ${clickMs} ms during the hang; run ended: ${r.message}`);
  // The page still runs plugins afterwards.
  const again = await run(page, 'org.qiview.example-threshold');
  expect(again.ok).toBe(true);
});

test('a throwing plugin and a network attempt are reported', async ({ page }) => {
  await page.goto(server.url);
  await expect(page.locator('body')).toHaveAttribute('data-ready', '1');
  const thrown = await run(page, 'org.qiview.testing.throws');
  expect(thrown).toMatchObject({ ok: false, reason: 'error' });
  expect(thrown.message).toMatch(/deliberate failure in test plugin/);
  const net = await run(page, 'org.qiview.testing.network');
  expect(net.ok).toBe(true);
  expect(net.findings![0]).toMatch(/^fetch blocked/);
});

test('a model whose bytes do not match the manifest sha256 is refused in the browser too', async ({
  page,
}) => {
  await page.goto(server.url);
  await expect(page.locator('body')).toHaveAttribute('data-ready', '1');
  const r = await run(page, TAMPERED);
  expect(r).toMatchObject({ ok: false, reason: 'error', code: 'model-hash-mismatch' });
  expect(r.message).toMatch(/does not match the manifest's d994b8ae/);
});
