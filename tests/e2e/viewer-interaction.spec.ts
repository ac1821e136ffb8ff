/**
 * Viewer interaction (web mode): 1×2 layout with VOI and slice synchronisation, cine, W/L by drag, measurement
 * export (JSON and CSV) and jump. Generated CT phantom (tests/phantoms/ct-series.ts).
 */
import { test, expect } from '@playwright/test';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeCtSeries } from '../phantoms/ct-series';
import { dragInViewport, openFiles, viewportPoint, waitForImage } from './support/viewer-page';

test('1×2 layout syncs W/L and slice; cine steps slices; measurements export as JSON and CSV', async ({
  page,
}) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'qiview-e2e-int-'));
  try {
    const files = await writeCtSeries(dir, {
      dims: [96, 96, 30],
      spacing: [2, 2, 3],
      seriesUid: '1.2.826.0.1.3680043.10.1.79',
    });
    await page.goto('/');
    await page.evaluate(() => localStorage.setItem('qiview.locale', 'en'));
    await page.reload();
    await openFiles(page, files);
    await waitForImage(page, 'cell-0');
    await page.selectOption('[data-testid=layout]', '1x2');
    await waitForImage(page, 'cell-1');
    const readout = (i: number) => page.getByTestId('wl-readout').nth(i);
    // W/L by drag in the left cell; the right cell follows (VOI synchroniser).
    const before = await readout(1).textContent();
    await dragInViewport(page, 'cell-0', [100, 100], [160, 180]);
    await expect(readout(0)).not.toHaveText(before ?? '');
    await expect.poll(async () => readout(1).textContent()).toBe(await readout(0).textContent());
    // Scroll the left cell: the right cell shows the same slice (image slice synchroniser).
    const slice = (i: number) => page.getByTestId(`overlay-cell-${i}`).locator('.ov-tr div').nth(1);
    const s0 = await slice(0).textContent();
    const [x, y] = await viewportPoint(page, 'cell-0', 150, 150);
    await page.mouse.move(x, y);
    for (let k = 0; k < 4; k++) await page.mouse.wheel(0, 120);
    await expect(slice(0)).not.toHaveText(s0 ?? '');
    await expect.poll(async () => slice(1).textContent()).toBe(await slice(0).textContent());
    // Cine (space) advances the slice; space again stops it.
    const c0 = await slice(0).textContent();
    await page.keyboard.press(' ');
    await expect(slice(0)).not.toHaveText(c0 ?? '', { timeout: 10_000 });
    await page.keyboard.press(' ');
    // A length measurement; export JSON and CSV.
    await page.keyboard.press('l');
    await dragInViewport(page, 'cell-0', [60, 60], [160, 60]);
    const row = page.getByTestId('annotation-row');
    await expect(row).toHaveCount(1);
    await expect(row).toContainText('mm');
    const [dj] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export JSON' }).click(),
    ]);
    const json = JSON.parse(readFileSync(await dj.path(), 'utf8')) as Array<{ tool: string; length: number }>;
    expect(json).toHaveLength(1);
    expect(json[0].tool).toBe('Length');
    // 100 screen px measured; the scale bar gives mm per px: the two must agree.
    const bar = page.getByTestId('overlay-cell-0').getByTestId('scale-bar');
    const barPx = await bar.locator('.ov-scale-bar').evaluate((el) => el.getBoundingClientRect().width);
    const label = (await bar.locator('span').textContent()) ?? '';
    const barMm = Number.parseFloat(label) * (label.includes('cm') ? 10 : 1);
    expect(Math.abs(json[0].length - (100 * barMm) / barPx)).toBeLessThan(1.5);
    const [dc] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    const csv = readFileSync(await dc.path(), 'utf8')
      .trim()
      .split('\r\n');
    expect(csv[0].startsWith('uid,tool,')).toBe(true);
    expect(csv).toHaveLength(2);
    // Jump: scroll away, then "Go to" brings the measured slice back.
    const measured = await slice(0).textContent();
    await page.mouse.move(x, y);
    for (let k = 0; k < 5; k++) await page.mouse.wheel(0, 120);
    await expect(slice(0)).not.toHaveText(measured ?? '');
    await row.getByRole('button', { name: 'Go to' }).click();
    await expect(slice(0)).toHaveText(measured ?? '');
    await page.screenshot({ path: path.join('test-results', 'screenshots', 'layout-1x2-sync.png') });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
