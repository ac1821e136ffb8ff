/**
 * Study browser import (web mode, Debian Chromium): a generated CT folder with junk and a truncated file is picked
 * through the browser's "Open folder" (webkitdirectory) input; junk is skipped and listed with reasons, the series
 * lists with a thumbnail and opens on double-click with non-blank pixels. Then the shared real data when present.
 */
import { test, expect, type Page } from '@playwright/test';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeCtSeries } from '../phantoms/ct-series';
import { openAppPage } from './support/app-page';
import { imagePixels } from './support/image-pixels';
import { canvasStats, waitForImage } from './support/viewer-page';

const shots = (name: string) => path.join('test-results', 'screenshots', `${name}.png`);
const SHARED = path.resolve(process.cwd(), '../shared/data');

test.describe.configure({ mode: 'serial' });
let page: Page;
let dir: string;

async function pickFolder(p: Page, folder: string): Promise<void> {
  const chooser = p.waitForEvent('filechooser');
  await p.click('[data-testid=browser-open-folder]');
  await (await chooser).setFiles(folder);
}

test.beforeAll(async ({ browser }) => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'qiview-import-'));
  const folder = path.join(dir, 'study');
  const files = await writeCtSeries(path.join(folder, 'ct'), {
    dims: [96, 96, 24],
    seriesUid: '1.2.826.0.1.3680043.10.1.501',
  });
  writeFileSync(path.join(folder, 'README.txt'), 'This folder holds a CT study.\n');
  const noise = new Uint8Array(4096).map((_, i) => (i * 2654435761) >>> 24);
  writeFileSync(path.join(folder, 'noise.bin'), noise);
  const one = readFileSync(files[5]);
  writeFileSync(path.join(folder, 'truncated.dcm'), one.subarray(0, Math.floor(one.length / 2)));
  page = await openAppPage(browser, { freshLibrary: true });
});

test.afterAll(async () => {
  await page?.close();
  rmSync(dir, { recursive: true, force: true });
});

test('folder with junk and a truncated file: skipped with reasons, the series opens', async () => {
  await pickFolder(page, path.join(dir, 'study'));
  const summary = page.getByTestId('import-summary');
  await expect(summary).toBeVisible();
  await expect(summary).toContainText('27 files read: 24 images added in 1 series; 3 skipped');
  const rows = page.getByTestId('skipped-row');
  await expect(rows).toHaveCount(3);
  await expect(page.locator('[data-testid=skipped-row][data-kind=truncated]')).toContainText('truncated.dcm');
  await expect(page.locator('[data-testid=skipped-row][data-kind=not-dicom]')).toHaveCount(2);
  const series = page.getByTestId('browser-series');
  await expect(series).toHaveCount(1);
  await expect(series.getByTestId('browser-image-count')).toHaveText('24 images');
  await expect(series.getByTestId('browser-thumb')).toBeVisible();
  // the thumbnail shows the phantom, not a black square
  const { data: d } = await imagePixels(series.getByTestId('browser-thumb'));
  let red = 0;
  for (let i = 0; i < d.length; i += 4) red += d[i]!;
  const thumbMean = red / (d.length / 4);
  expect(thumbMean).toBeGreaterThan(20);
  await series.dblclick();
  await waitForImage(page, 'cell-0');
  const s = await canvasStats(page, 'cell-0');
  await page.screenshot({ path: shots('import-folder') });
  expect(s.nonBlank).toBeGreaterThan(0.2);
});

test('search filters and remove keeps nothing of the study in the list', async () => {
  await page.getByTestId('browser-search').fill('no-such-patient-xyz');
  await expect(page.getByTestId('browser-study')).toHaveCount(0);
  await page.getByTestId('browser-search').fill('');
  await expect(page.getByTestId('browser-study')).toHaveCount(1);
  await page.reload();
  // after a reload the list is restored from IndexedDB, and the UI says the files must be picked again
  await expect(page.getByTestId('browser-study')).toHaveCount(1);
  await expect(page.getByTestId('browser-study')).toContainText('open them again');
  await page.getByTestId('browser-remove-study').click();
  await expect(page.getByTestId('browser-study')).toHaveCount(0);
});

for (const [name, sub, minSeries] of [
  ['dicom-conformance', 'dicom-conformance', 3],
  ['ct-totalseg-abdomen (JPEG 2000)', 'ct-totalseg-abdomen/example_ct_dicom', 1],
] as const) {
  test(`shared data: ${name}`, async () => {
    const folder = path.join(SHARED, sub);
    test.skip(!existsSync(folder), `${folder} absent`);
    await pickFolder(page, folder);
    // the previous test's summary is still shown: wait for this import's series, then for the import to end
    const series = page.getByTestId('browser-series');
    await expect.poll(() => series.count(), { timeout: 60_000 }).toBeGreaterThanOrEqual(minSeries);
    await expect(page.getByTestId('browser-open-folder')).toBeEnabled({ timeout: 60_000 });
    // open the series with the most images
    const counts = await series.getByTestId('browser-image-count').allTextContents();
    const best = counts.map((c) => parseInt(c, 10)).reduce((b, n, i, a) => (n > a[b] ? i : b), 0);
    await series.nth(best).dblclick();
    await waitForImage(page, 'cell-0');
    const s = await canvasStats(page, 'cell-0');
    await page.screenshot({ path: shots(`import-${sub.split('/')[0]}`) });
    expect(s.nonBlank).toBeGreaterThan(0.05);
    const remove = page.getByTestId('browser-remove-study');
    for (let n = await remove.count(); n > 0; n--) await remove.first().click();
    await expect(page.getByTestId('browser-study')).toHaveCount(0);
  });
}
