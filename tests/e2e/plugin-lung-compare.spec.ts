/**
 * "Compare with prior" on a lung follow-up result (web mode, Debian Chromium, the real app build): two chest-phantom
 * CT studies of one patient (2024 healthy prior; 2025 fibrotic current) picked in the study browser, the lung plugin
 * run on the 2025 series with the 2024 study as prior (from the library, not opened). The prior's table is 30 mm
 * further in z (and the patient turned 4°, tilted 2°, moved 6/−4 mm): its voxels are the current's anatomy grid, only
 * its patient coordinates moved, so the same anatomy is the same slice index in both. A bright landmark (a 3000 HU
 * bead in the air at the image's top-left corner, 3 slices thick) is in both. Compare puts the current series with the
 * density change map in the left cell of a 1×2 layout and the prior in the right; slices follow THROUGH the result's
 * registration (scrolling the current to the landmark shows the landmark in the prior too), W/L follows. Without the
 * relation (plain 1×2 sync by patient position) the prior is ~19 slices (30 mm) off and the landmark is not there.
 * (Kept apart from plugin-lung-prior.spec.ts, which checks the prior choice and the registration the run used.)
 */
import { test, expect, type Page } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chestPhantom } from '../phantoms/chest-phantom';
import { moveRigidly } from '../phantoms/rigid-move';
import { openAppPage, pickInStudyBrowser } from './support/app-page';
import { writeLungFollowUpStudies } from './support/lung-follow-up-studies';
import { regionColour } from './support/colour-regions';
import { dragInViewport, viewportPoint, waitForImage } from './support/viewer-page';

const LUNG = 'org.qiview.lung-fibrosis';

test.describe.configure({ mode: 'serial' });
let page: Page;
let dir: string;
let files: string[] = [];

/** The prior's move in patient space (table 30 mm further in z). */
const MOVE = { tiltDeg: 2, turnDeg: 4, shift: [6, -4, 30] as [number, number, number] };
/** Landmark: data slices LANDMARK_K − 1 … LANDMARK_K + 1, voxels i, j in [6, 16) (air, top-left of the image). */
const LANDMARK_K = 60;
/** The landmark's neighbourhood as fractions of the image square (224 × 168 voxels fit its width). */
const LANDMARK_BOX: [number, number, number, number] = [0, 0.13, 0.1, 0.22];

function addLandmark(v: { data: Int16Array; geometry: { dimensions: [number, number, number] } }): void {
  const [nx, ny] = v.geometry.dimensions;
  for (let k = LANDMARK_K - 1; k <= LANDMARK_K + 1; k++)
    for (let j = 6; j < 16; j++) for (let i = 6; i < 16; i++) v.data[i + nx * (j + ny * k)] = 3000;
}

test.beforeAll(async ({ browser }) => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'qiview-e2e-lung-compare-'));
  const prior = chestPhantom({ healthy: true, seed: 11 });
  addLandmark(prior.volume);
  moveRigidly(prior.volume, MOVE);
  const current = chestPhantom();
  addLandmark(current.volume);
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

/**
 * Pixels brighter than luminance 200 in a region (fractions of the image square) of a viewport's canvas: the 3000 HU bead is white in
 * any CT window, air black; in the current cell the change map (0 outside the lungs, the middle of its colour map)
 * greys the air to ~160 and the bead stays above 230.
 */
async function brightPixels(id: string, [x0, y0, x1, y1]: [number, number, number, number]): Promise<number> {
  return page.evaluate(
    ({ id, box }) => {
      const canvas = document.querySelector(`[data-viewport-id="${id}"] canvas`) as HTMLCanvasElement | null;
      if (!canvas) throw new Error(`no canvas in viewport ${id}`);
      const [w, h] = [canvas.width, canvas.height];
      const tmp = document.createElement('canvas');
      [tmp.width, tmp.height] = [w, h];
      const ctx = tmp.getContext('2d')!;
      ctx.drawImage(canvas, 0, 0);
      const d = ctx.getImageData(0, 0, w, h).data;
      const side = Math.min(w, h);
      const [left, top] = [(w - side) / 2, (h - side) / 2];
      let n = 0;
      for (let y = Math.round(top + box[1] * side); y < Math.round(top + box[3] * side); y++)
        for (let x = Math.round(left + box[0] * side); x < Math.round(left + box[2] * side); x++) {
          const i = 4 * (y * w + x);
          if (0.299 * d[i]! + 0.587 * d[i + 1]! + 0.114 * d[i + 2]! > 200) n++;
        }
      return n;
    },
    { id, box: [x0, y0, x1, y1] },
  );
}

/** Wheel steps in a cell, one slice at a time, until its landmark shows (first one way, then the other). */
async function scrollToLandmark(id: string): Promise<number> {
  const [x, y] = await viewportPoint(page, id, 150, 150);
  await page.mouse.move(x, y);
  for (const [dir, steps] of [
    [120, 40],
    [-120, 80],
  ] as const) {
    for (let i = 0; i < steps; i++) {
      if ((await brightPixels(id, LANDMARK_BOX)) > 20) return sliceOf(id);
      const before = await sliceOf(id);
      await page.mouse.wheel(0, dir);
      await expect.poll(() => sliceOf(id)).not.toBe(before);
      await page.waitForTimeout(100);
    }
  }
  throw new Error(`no landmark found in ${id}`);
}

/** The viewer store's registrations between series (test hooks). */
function relations(): Promise<Array<{ fixedKey: string; movingKey: string; matrix: number[] }>> {
  return page.evaluate(
    () =>
      (
        window as unknown as {
          __qiviewTest: {
            store: {
              getState(): { relations: Array<{ fixedKey: string; movingKey: string; matrix: number[] }> };
            };
          };
        }
      ).__qiviewTest.store.getState().relations,
  );
}

/** The slice number n of a viewport overlay's readout "n / N". */
async function sliceOf(id: string): Promise<number> {
  const text = (await page.locator(`[data-testid=overlay-${id}] .ov-tr`).textContent()) ?? '';
  return Number(/(\d+) \/ \d+/.exec(text)?.[1] ?? NaN);
}

test('follow-up run on the 2025 series with the 2024 study as prior', async () => {
  await pickInStudyBrowser(page, files);
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
  // the result's registration relates the two series in the viewer: prior = A·x + b ≈ the true move (b: 30 mm in z)
  const rel = await relations();
  expect(rel).toHaveLength(1);
  expect(rel[0]!.matrix[11]).toBeGreaterThan(28);
  expect(rel[0]!.matrix[11]).toBeLessThan(32);
  // scrolled to the landmark slice, the current cell shows the bead and the prior cell shows it too: the same anatomy
  await page.waitForTimeout(500);
  const s0 = [await scrollToLandmark('cell-0'), 0];
  await expect.poll(() => brightPixels('cell-1', LANDMARK_BOX), { timeout: 10_000 }).toBeGreaterThan(20);
  await page.waitForTimeout(300);
  s0[1] = await sliceOf('cell-1');
  const beadPixels = [await brightPixels('cell-0', LANDMARK_BOX), await brightPixels('cell-1', LANDMARK_BOX)];
  // the prior's slice is the landmark's own data slice (60 ± 1, its stack numbers from 1), the same data slice as the
  // current's (its volume viewport numbers them from the other end: data slice = 150 − n), within one slice ...
  expect(Math.abs(s0[1] - (LANDMARK_K + 1))).toBeLessThanOrEqual(1);
  expect(Math.abs(150 - s0[0] - (s0[1] - 1))).toBeLessThanOrEqual(1);
  // ... and scrolling keeps them together both ways: the left cell (a volume viewport with the overlays, numbering its
  // slices from the other end) moves the right, the right (the prior) moves the left through the inverse
  const [x, y] = await viewportPoint(page, 'cell-0', 150, 150);
  const scroll = async (before: number[], at: [number, number] = [x, y]) => {
    await page.mouse.move(at[0], at[1]);
    for (let i = 0; i < 5; i++) await page.mouse.wheel(0, 120);
    await expect.poll(() => sliceOf('cell-0')).not.toBe(before[0]);
    await expect.poll(() => sliceOf('cell-1')).not.toBe(before[1]);
    await page.waitForTimeout(500);
    return [await sliceOf('cell-0'), await sliceOf('cell-1')];
  };
  const s1 = await scroll(s0);
  const s2 = await scroll(s1, await viewportPoint(page, 'cell-1', 150, 150));
  expect(Math.abs(s1[0] - s0[0])).toBeGreaterThanOrEqual(3);
  expect(Math.abs(s2[1] - s1[1])).toBeGreaterThanOrEqual(3);
  expect(Math.abs(s1[0] + s1[1] - (s0[0] + s0[1]))).toBeLessThanOrEqual(1);
  expect(Math.abs(s2[0] + s2[1] - (s0[0] + s0[1]))).toBeLessThanOrEqual(1);
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
      matrix: rel[0]!.matrix.map((v) => Number(v.toFixed(3))),
      landmark: s0,
      beadPixels,
      s1,
      s2,
      wl0,
      wl1: await wl(),
    }),
  );
  await page.screenshot({ path: path.join('test-results', 'screenshots', 'plugin-lung-prior-compare.png') });
  registered = s0;
  registeredMatrix = rel[0]!.matrix;
});

/** Slices [current, prior] at the landmark with the registration relation, and its matrix (set by the test above). */
let registered: number[] = [];
let registeredMatrix: number[] = [];

test('without the registration (plain 1×2 sync by patient position) the prior is 30 mm off', async () => {
  expect(registered).toHaveLength(2);
  // a 1×1 layout shows one series: the relation goes
  await page.selectOption('[data-testid=layout]', '1x1');
  await expect.poll(async () => (await relations()).length).toBe(0);
  // the same two series side by side again, by hand: 1×2, the prior opened into the right cell
  await page.selectOption('[data-testid=layout]', '1x2');
  await page.getByTestId('viewport-cell-1').click({ position: { x: 20, y: 20 } });
  await page.getByTestId('browser-series').filter({ hasText: 'Chest 2024' }).dblclick();
  await expect(page.getByTestId('overlay-cell-1').getByTestId('patient-text')).toContainText('Chest 2024');
  await waitForImage(page, 'cell-0');
  await waitForImage(page, 'cell-1');
  expect(await relations()).toHaveLength(0);
  await page.waitForTimeout(500);
  const plain = [await scrollToLandmark('cell-0'), 0];
  await page.waitForTimeout(500);
  plain[1] = await sliceOf('cell-1');
  const priorBead = await brightPixels('cell-1', LANDMARK_BOX);
  console.log(JSON.stringify({ registered, plain, priorBead }));
  // the current cell is at the landmark again; the prior is 30 mm / 1.6 mm ≈ 19 slices away from it, landmark unseen
  expect(Math.abs(plain[0] - registered[0]!)).toBeLessThanOrEqual(1);
  expect(Math.abs(plain[1] - registered[1]!)).toBeGreaterThanOrEqual(16);
  expect(Math.abs(plain[1] - registered[1]!)).toBeLessThanOrEqual(22);
  expect(priorBead).toBe(0);
});

test('re-opened from the Results history (the stored record), Compare pairs the slices through the registration again', async () => {
  // both series are open (the test above); the run is re-opened from its record in the browser's library
  await page.getByTestId('history-item').first().getByTestId('history-open').click();
  await expect(page.getByTestId('results-origin')).toHaveAttribute('data-origin', 'history');
  await page.getByTestId('results-compare-prior').click();
  await expect.poll(async () => (await relations()).length).toBe(1);
  expect((await relations())[0]!.matrix).toEqual(registeredMatrix);
  await waitForImage(page, 'cell-0');
  await waitForImage(page, 'cell-1');
  await page.waitForTimeout(500);
  const again = [await scrollToLandmark('cell-0'), 0];
  await expect.poll(() => brightPixels('cell-1', LANDMARK_BOX), { timeout: 10_000 }).toBeGreaterThan(20);
  again[1] = await sliceOf('cell-1');
  console.log(JSON.stringify({ reopened: again }));
  expect(Math.abs(again[1] - registered[1]!)).toBeLessThanOrEqual(1);
});
