/**
 * Real data (skipped when ../shared/data is absent): TotalSegmentator's 20-slice abdominal CT, JPEG 2000 DICOM.
 */
import { test, expect } from '@playwright/test';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { canvasStats, openFiles, waitForImage } from './support/viewer-page';

const DIR = path.resolve('..', 'shared', 'data', 'ct-totalseg-abdomen', 'example_ct_dicom');

test('ct-totalseg-abdomen (JPEG 2000) renders with the spine posterior and MPR planes', async ({ page }) => {
  test.skip(!existsSync(DIR), `${DIR} not present`);
  const files = readdirSync(DIR)
    .filter((f) => !f.startsWith('.'))
    .map((f) => path.join(DIR, f));
  await page.goto('/');
  await openFiles(page, files);
  await waitForImage(page, 'cell-0', 0.1);
  await page.selectOption('[data-testid=window-preset]', 'bone');
  await page.waitForTimeout(500);
  // Bone window: the vertebral body is the brightest structure, and it is posterior (screen bottom half).
  const s = await canvasStats(page, 'cell-0', 200);
  expect(s.nonBlank).toBeGreaterThan(0.2);
  expect(s.brightCentroid).not.toBeNull();
  expect(s.brightCentroid![1]).toBeGreaterThan(s.height / 2);
  await expect(page.getByTestId('orient-top').first()).toHaveText('A');
  await page.screenshot({ path: path.join('test-results', 'screenshots', 'real-ct-abdomen.png') });
  await page.getByTestId('mode-mpr').click();
  // 20 slices × 2 mm: the sagittal and coronal planes are a thin band across a 500 mm field of view.
  expect((await waitForImage(page, 'mpr-axial')).nonBlank).toBeGreaterThan(0.05);
  for (const id of ['mpr-sagittal', 'mpr-coronal']) {
    expect((await waitForImage(page, id, 0.005)).nonBlank).toBeGreaterThan(0.005);
  }
  await page.screenshot({ path: path.join('test-results', 'screenshots', 'real-ct-abdomen-mpr.png') });
});
