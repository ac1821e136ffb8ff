/**
 * Results are kept and come back (web mode, Debian Chromium, the real app build): the example plugin run on the
 * generated CT phantom (tests/phantoms/ct-series.ts: a 300 HU insert) is stored in the IndexedDB library; after a page
 * reload the Results history re-opens it with the same values and its overlay without running the plugin; the SEG
 * and SR it exports (real downloads), opened again after another reload through the toolbar, go back onto the CT
 * series with the same voxel count and mean HU; a SEG whose series is not open gets a message naming that series.
 */
import { test, expect, type Page } from '@playwright/test';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ParametricMap } from '@qiview/sdk';
import { writeParametricMap } from '../../core/common/results/write-parametric-map';
import { ctSeriesExpectedHu, ctSeriesGeometry, writeCtSeries } from '../phantoms/ct-series';
import { dropOnStudyBrowser, measuredValue, openAppPage } from './support/app-page';
import { EXAMPLE_PLUGIN as EXAMPLE, exampleCt, phantomVoxels } from './support/example-phantom';
import { canvasStats, openFiles, redCentroidX, sampleDifference, waitForImage } from './support/viewer-page';
import { hueDistance, hueOf, regionColour } from './support/colour-regions';
import { colormapColor } from '../../renderer/results/colormaps';

const PHANTOM = exampleCt('1.2.826.0.1.3680043.10.1.89');
const shots = (name: string) => path.join('test-results', 'screenshots', `results-reload-${name}.png`);

test.describe.configure({ mode: 'serial' });
let page: Page;
let dir: string;
let files: string[];
const downloads: Record<string, string> = {};
/** Values shown right after the run. */
let first: { voxels: number; meanHu: number; sdHu: number; volumeMl: number; resultId: string };

test.beforeAll(async ({ browser }) => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'qiview-e2e-results-'));
  files = await writeCtSeries(path.join(dir, 'ct'), PHANTOM);
  page = await openAppPage(browser, { acceptDownloads: true });
});

test.afterAll(async () => {
  await page?.close();
  rmSync(dir, { recursive: true, force: true });
});

const measured = (key: string) => measuredValue(page, key);

async function openCt(): Promise<void> {
  await openFiles(page, files);
  await waitForImage(page, 'cell-0');
}

test('a finished run is stored and listed in the Results history', async () => {
  await openCt();
  await page.selectOption('[data-testid=plugin-select]', EXAMPLE);
  await expect(page.getByTestId('results-history')).toContainText('No stored results');
  await page.getByTestId('plugin-run').click();
  await expect(page.getByTestId('plugin-done')).toBeVisible({ timeout: 60_000 });
  const insert = phantomVoxels(PHANTOM, 300).count;
  first = {
    voxels: await measured('voxel_count'),
    meanHu: await measured('mean_hu'),
    sdHu: await measured('sd_hu'),
    volumeMl: await measured('volume_ml'),
    resultId: '',
  };
  expect(first.voxels).toBe(insert);
  expect(Math.abs(first.meanHu - 300)).toBeLessThanOrEqual(0.5);
  const item = page.getByTestId('history-item');
  await expect(item).toHaveCount(1);
  await expect(item).toHaveAttribute('data-status', 'done');
  await expect(item).toContainText('Example: threshold + largest component');
  await expect(item).toHaveAttribute('aria-current', 'true');
  first.resultId = (await item.getAttribute('data-result-id'))!;
  expect(first.resultId).toMatch(/^result-[0-9a-f]{32}$/);
  // the record in the same IndexedDB library the study browser uses: provenance, status, input series
  const record = await page.evaluate(async (id) => {
    const db = await new Promise<IDBDatabase>((res, rej) => {
      const r = indexedDB.open('qiview-library');
      r.onsuccess = () => res(r.result);
      r.onerror = () => rej(r.error);
    });
    const get = <T>(store: string, key: IDBValidKey) =>
      new Promise<T>((res, rej) => {
        const r = db.transaction(store).objectStore(store).get(key);
        r.onsuccess = () => res(r.result as T);
        r.onerror = () => rej(r.error);
      });
    const rec = JSON.parse((await get<{ json: string }>('results', id)).json);
    const labels = await get<{ bytes: Uint8Array }>('resultBlobs', [id, 'labelmap/example-component']).catch(
      () => null,
    );
    const names = await new Promise<IDBValidKey[]>((res) => {
      const r = db.transaction('resultBlobs').objectStore('resultBlobs').getAllKeys();
      r.onsuccess = () => res(r.result);
    });
    db.close();
    return { rec, names, labelBytes: labels?.bytes?.length ?? null };
  }, first.resultId);
  expect(record.rec).toMatchObject({
    pluginId: EXAMPLE,
    status: 'done',
    inputSeriesUids: [PHANTOM.seriesUid],
  });
  expect(record.rec.pluginVersion).toMatch(/^\d+\.\d+\.\d+/);
  for (const v of Object.values(record.rec.modelVersions)) expect(v).toMatch(/^sha256:[0-9a-f]{64}$/);
  expect(Object.keys(record.rec.modelVersions).length).toBeGreaterThan(0);
  expect(record.rec.payload.document.provenance.parameters).toMatchObject({ lowerHu: 100, upperHu: 400 });
  // the label map itself, one byte per voxel of the CT grid
  expect(record.labelBytes).toBe(96 * 96 * 24);
  console.log(
    `stored ${first.resultId}: ${first.voxels} voxels, mean ${first.meanHu} HU; attachments`,
    JSON.stringify(record.names),
  );
});

test('after a reload the history re-opens the result: same values, overlay drawn, no plugin run', async () => {
  await page.reload();
  await openCt();
  await expect(page.getByTestId('results-panel')).toHaveCount(0);
  expect(await redCentroidX(page, 'cell-0')).toBe(-1);
  const item = page.locator(`[data-testid=history-item][data-result-id="${first.resultId}"]`);
  await expect(item).toBeVisible();
  await item.getByTestId('history-open').click();
  await expect(page.getByTestId('results-origin')).toHaveAttribute('data-origin', 'history');
  await expect(page.getByTestId('plugin-done')).toHaveCount(0);
  await expect(page.getByTestId('plugin-progress')).toHaveCount(0);
  expect(await measured('voxel_count')).toBe(first.voxels);
  expect(await measured('mean_hu')).toBe(first.meanHu);
  expect(await measured('sd_hu')).toBe(first.sdHu);
  expect(await measured('volume_ml')).toBe(first.volumeMl);
  await expect(page.getByTestId('results-provenance')).toContainText(EXAMPLE);
  await expect.poll(() => redCentroidX(page, 'cell-0'), { timeout: 15_000 }).toBeGreaterThan(0.55);
  console.log('history re-open: red centroid x', (await redCentroidX(page, 'cell-0')).toFixed(3));
  await page.screenshot({ path: shots('history') });
  // the recorded plugin and parameters are back in the form: Run reproduces the same numbers
  await expect(page.getByTestId('plugin-select')).toHaveValue(EXAMPLE);
  await expect(page.getByTestId('plugin-param-lowerHu')).toHaveValue('100');
  await expect(page.getByTestId('plugin-param-upperHu')).toHaveValue('400');
  await page.getByTestId('plugin-run').click();
  await expect(page.getByTestId('plugin-done')).toBeVisible({ timeout: 60_000 });
  expect(await measured('voxel_count')).toBe(first.voxels);
  expect(await measured('mean_hu')).toBe(first.meanHu);
  // a second stored run of the same study, newest first
  await expect(page.getByTestId('history-item')).toHaveCount(2);
  await expect(page.getByTestId('history-item').nth(1)).toHaveAttribute('data-result-id', first.resultId);
});

test('exported SEG + SR (downloads) open again after a reload onto the CT series with the same values', async () => {
  for (const kind of ['seg', 'sr', 'json']) {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator(`[data-testid=export-buttons] button[data-kind=${kind}]`).click(),
    ]);
    const to = path.join(dir, 'out', download.suggestedFilename());
    await download.saveAs(to);
    downloads[kind] = to;
  }
  const seg = readFileSync(downloads.seg);
  expect(seg.subarray(128, 132).toString('latin1')).toBe('DICM');
  await page.reload();
  await openCt();
  expect(await redCentroidX(page, 'cell-0')).toBe(-1);
  await openFiles(page, [downloads.seg, downloads.sr]);
  await expect(page.getByTestId('results-origin')).toHaveAttribute('data-origin', 'files');
  await expect(page.getByTestId('results-origin')).toContainText(path.basename(downloads.seg));
  await expect(page.getByTestId('result-files-error')).toHaveCount(0);
  expect(await measured('voxel_count')).toBe(first.voxels);
  expect(await measured('mean_hu')).toBe(first.meanHu);
  expect(await measured('volume_ml')).toBe(first.volumeMl);
  await expect(page.getByTestId('results-panel')).toContainText('Largest component');
  await expect.poll(() => redCentroidX(page, 'cell-0'), { timeout: 15_000 }).toBeGreaterThan(0.55);
  console.log(
    'SEG+SR re-open: voxel_count',
    await measured('voxel_count'),
    'mean_hu',
    await measured('mean_hu'),
    'red centroid x',
    (await redCentroidX(page, 'cell-0')).toFixed(3),
  );
  await page.screenshot({ path: shots('files') });
  // the result JSON alone: values and provenance, put on its input series
  await openFiles(page, [downloads.json]);
  await expect(page.getByTestId('results-origin')).toContainText(path.basename(downloads.json));
  expect(await measured('voxel_count')).toBe(first.voxels);
  await expect(page.getByTestId('results-provenance')).toContainText(EXAMPLE);
});

test('a SEG whose series is not open gets a message naming that series', async () => {
  await page.reload();
  await openFiles(page, [downloads.seg]);
  const msg = page.getByTestId('result-files-error');
  await expect(msg).toContainText(PHANTOM.seriesUid!);
  await expect(msg).toContainText('not open');
  await expect(page.getByTestId('results-panel')).toHaveCount(0);
});

test('a parametric map written on the CT grid opens onto the CT series as an overlay with its values', async () => {
  // a float map of the phantom's own HU, as a plugin would return it, saved as a DICOM Parametric Map
  const g = ctSeriesGeometry(PHANTOM);
  const hu = ctSeriesExpectedHu(PHANTOM);
  const map: ParametricMap = {
    id: 'hu-map',
    name: 'HU map',
    volume: {
      geometry: { dimensions: g.dims, spacing: g.spacing, origin: g.origin, direction: g.direction },
      data: Float32Array.from(hu),
      frames: 1,
      unit: 'HU',
      metadata: { modality: 'CT', seriesInstanceUid: PHANTOM.seriesUid },
      warnings: [],
    },
    display: { colormap: 'hot', range: [0, 400] },
    referencedSeriesUid: PHANTOM.seriesUid,
  };
  mkdirSync(path.join(dir, 'out'), { recursive: true });
  const pm = path.join(dir, 'out', 'hu-map-pm.dcm');
  writeFileSync(
    pm,
    writeParametricMap(map, {
      StudyInstanceUID: '1.2.826.0.1.3680043.10.1.1',
      SeriesInstanceUID: PHANTOM.seriesUid,
      Modality: 'CT',
    }),
  );
  await page.reload();
  await openCt();
  const before = await canvasStats(page, 'cell-0');
  await openFiles(page, [pm]);
  await expect(page.getByTestId('results-origin')).toContainText('hu-map-pm.dcm');
  const panel = page.getByTestId('results-panel');
  await expect(panel).toContainText('HU map');
  // the range inputs exist only when the map is an overlay on the open series
  await expect(panel.getByLabel('Highest value shown')).toHaveValue('400');
  await expect(page.getByTestId('colorbar').first()).toBeVisible();
  // the overlay in the viewer store: on the CT series, every voxel where it was written (values compared exactly)
  const placed = await page.evaluate(
    ({ seriesKey }) => {
      const st = (window as any).__qiviewTest.store.getState();
      const o = st.overlays.find((x: any) => x.kind === 'parametric');
      if (!o) return null;
      const d = o.map.volume.data as Float32Array;
      let sum = 0,
        n300 = 0;
      for (let i = 0; i < d.length; i++) {
        sum += d[i];
        if (d[i] === 300) n300++;
      }
      return { onSeries: o.seriesKey === seriesKey, length: d.length, sum, n300 };
    },
    { seriesKey: PHANTOM.seriesUid! },
  );
  let sum = 0;
  for (const v of hu) sum += v;
  expect(placed).toEqual({
    onSeries: true,
    length: hu.length,
    sum,
    n300: hu.filter((v) => v === 300).length,
  });
  // drawn as a colour fusion (hot, 0–400, opacity 0.6): the 40 HU body dark red, the 300 HU insert (screen right,
  // patient left) yellow, air (below 0) left grey
  await expect
    .poll(async () => (await regionColour(page, 'cell-0', [0, 0, 1, 1])).coloured, { timeout: 60_000 })
    .toBeGreaterThan(0.2);
  const insert = await regionColour(page, 'cell-0', [0.66, 0.46, 0.74, 0.54]);
  const air = await regionColour(page, 'cell-0', [0.01, 0.01, 0.06, 0.06]);
  const diff = sampleDifference(before, await canvasStats(page, 'cell-0'));
  console.log(
    `parametric map re-open: ${placed!.length} voxels, sum ${placed!.sum} HU as written; mean |Δ luminance| ${diff.toFixed(1)}; ` +
      `insert ${(insert.coloured * 100).toFixed(0)}% coloured, hue ${insert.hue?.toFixed(1)}° (hot(0.75) ${hueOf(colormapColor('hot', 0.75))}°); air ${(air.coloured * 100).toFixed(1)}% coloured`,
  );
  await page.screenshot({ path: shots('pm') });
  expect(diff).toBeGreaterThan(5);
  expect(insert.coloured).toBeGreaterThan(0.9);
  expect(hueDistance(insert.hue!, hueOf(colormapColor('hot', 0.75))!)).toBeLessThan(8);
  expect(air.coloured).toBeLessThan(0.01);
});

test('dropped on the study browser with its CT: the CT is imported and opened, SEG + SR go onto it', async () => {
  await page.reload();
  await dropOnStudyBrowser(
    page,
    [...files, downloads.seg, downloads.sr].map((f) => ({ name: path.basename(f), bytes: readFileSync(f) })),
  );
  // the two result files are not images: only the CT slices are imported
  await expect(page.getByTestId('import-summary')).toContainText(`${files.length} images added in 1 series`);
  await expect(page.getByTestId('results-origin')).toHaveAttribute('data-origin', 'files');
  await waitForImage(page, 'cell-0');
  expect(await measured('voxel_count')).toBe(first.voxels);
  expect(await measured('mean_hu')).toBe(first.meanHu);
  await expect.poll(() => redCentroidX(page, 'cell-0'), { timeout: 15_000 }).toBeGreaterThan(0.55);
  await page.screenshot({ path: shots('drop') });
});
