/**
 * A generated NIfTI volume (tests/phantoms/nifti-volume.ts, identity RAS affine) opened through the study browser:
 * the viewer must draw it with its data range (not a flat fill) and in radiological orientation. A bright block at
 * high i (RAS +x = patient RIGHT) and high j (RAS +y = ANTERIOR) must appear upper-left in the axial view.
 */
import { test, expect } from '@playwright/test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeNifti1 } from '../phantoms/nifti-volume';
import { loadAppInEnglish, pickInStudyBrowser } from './support/app-page';
import { canvasStats, waitForImage } from './support/viewer-page';

const [NX, NY, NZ] = [64, 64, 24];
/** Bright block: i, j in [44, 60), all slices (so whichever axial slice is shown contains it). */
const BLOCK = { lo: 44, hi: 60, value: 1000 };

function phantom(): Int16Array {
  const data = new Int16Array(NX * NY * NZ);
  for (let k = 0; k < NZ; k++)
    for (let j = 0; j < NY; j++)
      for (let i = 0; i < NX; i++) {
        const inBlock = i >= BLOCK.lo && i < BLOCK.hi && j >= BLOCK.lo && j < BLOCK.hi;
        // background: a gentle ramp (0..126) so the image is not a constant either
        data[i + NX * (j + NY * k)] = inBlock ? BLOCK.value : i + j;
      }
  return data;
}

let dir: string;
test.beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'qiview-nifti-e2e-'));
});
test.afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('generated NIfTI: drawn with its data range, bright block upper-left (patient right, anterior)', async ({
  page,
}) => {
  const file = path.join(dir, 'block.nii.gz');
  writeFileSync(file, writeNifti1({ dims: [NX, NY, NZ], data: phantom(), gzip: true }));
  page.on('pageerror', (e) => console.error('pageerror:', e.message));
  await loadAppInEnglish(page, { freshLibrary: true });
  await pickInStudyBrowser(page, file);
  await expect(page.getByTestId('import-summary')).toContainText('1 files read');
  const series = page.getByTestId('browser-series');
  await expect(series).toHaveCount(1);
  await series.dblclick();
  await waitForImage(page, 'cell-0');
  // The block (1000) is the data maximum: with the data-range window it is white; the ramp background is dark grey.
  await expect
    .poll(async () => (await canvasStats(page, 'cell-0')).brightCount, { timeout: 15_000 })
    .toBeGreaterThan(50);
  const s = await canvasStats(page, 'cell-0');
  await page.screenshot({ path: path.join('test-results', 'screenshots', 'viewer-nifti.png') });
  const [cx, cy] = s.brightCentroid!;
  const side = Math.min(s.width, s.height);
  // Block centre is at voxel 52 of 64: 0.31 of the field of view from the centre along both axes.
  // Radiological axial view: patient right on screen LEFT, anterior at the TOP. Tolerance: ±0.08 of the FOV.
  const expectOff = ((52 - 32) / 64) * side;
  expect(cx).toBeGreaterThan(s.width / 2 - expectOff - 0.08 * side);
  expect(cx).toBeLessThan(s.width / 2 - expectOff + 0.08 * side);
  expect(cy).toBeGreaterThan(s.height / 2 - expectOff - 0.08 * side);
  expect(cy).toBeLessThan(s.height / 2 - expectOff + 0.08 * side);
  // Not a flat fill: the background inside the image is not all one grey level.
  const inside = s.samples.filter((x) => x > 10 && x < 250);
  expect(new Set(inside).size).toBeGreaterThan(5);
});

test('NIfTI opened with the toolbar file input goes through the library import and is shown', async ({
  page,
}) => {
  const file = path.join(dir, 'toolbar-block.nii.gz');
  writeFileSync(file, writeNifti1({ dims: [NX, NY, NZ], data: phantom(), gzip: true }));
  await loadAppInEnglish(page, { freshLibrary: true });
  await page.setInputFiles('[data-testid=open-files]', file);
  await expect(page.getByTestId('browser-series')).toHaveCount(1);
  await waitForImage(page, 'cell-0');
  await expect
    .poll(async () => (await canvasStats(page, 'cell-0')).brightCount, { timeout: 15_000 })
    .toBeGreaterThan(50);
  // no "not DICOM" problem is reported for the NIfTI file
  await expect(page.getByTestId('viewer-warning').filter({ hasText: 'toolbar-block.nii.gz' })).toHaveCount(0);
});
