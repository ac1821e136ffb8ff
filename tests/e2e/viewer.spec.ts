/**
 * Viewer acceptance (web mode, Debian Chromium): a generated CT phantom of known HU (tests/phantoms/ct-series.ts:
 * air −1000, body 40 HU, a 300 HU insert on the patient's LEFT) opened through the toolbar's file input.
 */
import { test, expect, type Page } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ctSeriesGeometry, writeCtSeries, type CtSeriesOptions } from '../phantoms/ct-series';
import {
  canvasStats,
  dragInViewport,
  openFiles,
  redCentroidX,
  sampleDifference,
  waitForImage,
} from './support/viewer-page';
import { openAppPage } from './support/app-page';
import { hueDistance, hueOf, regionColour } from './support/colour-regions';
import { colormapColor } from '../../renderer/results/colormaps';

const PHANTOM: CtSeriesOptions = {
  dims: [128, 128, 40],
  spacing: [1.5, 1.5, 2.5],
  seriesUid: '1.2.826.0.1.3680043.10.1.77',
};
const shots = (name: string) => path.join('test-results', 'screenshots', `${name}.png`);

test.describe.configure({ mode: 'serial' });
let page: Page;
let dir: string;
let files: string[];

test.beforeAll(async ({ browser }) => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'qiview-e2e-'));
  files = await writeCtSeries(path.join(dir, 'ct'), PHANTOM);
  page = await openAppPage(browser);
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
});

test.afterAll(async () => {
  await page?.close();
  rmSync(dir, { recursive: true, force: true });
});

test('stack renders the phantom with the left-sided insert on screen right', async () => {
  await openFiles(page, files);
  await waitForImage(page, 'cell-0');
  // Brain window (W80/L40): body 40 HU → mid grey, insert 300 HU → white, air → black.
  await page.selectOption('[data-testid=window-preset]', 'brain');
  await page.waitForTimeout(300);
  const s = await canvasStats(page, 'cell-0');
  await page.screenshot({ path: shots('stack') });
  expect(s.nonBlank).toBeGreaterThan(0.2);
  expect(s.brightCentroid).not.toBeNull();
  const [cx, cy] = s.brightCentroid!;
  // Insert centre is 0.2 FOV to the patient's left: radiological display puts it right of centre.
  expect(cx).toBeGreaterThan(s.width / 2 + 0.1 * Math.min(s.width, s.height) * 0.5);
  expect(Math.abs(cy - s.height / 2)).toBeLessThan(0.05 * s.height);
  await expect(page.getByTestId('orient-right').first()).toHaveText('L');
  await expect(page.getByTestId('orient-left').first()).toHaveText('R');
  await expect(page.getByTestId('orient-top').first()).toHaveText('A');
  await expect(page.getByTestId('orient-bottom').first()).toHaveText('P');
  await expect(page.getByTestId('scale-bar').first()).toBeVisible();
  await expect(page.getByTestId('patient-text').first()).toContainText('Phantom CT');
  await page.keyboard.press('h');
  await expect(page.getByTestId('patient-text')).toHaveCount(0);
  await page.keyboard.press('h');
  await expect(page.getByTestId('patient-text').first()).toBeVisible();
});

test('W/L presets change the pixels', async () => {
  await page.selectOption('[data-testid=window-preset]', 'brain');
  await page.waitForTimeout(300);
  const brain = await canvasStats(page, 'cell-0');
  await page.selectOption('[data-testid=window-preset]', 'lung');
  await page.waitForTimeout(300);
  const lung = await canvasStats(page, 'cell-0');
  await page.screenshot({ path: shots('wl-lung') });
  expect(sampleDifference(brain, lung)).toBeGreaterThan(10);
  await expect(page.getByTestId('wl-readout').first()).toHaveText('W 1500 / L -600');
});

test('ellipse ROI on the 300 HU insert and rectangle ROI on the 40 HU body report their HU within 1', async () => {
  await page.selectOption('[data-testid=window-preset]', 'brain');
  await page.waitForTimeout(300);
  const s = await canvasStats(page, 'cell-0');
  const [cx, cy] = s.brightCentroid!;
  // Insert radius 0.08·FOV; draw well inside it (a third of its on-screen radius).
  const radiusPx = Math.sqrt(s.brightCount / Math.PI) / 3;
  await page.selectOption('[data-testid=tool]', 'EllipticalROI');
  // Cornerstone's ellipse is drawn from its centre outwards.
  await dragInViewport(page, 'cell-0', [cx, cy], [cx + radiusPx, cy + radiusPx]);
  // Rectangle inside the body, on the opposite side from the insert.
  await page.selectOption('[data-testid=tool]', 'RectangleROI');
  const bx = s.width / 2 - 0.12 * Math.min(s.width, s.height);
  await dragInViewport(page, 'cell-0', [bx - 20, cy - 20], [bx + 20, cy + 20]);
  const rows = page.getByTestId('annotation-row');
  await expect(rows).toHaveCount(2);
  // Both statistics are computed after their drag ends: wait until each row has a finite, non-zero mean.
  for (const k of [0, 1]) {
    await expect
      .poll(async () => {
        const m = Number(await rows.nth(k).getAttribute('data-mean'));
        return Number.isFinite(m) && m !== 0;
      })
      .toBe(true);
  }
  const insertMean = Number(await rows.nth(0).getAttribute('data-mean'));
  const bodyMean = Number(await rows.nth(1).getAttribute('data-mean'));
  await page.screenshot({ path: shots('roi') });
  expect(Math.abs(insertMean - 300)).toBeLessThanOrEqual(1);
  expect(Math.abs(bodyMean - 40)).toBeLessThanOrEqual(1);
  expect(Number(await rows.nth(0).getAttribute('data-sd'))).toBeLessThan(1);
  await expect(rows.nth(0)).toContainText('HU');
  // Delete from the list.
  await rows.nth(1).getByRole('button', { name: 'Delete' }).click();
  await expect(rows).toHaveCount(1);
  await page.selectOption('[data-testid=tool]', 'WindowLevel');
});

test('overlay API: a labelmap on the patient-right half shows as a coloured overlay on screen left; a map gets a colour bar', async () => {
  const g = ctSeriesGeometry(PHANTOM);
  await page.evaluate(
    ({ g, seriesKey }) => {
      const hook = (window as unknown as { __qiviewTest: { store: { getState(): any } } }).__qiviewTest;
      const [nx, ny, nz] = g.dims;
      const data = new Uint8Array(nx * ny * nz);
      const map = new Float32Array(nx * ny * nz);
      for (let k = 0; k < nz; k++)
        for (let j = 0; j < ny; j++)
          for (let i = 0; i < nx; i++) {
            // i < nx/3: patient right (LPS −x) for the axial phantom.
            if (i < nx / 3) data[i + nx * (j + ny * k)] = 1;
            map[i + nx * (j + ny * k)] = i;
          }
      const geometry = { dimensions: g.dims, spacing: g.spacing, origin: g.origin, direction: g.direction };
      const st = hook.store.getState();
      st.addLabelmap(
        {
          id: 'e2e-lm',
          name: 'right third',
          geometry,
          data,
          segments: [{ label: 1, name: 'R', color: [255, 0, 0] }],
        },
        seriesKey,
      );
      st.addParametricMap(
        {
          id: 'e2e-map',
          name: 'ramp',
          volume: { geometry, data: map, frames: 1, unit: '1', metadata: { modality: 'OT' }, warnings: [] },
          display: { colormap: 'jet', range: [0, nx] },
        },
        seriesKey,
      );
      st.setOverlayOpacity('parametric:e2e-map', 0);
    },
    { g, seriesKey: PHANTOM.seriesUid! },
  );
  await expect(page.getByTestId('colorbar').first()).toBeVisible();
  // Red fill: pixels whose red channel clearly dominates; their mean x as a fraction of the width.
  await expect.poll(() => redCentroidX(page, 'cell-0'), { timeout: 60_000 }).toBeGreaterThan(0);
  await page.screenshot({ path: shots('overlay-labelmap') });
  const frac = await redCentroidX(page, 'cell-0');
  // Patient right is displayed on screen left.
  expect(frac).toBeGreaterThan(0);
  expect(frac).toBeLessThan(0.45);
  await page.evaluate(() => {
    const st = (window as any).__qiviewTest.store.getState();
    st.removeOverlay('labelmap:e2e-lm');
    st.removeOverlay('parametric:e2e-map');
  });
  await waitForImage(page, 'cell-0');
});

test('a float map is drawn as a colour fusion (hot, 0–100) on the stack cell and on MPR; NaN and values ≤ 0 stay grey', async () => {
  const g = ctSeriesGeometry(PHANTOM);
  await page.evaluate(
    ({ g, seriesKey }) => {
      const [nx, ny, nz] = g.dims;
      const map = new Float32Array(nx * ny * nz);
      // 60 in the block i < 5/8, j < 5/8, k < 5/8 of the grid (patient right, anterior; the centre planes cut it),
      // NaN in its first quarter along i, 0 elsewhere.
      for (let k = 0; k < nz; k++)
        for (let j = 0; j < ny; j++)
          for (let i = 0; i < nx; i++) {
            const inBlock = i < (5 * nx) / 8 && j < (5 * ny) / 8 && k < (5 * nz) / 8;
            map[i + nx * (j + ny * k)] = !inBlock ? 0 : i < nx / 4 ? NaN : 60;
          }
      const geometry = { dimensions: g.dims, spacing: g.spacing, origin: g.origin, direction: g.direction };
      (window as any).__qiviewTest.store.getState().addParametricMap(
        {
          id: 'e2e-fusion',
          name: 'block',
          volume: {
            geometry,
            data: map,
            frames: 1,
            unit: 'ml/100g/min',
            metadata: { modality: 'OT' },
            warnings: [],
          },
          display: { colormap: 'hot', range: [0, 100] },
        },
        seriesKey,
      );
    },
    { g, seriesKey: PHANTOM.seriesUid! },
  );
  const bar = page.getByTestId('colorbar').first();
  await expect(bar).toBeVisible();
  await expect(bar).toContainText('100');
  await expect(bar).toContainText('0.00');
  await expect(bar).toContainText('block (ml/100g/min)');
  // the bar's ramp has the stops the viewport draws with (hot: red at 37.5 %, yellow at 75 %)
  const ramp = await bar.locator('.ov-colorbar-ramp').evaluate((el) => getComputedStyle(el).backgroundImage);
  expect(ramp).toContain('rgb(255, 0, 0) 37.5%');
  expect(ramp).toContain('rgb(255, 255, 0) 75%');
  const expectedHue = hueOf(colormapColor('hot', 0.6))!;
  // Axial (the stack cell): block = screen top-left (patient right, anterior), NaN strip on its left.
  const inside: [number, number, number, number] = [0.33, 0.25, 0.55, 0.5];
  await expect
    .poll(async () => (await regionColour(page, 'cell-0', inside)).coloured, { timeout: 60_000 })
    .toBeGreaterThan(0.9);
  const inBlock = await regionColour(page, 'cell-0', inside);
  const nanStrip = await regionColour(page, 'cell-0', [0.1, 0.25, 0.2, 0.5]);
  const outside = await regionColour(page, 'cell-0', [0.72, 0.72, 0.95, 0.95]);
  await page.screenshot({ path: shots('overlay-map-fusion') });
  console.log(
    `map fusion axial: block ${(inBlock.coloured * 100).toFixed(1)}% coloured, hue ${inBlock.hue?.toFixed(1)}° ` +
      `(hot(0.6) ${expectedHue.toFixed(1)}°), mean RGB ${inBlock.meanRgb?.map((c) => c.toFixed(0)).join('/')}; ` +
      `NaN strip ${(nanStrip.coloured * 100).toFixed(1)}%, outside ${(outside.coloured * 100).toFixed(1)}%`,
  );
  const [r, gr, b] = inBlock.meanRgb!;
  expect(r - gr).toBeGreaterThan(10);
  expect(gr - b).toBeGreaterThan(10);
  // hot(0.6) = (255, 153, 0) over grey (g, g, g) at opacity α: R − B = 255·α; the overlay's opacity is 0.6.
  const alpha = (r - b) / 255;
  console.log(`map fusion axial: on-screen opacity ${alpha.toFixed(3)} (overlay 0.6)`);
  expect(Math.abs(alpha - 0.6)).toBeLessThan(0.1);
  expect(hueDistance(inBlock.hue!, expectedHue)).toBeLessThan(8);
  expect(nanStrip.coloured).toBeLessThan(0.01);
  expect(outside.coloured).toBeLessThan(0.01);
  // MPR: the map goes onto every plane (each centre plane cuts the block), with the same hue.
  await page.getByTestId('mode-mpr').click();
  const whole: [number, number, number, number] = [0, 0, 1, 1];
  for (const id of ['mpr-axial', 'mpr-sagittal', 'mpr-coronal']) {
    await expect
      .poll(async () => (await regionColour(page, id, whole)).coloured, { timeout: 60_000, message: id })
      .toBeGreaterThan(0.05);
    const c = await regionColour(page, id, whole);
    console.log(`map fusion ${id}: ${(c.coloured * 100).toFixed(1)}% coloured, hue ${c.hue?.toFixed(1)}°`);
    expect(c.coloured, id).toBeLessThan(0.6);
    expect(hueDistance(c.hue!, expectedHue), id).toBeLessThan(8);
  }
  await page.screenshot({ path: shots('overlay-map-fusion-mpr') });
  expect(await page.evaluate(() => (window as any).__qiviewTest.mapVolumes() as string[])).toHaveLength(1);
  // Removed: the colour goes (the viewports are not rebuilt in MPR, the map actor is taken off).
  await page.evaluate(() =>
    (window as any).__qiviewTest.store.getState().removeOverlay('parametric:e2e-fusion'),
  );
  for (const id of ['mpr-axial', 'mpr-sagittal', 'mpr-coronal']) {
    await expect
      .poll(async () => (await regionColour(page, id, whole)).coloured, { timeout: 30_000, message: id })
      .toBeLessThan(0.005);
  }
  // and its float copy leaves Cornerstone's cache once no viewport shows it
  await expect
    .poll(() => page.evaluate(() => (window as any).__qiviewTest.mapVolumes() as string[]), {
      timeout: 10_000,
    })
    .toEqual([]);
  await page.getByTestId('mode-stack').click();
  await waitForImage(page, 'cell-0');
});

test('MPR shows three non-blank planes with crosshairs', async () => {
  await page.getByTestId('mode-mpr').click();
  for (const id of ['mpr-axial', 'mpr-sagittal', 'mpr-coronal']) {
    const s = await waitForImage(page, id);
    expect(s.nonBlank, id).toBeGreaterThan(0.1);
  }
  await expect(page.getByTestId('orient-top').nth(1)).toHaveText('S');
  await expect(page.getByTestId('orient-right').nth(2)).toHaveText('L');
  await page.screenshot({ path: shots('mpr') });
});

test('MIP thick slab renders', async () => {
  await page.getByTestId('mode-mip').click();
  const s = await waitForImage(page, 'mip-axial');
  expect(s.nonBlank).toBeGreaterThan(0.1);
  await page.screenshot({ path: shots('mip') });
});

test('3D volume rendering renders', async () => {
  await page.getByTestId('mode-3d').click();
  const s = await waitForImage(page, 'vr-3d', 0.02, 90_000);
  expect(s.nonBlank).toBeGreaterThan(0.02);
  await page.screenshot({ path: shots('3d') });
  await page.getByTestId('mode-stack').click();
  await waitForImage(page, 'cell-0');
});

test('switching to Chinese changes the visible labels; ? shows the shortcut help', async () => {
  await expect(page.getByTestId('mode-mpr')).toHaveText('MPR');
  await page.selectOption('[data-testid=language]', 'zh-CN');
  await expect(page.getByTestId('mode-mpr')).toHaveText('多平面重建');
  await expect(page.getByTestId('annotation-list')).toContainText('测量');
  await page.keyboard.press('?');
  await expect(page.getByTestId('help-panel')).toContainText('键盘快捷键');
  await page.screenshot({ path: shots('zh-help') });
  await page.keyboard.press('?');
  await page.selectOption('[data-testid=language]', 'en');
  await expect(page.getByTestId('mode-mpr')).toHaveText('MPR');
});

test('a series without geometry opens as a stack with a visible warning', async () => {
  const noGeo = await writeCtSeries(path.join(dir, 'nogeo'), {
    dims: [64, 64, 6],
    noGeometry: true,
    seriesUid: '1.2.826.0.1.3680043.10.1.78',
  });
  await openFiles(page, noGeo);
  await page.getByTestId('mode-mpr').click();
  await expect(page.getByTestId('viewer-warning')).toContainText('opened as a plain stack');
  await waitForImage(page, 'cell-0');
  await page.screenshot({ path: shots('nogeo') });
  await page.getByTestId('mode-stack').click();
});
