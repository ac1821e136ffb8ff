/**
 * 12-bit JPEG extended CT (1.2.840.10008.1.2.4.51) opened from local files shows the right HU: a rectangle ROI in the
 * phantom's 40 HU body reads 40. The series is the CT phantom (tests/phantoms/ct-series.ts) compressed by DCMTK's
 * `dcmcjpeg +ee` (IJG 12-bit libjpeg); skipped when DCMTK is not installed. The slices go through Qiview's slice-decode
 * workers (core/common/dicom/codecs.ts); the DICOM image loader's own 12-bit decoder would read about 55 HU here
 * (+14/+15 stored values).
 */
import { test, expect } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeCtSeries } from '../phantoms/ct-series';
import { dragInViewport, openFiles, waitForImage } from './support/viewer-page';

const hasDcmcjpeg = spawnSync('dcmcjpeg', ['--version']).status === 0;

test('a 12-bit JPEG extended CT reads its true HU in a rectangle ROI', async ({ page }) => {
  test.skip(!hasDcmcjpeg, 'dcmcjpeg (DCMTK) not installed');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'qiview-e2e-jpeg12-'));
  try {
    const src = await writeCtSeries(path.join(dir, 'src'), {
      dims: [64, 64, 4],
      seriesUid: '1.2.826.0.1.3680043.10.1.412',
    });
    mkdirSync(path.join(dir, 'jpeg'));
    const files = src.map((f) => {
      const out = path.join(dir, 'jpeg', path.basename(f));
      const r = spawnSync('dcmcjpeg', ['+ee', f, out], { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      return out;
    });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto('/');
    await page.evaluate(() => localStorage.setItem('qiview.locale', 'en'));
    await page.reload();
    await openFiles(page, files);
    await waitForImage(page, 'cell-0');
    const box = (await page.locator('[data-viewport-id="cell-0"]').boundingBox())!;
    // The image fills min(width, height); the body (40 HU) has radius 0.4 of it, the 300 HU insert sits ±0.2 along
    // the rows: a rectangle above the centre, within 0.32 of it, holds body only whatever the flips.
    const s = Math.min(box.width, box.height);
    const cx = box.width / 2,
      cy = box.height / 2;
    await page.keyboard.press('r');
    await dragInViewport(page, 'cell-0', [cx - 0.1 * s, cy - 0.3 * s], [cx + 0.1 * s, cy - 0.15 * s]);
    await expect(page.getByTestId('annotation-row')).toHaveCount(1);
    const stats = await page.evaluate(
      () =>
        (
          window as unknown as {
            __qiviewTest: {
              measurements: () => Array<{ tool: string; mean?: number; min?: number; max?: number }>;
            };
          }
        ).__qiviewTest.measurements()[0],
    );
    console.log(
      `12-bit JPEG CT rectangle ROI: mean ${stats.mean} min ${stats.min} max ${stats.max} (truth 40 HU)`,
    );
    expect(stats.tool).toBe('RectangleROI');
    expect(Math.abs(stats.mean! - 40)).toBeLessThan(2);
    expect(stats.min!).toBeGreaterThan(30);
    expect(stats.max!).toBeLessThan(50);
    expect(errors).toEqual([]);
    await page.screenshot({ path: path.join('test-results', 'screenshots', 'viewer-jpeg12-roi.png') });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
