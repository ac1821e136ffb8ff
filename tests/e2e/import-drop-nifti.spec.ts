/**
 * Drag-and-drop import (a synthetic drop of generated DICOM files plus junk onto the study browser) and NIfTI import
 * (shared TotalSegmentator CT, skipped when absent): both list in the browser and open with non-blank pixels.
 */
import { test, expect } from '@playwright/test';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ctSeriesFiles } from '../phantoms/ct-series';
import { dropOnStudyBrowser, loadAppInEnglish, pickInStudyBrowser } from './support/app-page';
import { canvasStats, waitForImage } from './support/viewer-page';

const NIFTI = path.resolve(process.cwd(), '../shared/data/ct-totalseg-abdomen/example_ct_sm.nii.gz');

test('drop files onto the browser: DICOM imported, junk skipped, series opens', async ({ page }) => {
  await loadAppInEnglish(page, { freshLibrary: true });
  const files = await ctSeriesFiles({ dims: [64, 64, 8], seriesUid: '1.2.826.0.1.3680043.10.1.777' });
  await dropOnStudyBrowser(page, [...files, { name: 'notes.txt', bytes: Buffer.from('not an image') }]);
  await expect(page.getByTestId('import-summary')).toContainText(
    '9 files read: 8 images added in 1 series; 1 skipped',
  );
  const series = page.getByTestId('browser-series');
  await expect(series).toHaveCount(1);
  await series.dblclick();
  await waitForImage(page, 'cell-0');
  expect((await canvasStats(page, 'cell-0')).nonBlank).toBeGreaterThan(0.2);
  await page.screenshot({ path: path.join('test-results', 'screenshots', 'import-drop.png') });
});

test('NIfTI volume (shared TotalSegmentator CT) lists and opens', async ({ page }) => {
  test.skip(!existsSync(NIFTI), `${NIFTI} absent`);
  await loadAppInEnglish(page, { freshLibrary: true });
  await pickInStudyBrowser(page, NIFTI);
  await expect(page.getByTestId('import-summary')).toContainText('1 files read');
  const series = page.getByTestId('browser-series');
  await expect(series).toHaveCount(1);
  await series.dblclick();
  await expect(series).toContainText('example_ct_sm.nii.gz');
  await waitForImage(page, 'cell-0');
  // anatomy, not a flat fill: the rendered luminance varies across the viewport
  await expect
    .poll(
      async () => {
        const s = await canvasStats(page, 'cell-0');
        // inside the image only (black letterbox bars would make a flat fill look varied)
        const v = s.samples.filter((x) => x > 10);
        const m = v.reduce((a, b) => a + b, 0) / Math.max(1, v.length);
        return Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / Math.max(1, v.length));
      },
      { timeout: 15_000 },
    )
    .toBeGreaterThan(10);
  await page.screenshot({ path: path.join('test-results', 'screenshots', 'import-nifti.png') });
});
