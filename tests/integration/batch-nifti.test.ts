/**
 * `qiview batch <folder>` over NIfTI study folders, no mocks: generated CT phantoms written as .nii.gz / .nii with a
 * BIDS sidecar giving the modality, and one without (refused with an actionable reason). The plugin's measurements
 * equal the phantom's and the labelmap is written as NIfTI on the source grid.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readNifti } from '../../core/common/nifti/read-nifti';
import { discoverFolderStudies } from '../../core/node/batch/discover-folder-studies';
import { ctSeriesExpectedHu, ctSeriesGeometry, type CtSeriesOptions } from '../phantoms/ct-series';
import { writeNifti1 } from '../phantoms/nifti-volume';
import { buildPlugins, readSummary, runBatch } from '../support/cli-harness';

const PLUGIN = 'org.qiview.example-threshold';
const PHANTOM: CtSeriesOptions = { dims: [32, 32, 8] };
const hu = ctSeriesExpectedHu(PHANTOM);
const insertVoxels = hu.reduce((n, v) => n + (v >= 100 && v <= 400 ? 1 : 0), 0);
const voxelMl = (0.8 * 0.8 * 2) / 1000;

/** The phantom as NIfTI (LPS geometry → RAS affine). */
function phantomNifti(gzip: boolean): Uint8Array {
  const g = ctSeriesGeometry(PHANTOM);
  return writeNifti1({
    dims: g.dims,
    data: hu,
    affine: [
      [-g.spacing[0], 0, 0, -g.origin[0]],
      [0, -g.spacing[1], 0, -g.origin[1]],
      [0, 0, g.spacing[2], g.origin[2]],
    ],
    gzip,
  });
}

let tmp: string;
let tree: string;
let out: string;

beforeAll(() => {
  buildPlugins();
  tmp = mkdtempSync(path.join(tmpdir(), 'qiview-batch-nifti-'));
  tree = path.join(tmp, 'tree');
  out = path.join(tmp, 'out');
  const sidecar = JSON.stringify({ Modality: 'CT', SeriesDescription: 'CT phantom', EchoTime: 0.01 });
  const put = (rel: string, bytes: Uint8Array | string) => {
    mkdirSync(path.dirname(path.join(tree, rel)), { recursive: true });
    writeFileSync(path.join(tree, rel), bytes);
  };
  put('sub-01/ses-1/anat/sub-01_ct.nii.gz', phantomNifti(true));
  put('sub-01/ses-1/anat/sub-01_ct.json', sidecar);
  put('sub-02/ct.nii', phantomNifti(false));
  put('sub-02/ct.json', sidecar);
  put('sub-03/scan.nii.gz', phantomNifti(true)); // no sidecar: modality unknown
}, 60_000);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('qiview batch over NIfTI study folders', () => {
  it('discoverFolderStudies lists one study per folder holding .nii/.nii.gz files', () => {
    expect(discoverFolderStudies(tree).map((s) => s.key)).toEqual(['sub-01/ses-1/anat', 'sub-02', 'sub-03']);
  });

  it('runs the CT plugin on NIfTI with a sidecar (phantom values, NIfTI labelmap); refuses one without', async () => {
    const { code, io } = await runBatch({
      source: tree,
      plugin: PLUGIN,
      out,
      args: ['--workers', '2', '--no-results'],
    });
    expect(code, io.errs.join('\n')).toBe(1);
    expect(io.lines.at(-1)).toMatch(/2 done, 1 failed of 3/);
    const rows = readSummary(out);
    const byKey = Object.fromEntries(rows.map((r) => [r.study_key, r]));
    for (const key of ['sub-01/ses-1/anat', 'sub-02']) {
      const r = byKey[key]!;
      expect(r.status, r.reason).toBe('done');
      expect(Number(r.voxel_count)).toBe(insertVoxels);
      expect(Number(r.mean_hu)).toBeCloseTo(300, 6);
      // NIfTI stores spacing as float32 (0.8 → 0.800000012): 3e-8 relative
      expect(Number(r.volume_ml)).toBeCloseTo(insertVoxels * voxelMl, 7);
    }
    expect(byKey['sub-03']!.status).toBe('failed');
    expect(byKey['sub-03']!.reason).toMatch(
      /required input "ct" is missing.*NIfTI files carry no modality: put a BIDS sidecar/,
    );

    const dir = readdirSync(path.join(out, 'studies')).find((d) => d.startsWith('sub-02-'))!;
    const files = readdirSync(path.join(out, 'studies', dir)).sort();
    expect(files).toEqual(['result.json', 'seg-example-component.nii.gz', 'status.json']);
    const seg = readNifti(
      new Uint8Array(readFileSync(path.join(out, 'studies', dir, 'seg-example-component.nii.gz'))),
    );
    expect(seg.geometry.dimensions).toEqual([32, 32, 8]);
    seg.geometry.spacing.forEach((v, i) => expect(v).toBeCloseTo([0.8, 0.8, 2][i]!, 5));
    let n = 0;
    for (let p = 0; p < seg.data.length; p++) {
      if (seg.data[p]) {
        n++;
        expect(hu[p]).toBe(300); // the mask lies exactly on the insert
      }
    }
    expect(n).toBe(insertVoxels);
  }, 60_000);
});
