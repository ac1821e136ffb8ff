/**
 * Transfer syntaxes and odd files from ../shared/data/dicom-conformance (skipped when absent): each file opened alone
 * through the toolbar must render (non-blank canvas) — or, for files that are not plain images, be reported as a
 * per-file problem — and never raise an uncaught page error.
 */
import { test, expect } from '@playwright/test';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { openFiles, waitForImage } from './support/viewer-page';

const ROOT = path.resolve('..', 'shared', 'data', 'dicom-conformance');
/** Files that must render, with what they exercise. */
const RENDER: [string, string][] = [
  ['pydicom-debian/CT_small.dcm', 'explicit VR little endian CT'],
  ['pydicom-debian/MR_small.dcm', 'explicit VR little endian MR'],
  ['pydicom-debian/MR_small_implicit.dcm', 'implicit VR little endian'],
  ['pydicom-debian/MR_small_bigendian.dcm', 'explicit VR big endian'],
  ['pydicom-debian/MR_small_RLE.dcm', 'RLE lossless'],
  ['pydicom-debian/MR_small_jpeg_ls_lossless.dcm', 'JPEG-LS lossless'],
  ['pydicom-debian/MR_small_jp2klossless.dcm', 'JPEG 2000 lossless'],
  ['pydicom-debian/JPEG2000.dcm', 'JPEG 2000'],
  ['pydicom-debian/JPGExtended.dcm', 'JPEG extended (12 bit)'],
  ['nema-wg04-via-dwv/nema-ct1_jpll.dcm', 'JPEG lossless (process 14)'],
  ['nema-wg04-via-dwv/nema-ct1_j2ki.dcm', 'JPEG 2000 (irreversible)'],
  ['pydicom-data/eCT_Supplemental.dcm', 'enhanced CT multi-frame'],
];

for (const [file, what] of RENDER) {
  test(`renders ${file} (${what})`, async ({ page }) => {
    const p = path.join(ROOT, file);
    test.skip(!existsSync(p), `${p} not present`);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto('/');
    await openFiles(page, [p]);
    const s = await waitForImage(page, 'cell-0', 0.01, 30_000);
    expect(s.nonBlank).toBeGreaterThan(0.01);
    await expect(page.getByTestId('viewer-warning')).toHaveCount(0);
    expect(errors).toEqual([]);
    await page.screenshot({
      path: path.join('test-results', 'screenshots', `conformance-${path.basename(file)}.png`),
    });
  });
}

test('a file without preamble/meta and a DICOM SEG never crash the viewer', async ({ page }) => {
  const files = ['pydicom-debian/no_meta.dcm', 'pydicom-debian/liver_1frame.dcm'].map((f) =>
    path.join(ROOT, f),
  );
  test.skip(!files.every((f) => existsSync(f)), 'conformance files not present');
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('/');
  for (const f of files) {
    await openFiles(page, [f]);
    // Either it renders or it is listed as a per-file problem with a reason.
    await expect
      .poll(
        async () =>
          (await page.getByTestId('viewer-warning').count()) > 0 ||
          (await page.locator('[data-viewport-id="cell-0"] canvas').count()) > 0,
        { timeout: 30_000 },
      )
      .toBe(true);
  }
  expect(errors).toEqual([]);
});
