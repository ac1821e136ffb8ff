/**
 * pCASL from ASL-BIDS NIfTI in the workstation (web mode, Debian Chromium, the real app build): the ASLDRO set
 * (../shared/data/asl-dro-asldro-A, skipped when absent) picked in the study browser as `sub-dro_asl.nii.gz` with its
 * `sub-dro_asl.json` sidecar and `sub-dro_aslcontext.tsv`, plus the ground truth's pure-GM/WM labels as a BIDS dseg
 * (`sub-dro_dseg.nii.gz` + `.tsv`, written by the test). The sidecar and table are kept with the NIfTI (not skipped),
 * the dseg fills the plugin's `roi` input from the library (same BIDS set, not opened), and the panel's run gives the
 * pure-GM median CBF of expected_values.json (white-paper analytic 45.81; qiview batch gave 46.08) with PLD, label
 * duration and efficiency from the sidecar. A second run takes the M0 from a separate `sub-dro_m0scan.nii.gz`.
 */
import { test, expect, type Page } from '@playwright/test';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readNifti } from '../../core/common/nifti/read-nifti';
import { writeNifti } from '../../core/common/results';
import { DRO_DIR, hasDro } from '../phantoms/asl-dro-input';
import { makeMultiPldPhantom } from '../phantoms/asl-multi-pld';
import { pickInStudyBrowser } from './support/app-page';

const ASL = 'org.qiview.asl-perfusion';

test.describe.configure({ mode: 'serial' });

let page: Page;
let dir: string;
let expected: Record<string, any>;

test.beforeAll(async ({ browser }) => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'qiview-e2e-asl-bids-'));
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.on('pageerror', (e) => console.error('pageerror:', e.message));
  await page.goto('/');
  await page.evaluate(() => {
    localStorage.setItem('qiview.locale', 'en');
    indexedDB.deleteDatabase('qiview-study-browser');
  });
  await page.reload();
  if (!hasDro()) return;
  for (const [from, to] of [
    ['001_asl.nii.gz', 'sub-dro_asl.nii.gz'],
    ['001_asl.json', 'sub-dro_asl.json'],
    ['001_aslcontext.tsv', 'sub-dro_aslcontext.tsv'],
  ])
    copyFileSync(path.join(DRO_DIR, 'asl', from!), path.join(dir, to!));
  const truth = readNifti(
    new Uint8Array(readFileSync(path.join(DRO_DIR, 'ground_truth', '002_ground_truth_seg_label.nii.gz'))),
  );
  const labels = Uint8Array.from(truth.data as ArrayLike<number>, (s) =>
    Math.abs(s - 1) < 0.01 ? 1 : Math.abs(s - 2) < 0.01 ? 2 : 0,
  );
  writeFileSync(
    path.join(dir, 'sub-dro_dseg.nii.gz'),
    writeNifti({ ...truth, data: labels, frames: 1, unit: '1', warnings: [] }, { description: 'dro dseg' }),
  );
  writeFileSync(path.join(dir, 'sub-dro_dseg.tsv'), 'index\tname\n1\tpure GM\n2\tpure WM\n');
  expected = JSON.parse(readFileSync(path.join(DRO_DIR, 'expected_values.json'), 'utf8'));
});

test.afterAll(async () => {
  await page?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function pick(names: string[]): Promise<void> {
  await pickInStudyBrowser(
    page,
    names.map((n) => path.join(dir, n)),
  );
}

async function measured(key: string): Promise<number> {
  const cell = page.locator(`[data-testid=measurement-table] tr[data-key="${key}"] td`).first();
  return Number((await cell.textContent())!.replace(/[,\s]/g, ''));
}

async function runAndWait(): Promise<void> {
  await page.getByTestId('plugin-run').click();
  await expect(page.getByTestId('plugin-done').or(page.getByTestId('plugin-error'))).toBeVisible({
    timeout: 120_000,
  });
  await expect(page.getByTestId('plugin-done')).toBeVisible();
}

test('ASL-BIDS NIfTI + sidecar + aslcontext.tsv: pCASL from the panel, GM CBF as expected, sidecar provenance', async () => {
  test.skip(!hasDro(), `${DRO_DIR} absent`);
  await pick([
    'sub-dro_asl.nii.gz',
    'sub-dro_asl.json',
    'sub-dro_aslcontext.tsv',
    'sub-dro_dseg.nii.gz',
    'sub-dro_dseg.tsv',
  ]);
  // the 3 companions are kept with their NIfTI files, not read (and skipped) as images
  await expect(page.getByTestId('import-summary')).toContainText('2 files read');
  await expect(page.getByTestId('import-summary')).toContainText('0 skipped');
  const rows = page.getByTestId('browser-series');
  await expect(rows).toHaveCount(2);
  await rows.filter({ hasText: 'pCASL' }).dblclick();
  await page.selectOption('[data-testid=plugin-select]', ASL);
  // asl by BIDS suffix (sidecar description), the dseg from the library as roi
  await expect(page.getByTestId('plugin-match-asl')).toContainText('pCASL');
  await expect(page.getByTestId('plugin-match-roi')).toContainText('dro dseg');
  await expect(page.getByTestId('plugin-match-roi')).toHaveAttribute('data-library', 'true');
  const t0 = Date.now();
  await runAndWait();
  const wallS = (Date.now() - t0) / 1000;
  const eGm = expected.grey_matter.expected_whitepaper_cbf_analytic as number;
  const eWm = expected.white_matter.expected_whitepaper_cbf_analytic as number;
  const gm = await measured('cbf_roi1_median');
  const wm = await measured('cbf_roi2_median');
  console.log(JSON.stringify({ gm, wm, eGm, eWm, wallS }));
  expect(Math.abs(gm - eGm) / eGm).toBeLessThan(0.02);
  expect(Math.abs(wm - eWm) / eWm).toBeLessThan(0.02);
  for (const key of ['pld', 'labelDuration', 'labelingEfficiency'])
    await expect(page.locator(`[data-testid=parameter-table] tr[data-key="${key}"]`)).toHaveAttribute(
      'data-source',
      'sidecar',
    );
  await expect(page.locator('[data-testid=parameter-table] tr[data-key="ordering"]')).toContainText(
    'aslcontext.tsv',
  );
  await page.screenshot({ path: path.join('test-results', 'screenshots', 'plugin-asl-bids.png') });
});

test('a separate sub-x_m0scan.nii.gz fills the m0 input', async () => {
  test.skip(!hasDro(), `${DRO_DIR} absent`);
  // M0 out of the ASL series: volume 0 (m0scan) into its own file, the ASL keeps the 20 label/control volumes
  const asl = readNifti(new Uint8Array(readFileSync(path.join(dir, 'sub-dro_asl.nii.gz'))), {
    modality: 'MR',
  });
  const n = asl.data.length / asl.frames;
  const sub = path.join(dir, 'm0');
  mkdirSync(sub);
  writeFileSync(
    path.join(sub, 'sub-m0_asl.nii.gz'),
    writeNifti(
      { ...asl, data: (asl.data as Float32Array).slice(n), frames: asl.frames - 1 },
      { description: 'separate-M0 pCASL' },
    ),
  );
  writeFileSync(
    path.join(sub, 'sub-m0_m0scan.nii.gz'),
    writeNifti(
      { ...asl, data: (asl.data as Float32Array).slice(0, n), frames: 1 },
      { description: 'separate M0 scan' },
    ),
  );
  const side = JSON.parse(readFileSync(path.join(dir, 'sub-dro_asl.json'), 'utf8'));
  side.M0Type = 'Separate';
  if (Array.isArray(side.RepetitionTime)) side.RepetitionTime = side.RepetitionTime.slice(1);
  writeFileSync(path.join(sub, 'sub-m0_asl.json'), JSON.stringify(side));
  writeFileSync(
    path.join(sub, 'sub-m0_m0scan.json'),
    JSON.stringify({ RepetitionTime: 10, EchoTime: 0.01, IntendedFor: 'perf/sub-m0_asl.nii.gz' }),
  );
  copyFileSync(path.join(dir, 'sub-dro_dseg.nii.gz'), path.join(sub, 'sub-m0_dseg.nii.gz'));
  copyFileSync(path.join(dir, 'sub-dro_dseg.tsv'), path.join(sub, 'sub-m0_dseg.tsv'));
  const ctx = readFileSync(path.join(dir, 'sub-dro_aslcontext.tsv'), 'utf8').trim().split('\n');
  writeFileSync(path.join(sub, 'sub-m0_aslcontext.tsv'), [ctx[0], ...ctx.slice(2)].join('\n') + '\n');
  await pick(
    [
      'sub-m0_asl.nii.gz',
      'sub-m0_asl.json',
      'sub-m0_aslcontext.tsv',
      'sub-m0_m0scan.nii.gz',
      'sub-m0_m0scan.json',
      'sub-m0_dseg.nii.gz',
      'sub-m0_dseg.tsv',
    ].map((f) => path.join('m0', f)),
  );
  await page.getByTestId('browser-series').filter({ hasText: 'separate-M0 pCASL' }).dblclick();
  await page.selectOption('[data-testid=plugin-select]', ASL);
  await expect(page.getByTestId('plugin-match-asl')).toContainText('separate-M0 pCASL');
  await expect(page.getByTestId('plugin-match-m0')).toContainText('separate M0 scan');
  await expect(page.getByTestId('plugin-match-roi')).toHaveAttribute('data-library', 'true');
  await runAndWait();
  await expect(page.locator('[data-testid=parameter-table] tr[data-key="m0Source"]')).toContainText(
    'separate M0 series',
  );
  await expect(page.locator('[data-testid=parameter-table] tr[data-key="m0Tr"]')).toHaveAttribute(
    'data-source',
    'sidecar',
  );
  const eGm = expected.grey_matter.expected_whitepaper_cbf_analytic as number;
  const gm = await measured('cbf_roi1_median');
  console.log(JSON.stringify({ separateM0Gm: gm, eGm }));
  expect(Math.abs(gm - eGm) / eGm).toBeLessThan(0.02);
});

test('generated multi-PLD ASL-BIDS phantom (no shared data): CBF 60 / ATT 1.0 s in GM from sidecar PLDs and separate M0', async () => {
  const ph = makeMultiPldPhantom();
  const asl = ph.input.series.asl!;
  const m0 = ph.input.series.m0!;
  const sub = path.join(dir, 'ph');
  mkdirSync(sub);
  writeFileSync(
    path.join(sub, 'sub-ph_asl.nii.gz'),
    writeNifti(asl.volume, { description: 'phantom multi-PLD pCASL' }),
  );
  writeFileSync(path.join(sub, 'sub-ph_asl.json'), JSON.stringify(asl.sidecar));
  writeFileSync(path.join(sub, 'sub-ph_aslcontext.tsv'), Object.values(asl.attachments!)[0]!);
  writeFileSync(path.join(sub, 'sub-ph_m0scan.nii.gz'), writeNifti(m0.volume, { description: 'phantom M0' }));
  writeFileSync(path.join(sub, 'sub-ph_m0scan.json'), JSON.stringify(m0.sidecar));
  const labels = Uint8Array.from(ph.truth, (t) => (t === 1 || t === 2 ? t : 0));
  writeFileSync(
    path.join(sub, 'sub-ph_dseg.nii.gz'),
    writeNifti(
      { ...m0.volume, data: labels, unit: '1', metadata: { modality: 'SEG' } },
      { description: 'phantom dseg' },
    ),
  );
  writeFileSync(path.join(sub, 'sub-ph_dseg.tsv'), 'index\tname\n1\tGM\n2\tWM\n');
  await pick(
    [
      'sub-ph_asl.nii.gz',
      'sub-ph_asl.json',
      'sub-ph_aslcontext.tsv',
      'sub-ph_m0scan.nii.gz',
      'sub-ph_m0scan.json',
      'sub-ph_dseg.nii.gz',
      'sub-ph_dseg.tsv',
    ].map((f) => path.join('ph', f)),
  );
  await page.getByTestId('browser-series').filter({ hasText: 'phantom multi-PLD pCASL' }).dblclick();
  await page.selectOption('[data-testid=plugin-select]', ASL);
  await expect(page.getByTestId('plugin-match-asl')).toContainText('phantom multi-PLD pCASL');
  await expect(page.getByTestId('plugin-match-m0')).toContainText('phantom M0');
  await expect(page.getByTestId('plugin-match-roi')).toContainText('phantom dseg');
  await runAndWait();
  const gm = await measured('cbf_roi1_median');
  const att = await measured('att_roi1_mean');
  console.log(JSON.stringify({ phantomGmCbf: gm, phantomGmAtt: att }));
  expect(Math.abs(gm - 60) / 60).toBeLessThan(0.05);
  expect(Math.abs(att - 1.0)).toBeLessThan(0.1);
  await expect(page.locator('[data-testid=parameter-table] tr[data-key="pld"]')).toHaveAttribute(
    'data-source',
    'sidecar',
  );
  await expect(page.locator('[data-testid=parameter-table] tr[data-key="m0Source"]')).toContainText(
    'separate M0 series',
  );
});
