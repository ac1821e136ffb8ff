/**
 * Analysis plugins from the workstation (web mode, Debian Chromium, the real app build): the built-in catalogue in
 * the right panel, the example plugin run on a generated CT phantom of known HU (tests/phantoms/ct-series.ts: air
 * −1000, body 40 HU, a 300 HU insert on the patient's left), results and overlay checked against the phantom's own
 * voxel counts; failures (throw, invalid result, bad parameters) reported; Cancel on a hanging plugin.
 */
import { test, expect, type Page } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeCtSeries } from '../phantoms/ct-series';
import { measuredValue, openAppPage } from './support/app-page';
import { EXAMPLE_PLUGIN as EXAMPLE, exampleCt, phantomVoxels } from './support/example-phantom';
import { dragInViewport, openFiles, redCentroidX, viewportPoint, waitForImage } from './support/viewer-page';

const PHANTOM = exampleCt('1.2.826.0.1.3680043.10.1.88');
const shots = (name: string) => path.join('test-results', 'screenshots', `plugin-panel-${name}.png`);

const expected = (hu: number) => phantomVoxels(PHANTOM, hu);

test.describe.configure({ mode: 'serial' });
let page: Page;
let dir: string;
let files: string[];

test.beforeAll(async ({ browser }) => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'qiview-e2e-plugins-'));
  files = await writeCtSeries(path.join(dir, 'ct'), PHANTOM);
  page = await openAppPage(browser);
});

test.afterAll(async () => {
  await page?.close();
  rmSync(dir, { recursive: true, force: true });
});

const measured = (key: string) => measuredValue(page, key);

async function runAndWait(): Promise<void> {
  await page.getByTestId('plugin-run').click();
  await expect(page.getByTestId('plugin-done').or(page.getByTestId('plugin-error'))).toBeVisible({
    timeout: 60_000,
  });
}

test('catalogue lists the built-in plugins with manifest names in the UI language', async () => {
  const options = page.locator('[data-testid=plugin-select] option');
  await expect(options).not.toHaveCount(0);
  const values = await options.evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
  expect(values).toEqual(
    expect.arrayContaining([EXAMPLE, 'org.qiview.lung-fibrosis', 'org.qiview.asl-perfusion']),
  );
  await page.selectOption('[data-testid=plugin-select]', EXAMPLE);
  await expect(page.locator(`[data-testid=plugin-select] option[value="${EXAMPLE}"]`)).toHaveText(
    'Example: threshold + largest component',
  );
  await expect(page.getByTestId('plugin-match')).toHaveText('Open a series to analyse it.');
  await expect(page.getByTestId('plugin-run')).toBeDisabled();
  // Chinese UI: the manifest's zh-CN strings.
  await page.evaluate(() => localStorage.setItem('qiview.locale', 'zh-CN'));
  await page.reload();
  await expect(page.locator(`[data-testid=plugin-select] option[value="${EXAMPLE}"]`)).toHaveText(
    '示例：阈值 + 最大连通域',
  );
  await expect(page.getByTestId('plugin-panel').getByRole('heading', { name: '分析' })).toBeVisible();
  await page.evaluate(() => localStorage.setItem('qiview.locale', 'en'));
  await page.reload();
});

test('the example plugin on the CT phantom: insert volume and mean HU, overlay on the insert', async () => {
  await openFiles(page, files);
  await waitForImage(page, 'cell-0');
  await page.selectOption('[data-testid=plugin-select]', EXAMPLE);
  await expect(page.getByTestId('plugin-match-ct')).toContainText('CT');
  await expect(page.getByTestId('plugin-param-lowerHu')).toHaveValue('100');
  await expect(page.getByTestId('plugin-param-upperHu')).toHaveValue('400');
  expect(await redCentroidX(page, 'cell-0')).toBe(-1);
  await runAndWait();
  await expect(page.getByTestId('plugin-done')).toBeVisible();
  const insert = expected(300);
  expect(insert.count).toBeGreaterThan(1000);
  expect(await measured('voxel_count')).toBe(insert.count);
  expect(Math.abs((await measured('volume_ml')) - insert.ml) / insert.ml).toBeLessThan(0.001);
  expect(Math.abs((await measured('mean_hu')) - 300)).toBeLessThanOrEqual(0.5);
  expect(Math.abs(await measured('sd_hu'))).toBeLessThanOrEqual(0.5);
  const panel = page.getByTestId('results-panel');
  await expect(panel).toContainText('Largest component');
  await expect(panel.getByRole('button').first()).toBeVisible();
  // Overlay: red fill over the insert, which radiological display puts right of centre.
  await expect.poll(() => redCentroidX(page, 'cell-0'), { timeout: 15_000 }).toBeGreaterThan(0.55);
  console.log(
    `example: ${insert.count} voxels, ${insert.ml.toFixed(3)} ml expected; red centroid x`,
    (await redCentroidX(page, 'cell-0')).toFixed(3),
  );
  await page.screenshot({ path: shots('example-result') });
});

test('parameters from the form: 0..100 HU finds the body (40 HU, insert excluded)', async () => {
  await page.getByTestId('plugin-param-lowerHu').fill('0');
  await page.getByTestId('plugin-param-upperHu').fill('100');
  await runAndWait();
  await expect(page.getByTestId('plugin-done')).toBeVisible();
  const body = expected(40);
  expect(await measured('voxel_count')).toBe(body.count);
  expect(Math.abs((await measured('mean_hu')) - 40)).toBeLessThanOrEqual(0.5);
  await expect(page.getByTestId('results-panel')).toContainText('0');
  await page.screenshot({ path: shots('example-body') });
});

test('failures are shown with their reason and the app stays usable', async () => {
  // The plugin refuses lowerHu >= upperHu.
  await page.getByTestId('plugin-param-lowerHu').fill('500');
  await runAndWait();
  await expect(page.getByTestId('plugin-error')).toHaveAttribute('data-reason', 'error');
  await expect(page.getByTestId('plugin-error')).toContainText('must be below');
  await expect(page.getByTestId('results-panel')).toHaveCount(0);
  // Out of the manifest's range: refused before any worker starts.
  await page.getByTestId('plugin-param-lowerHu').fill('-5000');
  await runAndWait();
  await expect(page.getByTestId('plugin-error')).toHaveAttribute('data-reason', 'input');
  await page.getByTestId('plugin-param-lowerHu').fill('100');
  await page.getByTestId('plugin-param-upperHu').fill('400');
  for (const [id, reason] of [
    ['org.qiview.testing.throws', 'error'],
    ['org.qiview.testing.bad-result', 'invalid-result'],
  ] as const) {
    await page.selectOption('[data-testid=plugin-select]', id);
    await runAndWait();
    await expect(page.getByTestId('plugin-error')).toHaveAttribute('data-reason', reason);
  }
  await page.screenshot({ path: shots('failure') });
});

// The hang plugin's manifest limit is 30 s so that Cancel, not the time limit, ends the run even on a loaded machine
// (the timeout path is tested with explicit short limits in plugin-runtime.spec.ts and plugin-node.test.ts).
test('Cancel on a hanging plugin: W/L and scroll keep working, "cancelled" is shown', async () => {
  await page.selectOption('[data-testid=plugin-select]', 'org.qiview.testing.hang');
  const readout = page.getByTestId('wl-readout').first();
  const slice = page.getByTestId('overlay-cell-0').locator('.ov-tr div').nth(1);
  await page.getByTestId('plugin-run').click();
  await expect(page.getByTestId('plugin-stage')).toContainText('spinning', { timeout: 10_000 });
  // While the worker spins: W/L by drag still answers.
  const wl0 = await readout.textContent();
  const t0 = Date.now();
  await dragInViewport(page, 'cell-0', [100, 100], [170, 190]);
  await expect(readout).not.toHaveText(wl0 ?? '');
  const wlMs = Date.now() - t0;
  await expect(page.getByTestId('plugin-progress')).toBeVisible();
  await page.screenshot({ path: shots('hang-running') });
  await page.getByTestId('plugin-cancel').click();
  await expect(page.getByTestId('plugin-error')).toHaveAttribute('data-reason', 'cancelled', {
    timeout: 5_000,
  });
  await expect(page.getByTestId('plugin-error')).toContainText('cancelled');
  // After cancel: scroll and W/L work.
  const s0 = await slice.textContent();
  const [x, y] = await viewportPoint(page, 'cell-0', 150, 150);
  await page.mouse.move(x, y);
  for (let k = 0; k < 4; k++) await page.mouse.wheel(0, 120);
  await expect(slice).not.toHaveText(s0 ?? '');
  const wl1 = await readout.textContent();
  await dragInViewport(page, 'cell-0', [170, 190], [110, 120]);
  await expect(readout).not.toHaveText(wl1 ?? '');
  console.log(`hang: W/L answered in ${wlMs} ms while the plugin spun`);
  await page.screenshot({ path: shots('hang-cancelled') });
  // And a real analysis still runs afterwards.
  await page.selectOption('[data-testid=plugin-select]', EXAMPLE);
  await runAndWait();
  await expect(page.getByTestId('plugin-done')).toBeVisible();
  expect(await measured('voxel_count')).toBe(expected(300).count);
});
