/**
 * Bad input through the study browser: every broken file of tests/phantoms/ct-bad-files.ts is listed with its kind
 * and a reason; a series without geometry lists with a visible warning and opens as a plain stack; a later bad import
 * does not lose what was already imported.
 */
import { test, expect } from '@playwright/test';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ctBadFiles } from '../phantoms/ct-bad-files';
import { ctSeriesFiles } from '../phantoms/ct-series';
import { canvasStats, waitForImage } from './support/viewer-page';

test('bad files reported per file; no-geometry series opens as a stack with a warning; nothing lost', async ({
  page,
}) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'qiview-bad-'));
  try {
    const bad = await ctBadFiles();
    mkdirSync(path.join(dir, 'bad'));
    for (const b of bad) writeFileSync(path.join(dir, 'bad', b.name), b.bytes);
    mkdirSync(path.join(dir, 'nogeo'));
    const nogeo = await ctSeriesFiles({
      dims: [64, 64, 6],
      noGeometry: true,
      seriesUid: '1.2.826.0.1.3680043.10.1.4242',
    });
    for (const f of nogeo) writeFileSync(path.join(dir, 'nogeo', f.name), f.bytes);

    await page.goto('/');
    await page.evaluate(() => {
      localStorage.setItem('qiview.locale', 'en');
      indexedDB.deleteDatabase('qiview-study-browser');
    });
    await page.reload();
    const pick = async (folder: string) => {
      const chooser = page.waitForEvent('filechooser');
      await page.click('[data-testid=browser-open-folder]');
      await (await chooser).setFiles(folder);
    };
    await pick(path.join(dir, 'nogeo'));
    const series = page.getByTestId('browser-series');
    await expect(series).toHaveCount(1);
    await expect(series.getByTestId('browser-series-warning')).toContainText('opens as a plain stack');
    await series.dblclick();
    await waitForImage(page, 'cell-0');
    expect((await canvasStats(page, 'cell-0')).nonBlank).toBeGreaterThan(0.2);

    await pick(path.join(dir, 'bad'));
    await expect(page.getByTestId('import-summary')).toContainText(
      `${bad.length} files read: 0 images added`,
    );
    for (const b of bad) {
      const row = page.locator('[data-testid=skipped-row]', { hasText: b.name });
      await expect(row).toHaveAttribute('data-kind', b.expectKind);
    }
    // the earlier series is still listed
    await expect(page.getByTestId('browser-series')).toHaveCount(1);
    await page.screenshot({ path: path.join('test-results', 'screenshots', 'bad-input-browser.png') });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
