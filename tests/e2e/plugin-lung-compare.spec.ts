/**
 * "Compare with prior" on a lung follow-up result (web mode, Debian Chromium, the real app build): two chest-phantom
 * CT studies of one patient (2024 healthy prior, shifted; 2025 fibrotic current) picked in the study browser, the lung
 * plugin run on the 2025 series with the 2024 study as prior (from the library, not opened). Compare puts the current
 * series with the density change map in the left cell of a 1×2 layout and the prior in the right, and the viewer's
 * synchronisers carry slice scrolling and W/L from one cell to the other. (Kept apart from plugin-lung-prior.spec.ts,
 * which checks the prior choice and the registration the run used.)
 */
import { test, expect, type Page } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chestPhantom } from '../phantoms/chest-phantom';
import { moveRigidly } from '../phantoms/rigid-move';
import { openAppPage } from './support/app-page';
import { writeLungFollowUpStudies } from './support/lung-follow-up-studies';
import { regionColour } from './support/colour-regions';
import { dragInViewport, viewportPoint, waitForImage } from './support/viewer-page';

const LUNG = 'org.qiview.lung-fibrosis';

test.describe.configure({ mode: 'serial' });
let page: Page;
let dir: string;
let files: string[] = [];

test.beforeAll(async ({ browser }) => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'qiview-e2e-lung-compare-'));
  const prior = chestPhantom({ healthy: true, seed: 11 });
  moveRigidly(prior.volume, { tiltDeg: 0, turnDeg: 0, shift: [6, -4, 3] });
  const current = chestPhantom();
  files = await writeLungFollowUpStudies(dir, 'LUNG-CMP-1', '1.2.826.0.1.3680043.10.82', [
    [prior.volume, '20240301'],
    [current.volume, '20250301'],
  ]);
  page = await openAppPage(browser, { freshLibrary: true });
});

test.afterAll(async () => {
  await page?.close();
  rmSync(dir, { recursive: true, force: true });
  files = [];
});

/** The slice number n of a viewport overlay's readout "n / N". */
async function sliceOf(id: string): Promise<number> {
  const text = (await page.locator(`[data-testid=overlay-${id}] .ov-tr`).textContent()) ?? '';
  return Number(/(\d+) \/ \d+/.exec(text)?.[1] ?? NaN);
}

test('follow-up run on the 2025 series with the 2024 study as prior', async () => {
  const chooser = page.waitForEvent('filechooser');
  await page.click('[data-testid=browser-open-files]');
  await (await chooser).setFiles(files);
  await expect(page.getByTestId('import-summary')).toContainText(`${files.length} files read`);
  await page.getByTestId('browser-series').filter({ hasText: 'Chest 2025' }).dblclick();
  await page.selectOption('[data-testid=plugin-select]', LUNG);
  await expect(page.getByTestId('plugin-match-prior')).toContainText('Chest 2024');
  // no prior, no compare: the button belongs to a finished follow-up
  await expect(page.getByTestId('results-compare-prior')).toHaveCount(0);
  await page.getByTestId('plugin-run').click();
  await expect(page.getByTestId('plugin-done').or(page.getByTestId('plugin-error'))).toBeVisible({
    timeout: 240_000,
  });
  await expect(page.getByTestId('plugin-done')).toBeVisible();
  await expect(page.getByTestId('results-compare-prior')).toBeVisible();
});

test('Compare with prior: current with the change map left, prior right, slice and W/L synchronised', async () => {
  await page.getByTestId('results-compare-prior').click();
  await expect(page.locator('[data-testid^=viewport-cell-]')).toHaveCount(2);
  await waitForImage(page, 'cell-0');
  await waitForImage(page, 'cell-1');
  await expect(page.getByTestId('overlay-cell-0').getByTestId('patient-text')).toContainText('Chest 2025');
  await expect(page.getByTestId('overlay-cell-1').getByTestId('patient-text')).toContainText('Chest 2024');
  // the per-zone Δ stays in the results panel
  await expect(
    page.locator('[data-testid=measurement-table] tr[data-key="lungs_fibrosis_extent_delta"]'),
  ).toBeVisible();
  // the left cell carries the result's overlays (the change map fused, and the lung/zone/texture labelmaps: these
  // give most of the colour; the map's own share is not told apart here), the prior none
  const whole: [number, number, number, number] = [0, 0, 1, 1];
  await expect
    .poll(async () => (await regionColour(page, 'cell-0', whole)).coloured, { timeout: 60_000 })
    .toBeGreaterThan(0.005);
  const left = await regionColour(page, 'cell-0', whole);
  const right = await regionColour(page, 'cell-1', whole);
  expect(right.coloured).toBeLessThan(0.001);
  // the right cell opens at the left one's patient position (the prior's scan is shifted, so not at the same slice
  // number); scrolling the left moves the right by as many slices (the fused left cell is a volume viewport, which
  // numbers its slices from the other end than the right cell's stack)
  await page.waitForTimeout(500);
  const s0 = [await sliceOf('cell-0'), await sliceOf('cell-1')];
  const [x, y] = await viewportPoint(page, 'cell-0', 150, 150);
  const scroll = async (before: number[]) => {
    await page.mouse.move(x, y);
    for (let i = 0; i < 5; i++) await page.mouse.wheel(0, 120);
    await expect.poll(() => sliceOf('cell-0')).not.toBe(before[0]);
    await expect.poll(() => sliceOf('cell-1')).not.toBe(before[1]);
    await page.waitForTimeout(500);
    return [await sliceOf('cell-0'), await sliceOf('cell-1')];
  };
  const s1 = await scroll(s0);
  const s2 = await scroll(s1);
  expect(Math.abs(s1[0] - s0[0])).toBeGreaterThanOrEqual(3);
  expect(s1[0] + s1[1]).toBe(s0[0] + s0[1]);
  expect(s2[0] + s2[1]).toBe(s1[0] + s1[1]);
  // W/L dragged in the left cell changes the right one
  const wl = () => page.getByTestId('overlay-cell-1').getByTestId('wl-readout').textContent();
  const wl0 = await wl();
  await dragInViewport(page, 'cell-0', [150, 150], [260, 230]);
  await expect.poll(wl).not.toBe(wl0);
  await expect
    .poll(() => page.getByTestId('overlay-cell-0').getByTestId('wl-readout').textContent())
    .toBe(await wl());
  console.log(
    JSON.stringify({
      changeColoured: left.coloured,
      priorColoured: right.coloured,
      s0,
      s1,
      s2,
      wl0,
      wl1: await wl(),
    }),
  );
  await page.screenshot({ path: path.join('test-results', 'screenshots', 'plugin-lung-prior-compare.png') });
});
