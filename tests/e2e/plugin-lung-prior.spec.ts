/**
 * Lung follow-up from the workstation (web mode, Debian Chromium, the real app build): three chest-phantom CT studies
 * of one patient (2024 healthy prior, shifted; 2025 fibrotic current; 2026 later) picked in the study browser. With the
 * 2025 series open the panel offers the 2024 study as the lung plugin's `prior` (newest earlier study of the same
 * PatientID, from the library, not opened), and the run registers the prior with itk-wasm elastix run by the page
 * (pipelines served from the app's origin under itk/, answering the plugin worker over the protocol): the result's
 * "Prior registration" parameter names elastix, not the plugin's fallback. Δ fibrosis extent is checked against
 * the phantom truth (the prior is healthy, so Δ = the current extent); phantoms at the batch test's 1.6 mm grid (at
 * 3.2 mm the texture classes find 1.2 % of 5.3 %).
 */
import { test, expect, type Page } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chestPhantom } from '../phantoms/chest-phantom';
import { moveRigidly } from '../phantoms/rigid-move';
import { measuredValue, openAppPage, pickInStudyBrowser } from './support/app-page';
import { writeLungFollowUpStudies } from './support/lung-follow-up-studies';

const LUNG = 'org.qiview.lung-fibrosis';
const SMALL = {
  dims: [112, 84, 75] as [number, number, number],
  spacing: [3.2, 3.2, 3.2] as [number, number, number],
};

test.describe.configure({ mode: 'serial' });
let page: Page;
let dir: string;
let files: string[] = [];
let truthExtent: number;
/** itk-wasm's pipeline workers this page started, and whether each has been terminated. */
const itkWorkers: Array<{ url: string; closed: boolean }> = [];

test.beforeAll(async ({ browser }) => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'qiview-e2e-lung-prior-'));
  const prior = chestPhantom({ healthy: true, seed: 11 });
  moveRigidly(prior.volume, { tiltDeg: 0, turnDeg: 0, shift: [6, -4, 3] });
  const current = chestPhantom();
  truthExtent = current.expected.fibrosisPct;
  const later = chestPhantom({ ...SMALL, healthy: true, seed: 13 });
  files = await writeLungFollowUpStudies(dir, 'LUNG-FU-1', '1.2.826.0.1.3680043.10.81', [
    [prior.volume, '20240301'],
    [current.volume, '20250301'],
    [later.volume, '20260301'],
  ]);
  page = await openAppPage(browser, { freshLibrary: true });
  page.on('worker', (w) => {
    if (!w.url().includes('itk-wasm-pipeline')) return;
    const entry = { url: w.url(), closed: false };
    itkWorkers.push(entry);
    w.on('close', () => (entry.closed = true));
  });
});

test.afterAll(async () => {
  await page?.close();
  rmSync(dir, { recursive: true, force: true });
  files = [];
});

test('the earlier study of the same patient is the prior; the page registers it with elastix', async () => {
  const registrations: string[] = [];
  const onConsole = (m: { text(): string }) => {
    if (m.text().startsWith('[qiview] elastix')) registrations.push(m.text());
  };
  const itkRequests: string[] = [];
  const onRequest = (r: { url(): string }) => {
    if (/itk|elastix|zst/i.test(r.url())) itkRequests.push(r.url());
  };
  page.on('console', onConsole);
  page.on('request', onRequest);
  await pickInStudyBrowser(page, files);
  await expect(page.getByTestId('import-summary')).toContainText(`${files.length} files read`);
  await page.getByTestId('browser-series').filter({ hasText: 'Chest 2025' }).dblclick();
  await page.selectOption('[data-testid=plugin-select]', LUNG);
  await expect(page.getByTestId('plugin-match-ct')).toContainText('Chest 2025');
  await expect(page.getByTestId('plugin-match-prior')).toContainText('Chest 2024');
  await expect(page.getByTestId('plugin-match-prior')).toContainText('2024-03-01');
  await expect(page.getByTestId('plugin-match-prior')).toHaveAttribute('data-library', 'true');
  await expect(page.getByTestId('plugin-match-note')).toHaveCount(0);
  const t0 = Date.now();
  await page.getByTestId('plugin-run').click();
  await expect(page.getByTestId('plugin-done').or(page.getByTestId('plugin-error'))).toBeVisible({
    timeout: 240_000,
  });
  await expect(page.getByTestId('plugin-done')).toBeVisible();
  const wallS = (Date.now() - t0) / 1000;
  await expect(page.locator('[data-testid=parameter-table] tr[data-key="registration"]')).toContainText(
    'elastix rigid (itk-wasm)',
  );
  page.off('console', onConsole);
  page.off('request', onRequest);
  const delta = await measuredValue(page, 'lungs_fibrosis_extent_delta');
  const dice = await measuredValue(page, 'prior_lung_overlap_dice');
  const extent = await measuredValue(page, 'lungs_fibrosis_extent');
  console.log(JSON.stringify({ delta, extent, truthExtent, dice, wallS, registrations }));
  expect(registrations).toHaveLength(1);
  // itk-wasm's pipeline worker and the elastix pipelines come from the app's origin, never from a CDN
  const origin = new URL(page.url()).origin;
  expect(itkRequests.some((u) => u.endsWith('/itk/elastix/pipelines/elastix.wasm.zst'))).toBe(true);
  expect(itkRequests.filter((u) => !u.startsWith(origin) && !u.startsWith('blob:'))).toEqual([]);
  expect(Math.abs(delta - truthExtent)).toBeLessThan(0.7);
  expect(dice).toBeGreaterThan(0.9);
  await page.screenshot({ path: path.join('test-results', 'screenshots', 'plugin-lung-prior.png') });
});

test('from the latest study the prior is the newest earlier one (2025), never the study itself', async () => {
  await page.getByTestId('browser-series').filter({ hasText: 'Chest 2026' }).dblclick();
  await expect(page.getByTestId('plugin-match-ct')).toContainText('Chest 2026');
  await expect(page.getByTestId('plugin-match-prior')).toContainText('Chest 2025');
  await page.getByTestId('browser-series').filter({ hasText: 'Chest 2024' }).dblclick();
  await expect(page.getByTestId('plugin-match-ct')).toContainText('Chest 2024');
  await expect(page.getByTestId('plugin-match-prior')).toHaveCount(0);
  await expect(page.getByTestId('plugin-match-note')).toContainText(
    'No prior: no earlier study of this patient',
  );
});

test("Cancel while the page registers the prior terminates itk-wasm's worker; the next run starts a fresh one", async () => {
  // The first test left one itk-wasm pipeline worker alive (kept for reuse between registrations).
  expect(itkWorkers.filter((w) => !w.closed)).toHaveLength(1);
  await page.getByTestId('browser-series').filter({ hasText: 'Chest 2025' }).dblclick();
  await expect(page.getByTestId('plugin-match-prior')).toContainText('Chest 2024');
  await page.getByTestId('plugin-run').click();
  // The plugin reports this stage and asks the page to register in the same task.
  await expect(page.getByTestId('plugin-stage')).toContainText('registering the prior CT', {
    timeout: 240_000,
  });
  const t0 = Date.now();
  await page.getByTestId('plugin-cancel').click();
  await expect(page.getByTestId('plugin-error')).toHaveAttribute('data-reason', 'cancelled', {
    timeout: 30_000,
  });
  await expect.poll(() => itkWorkers.filter((w) => !w.closed).length, { timeout: 10_000 }).toBe(0);
  const cancelS = (Date.now() - t0) / 1000;
  // A new run registers with a fresh worker (not the terminated one) and gets elastix's answer.
  await page.getByTestId('plugin-run').click();
  await expect(page.getByTestId('plugin-done').or(page.getByTestId('plugin-error'))).toBeVisible({
    timeout: 240_000,
  });
  await expect(page.getByTestId('plugin-done')).toBeVisible();
  await expect(page.locator('[data-testid=parameter-table] tr[data-key="registration"]')).toContainText(
    'elastix rigid (itk-wasm)',
  );
  console.log(JSON.stringify({ cancelS, itkWorkers }));
  expect(itkWorkers).toHaveLength(2);
  expect(itkWorkers.map((w) => w.closed)).toEqual([true, false]);
});
