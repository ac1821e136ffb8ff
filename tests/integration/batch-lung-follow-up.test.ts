/**
 * `qiview batch --priors <folder>` with the lung fibrosis plugin: each study's prior is the newest earlier study of
 * the same PatientID in the tree, loaded as the plugin's `prior` input; registration is the worker's itk-wasm elastix.
 * Tree: patient P1 with a healthy 2024 CT (tilted 8°, turned 5°, shifted) and a fibrotic 2025 CT; patient P2 with one
 * CT. Only P1/2025 gets a follow-up: Δ fibrosis extent equal to the phantom truth, the lower zones flagged by the MCID.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Vec3 } from '@qiview/sdk';
import { chestPhantom } from '../phantoms/chest-phantom';
import { moveRigidly } from '../phantoms/rigid-move';
import { writeVolumeSeries } from '../phantoms/volume-dicom';
import { REIDENTIFY_DIR, StudyPseudonyms } from '../../core/node/batch/study-pseudonyms';
import { buildPlugins, readSummary, runBatch, studyDir } from '../support/cli-harness';
import { findLeaks } from '../support/leak-scan';

const PLUGIN = 'org.qiview.lung-fibrosis';
let tmp: string;
let tree: string;
let truthExtent: number;

beforeAll(async () => {
  buildPlugins('lung-fibrosis');
  tmp = mkdtempSync(path.join(tmpdir(), 'qiview-batch-lung-fu-'));
  tree = path.join(tmp, 'tree');
  const prior = chestPhantom({ healthy: true, seed: 11 });
  moveRigidly(prior.volume, { tiltDeg: 8, turnDeg: 5, shift: [7, -5, 4] as Vec3 });
  await writeVolumeSeries(path.join(tree, 'p1', '2024'), prior.volume, {
    studyUid: '1.2.826.0.1.3680043.10.8.1',
    seriesUid: '1.2.826.0.1.3680043.10.8.1.1',
    patientId: 'P1',
    studyDate: '20240301',
  });
  const current = chestPhantom();
  truthExtent = current.expected.fibrosisPct;
  await writeVolumeSeries(path.join(tree, 'p1', '2025'), current.volume, {
    studyUid: '1.2.826.0.1.3680043.10.8.2',
    seriesUid: '1.2.826.0.1.3680043.10.8.2.1',
    patientId: 'P1',
    studyDate: '20250301',
  });
  const other = chestPhantom({ dims: [112, 84, 75], spacing: [3.2, 3.2, 3.2], seed: 5 });
  await writeVolumeSeries(path.join(tree, 'p2', '2025'), other.volume, {
    studyUid: '1.2.826.0.1.3680043.10.8.3',
    seriesUid: '1.2.826.0.1.3680043.10.8.3.1',
    patientId: 'P2',
    studyDate: '20250401',
  });
}, 120_000);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('qiview batch --priors with the lung fibrosis plugin', () => {
  it('finds the earlier study of the same patient, registers it with elastix and reports Δ per zone with the MCID flag', async () => {
    const out = path.join(tmp, 'out');
    const { code, io, seconds } = await runBatch({
      source: tree,
      plugin: PLUGIN,
      out,
      dataDir: path.join(tmp, 'user'),
      args: ['--priors', tree, '--no-results'],
    });
    console.log(`lung batch with priors: ${seconds.toFixed(1)} s`);
    expect(code, io.errs.join('\n')).toBe(0);
    const rows = readSummary(out);
    const row = (k: string) => rows.find((r) => r.study_key === k)!;
    expect(rows.map((r) => r.status)).toEqual(['done', 'done', 'done']);
    expect(row('p1/2024').prior_study).toBe('');
    expect(row('p1/2024').lungs_fibrosis_extent_delta).toBe('');
    expect(row('p2/2025').prior_study).toBe('');
    expect(row('p2/2025').lungs_fibrosis_extent_delta).toBe('');
    const fu = row('p1/2025');
    expect(fu.prior_study).toBe('p1/2024');
    const delta = Number(fu.lungs_fibrosis_extent_delta);
    console.log(
      `P1 2025 vs 2024: Δ lungs ${delta.toFixed(2)} (truth ${truthExtent.toFixed(2)}), lower rind ${Number(fu.lower_rind_fibrosis_extent_delta).toFixed(2)}, overlap ${Number(fu.prior_lung_overlap_dice).toFixed(4)}`,
    );
    expect(Math.abs(delta - truthExtent)).toBeLessThan(0.7);
    expect(Number(fu.prior_lung_overlap_dice)).toBeGreaterThan(0.95);
    expect(fu.lower_rind_fibrosis_progression).toBe('1');
    expect(fu.lower_core_fibrosis_progression).toBe('1');
    for (const k of ['upper_core', 'upper_rind', 'middle_core', 'middle_rind'])
      expect(fu[`${k}_fibrosis_progression`], k).toBe('0');
    const dir = studyDir(out, 'p1_2025-');
    expect(readdirSync(dir)).toContain('pm-density-change.dcm');
    const result = readFileSync(path.join(dir, 'result.json'), 'utf8');
    expect(result).toMatch(/elastix rigid \(itk-wasm\)/);
    expect(result).toMatch(/carried onto the current zones/);
  }, 600_000);

  it("--deidentify: prior_study is the prior row's pseudonym; no folder name or source UID under out/", async () => {
    const out = path.join(tmp, 'out-deid');
    const { code, io } = await runBatch({
      source: tree,
      plugin: PLUGIN,
      out,
      dataDir: path.join(tmp, 'user'),
      args: ['--priors', tree, '--no-results', '--deidentify'],
    });
    expect(code, io.errs.join('\n')).toBe(0);
    const p = StudyPseudonyms.forOutDir(out);
    const rows = readSummary(out);
    const row = (k: string) => rows.find((r) => r.study_key === p.studyKey(k))!;
    expect(rows.map((r) => r.status)).toEqual(['done', 'done', 'done']);
    expect(row('p1/2025').prior_study).toBe(p.studyKey('p1/2024'));
    expect(row('p1/2024').prior_study).toBe('');
    expect(Math.abs(Number(row('p1/2025').lungs_fibrosis_extent_delta) - truthExtent)).toBeLessThan(0.7);
    const needles = [
      '1.2.826.0.1.3680043.10.8.',
      'p1/2024',
      'p1/2025',
      'p2/2025',
      'p1_2024',
      'p1_2025',
      'p2_2025',
    ];
    const leaks = findLeaks(out, needles, [REIDENTIFY_DIR]);
    expect(leaks, JSON.stringify(leaks.slice(0, 10), null, 1)).toEqual([]);
  }, 600_000);

  it('refuses --priors for a plugin without a prior input, and a missing folder', async () => {
    let r = await runBatch({
      source: tree,
      plugin: 'org.qiview.example-threshold',
      out: path.join(tmp, 'x'),
      args: ['--priors', tree],
    });
    expect(r.code).toBe(2);
    expect(r.io.errs.join('\n')).toMatch(
      /--priors: plugin org.qiview.example-threshold has no "prior" input/,
    );
    r = await runBatch({
      source: tree,
      plugin: PLUGIN,
      out: path.join(tmp, 'y'),
      args: ['--priors', path.join(tmp, 'nope')],
    });
    expect(r.code).toBe(2);
    expect(r.io.errs.join('\n')).toMatch(/--priors: .*nope not found/);
  });
});
