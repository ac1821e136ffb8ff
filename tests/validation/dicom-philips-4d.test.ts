/**
 * Philips classic-DICOM 4D series (../shared/data/asl-philips-pcasl3d-dcmqa, series 402: 8 control + 8 label volumes
 * of 14 slices, instance numbers not in temporal order): builds 16 frames of 80×80×14 whose order and geometry match
 * dcm2niix's reference NIfTI. Values differ by a constant factor (dcm2niix uses Philips' private floating-point
 * scaling; Qiview applies RescaleSlope/Intercept), so frames are matched after fitting that factor.
 * Skips cleanly when the data are absent.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { groupInstances } from '../../core/common/dicom/group-instances';
import { readNifti } from '../../core/common/nifti/read-nifti';
import { loadSeriesVolume } from '../../core/node/import/load-series-volume';
import { scanPaths } from '../../core/node/import/scan-paths';
import { voxelToWorld, worldToVoxel } from '../../plugins/sdk/volume';

const ROOT = path.resolve(__dirname, '../../../shared/data/asl-philips-pcasl3d-dcmqa');
const DIR = path.join(ROOT, 'dicom/402_SOURCE_-_3D_pCASL_6mm');
const REF = path.join(ROOT, 'reference/402_SOURCE_-_3D_pCASL_6mm_classic.nii');

describe.skipIf(!existsSync(DIR) || !existsSync(REF))('Philips 4D series (shared data)', () => {
  it('16 frames of 80×80×14 in the same order and on the same grid as dcm2niix', async () => {
    const { parsed } = await scanPaths([DIR]);
    const g = groupInstances(parsed);
    expect(g.series).toHaveLength(1);
    const v = await loadSeriesVolume(g.instances[g.series[0].seriesInstanceUid]);
    expect(v.geometry.dimensions).toEqual([80, 80, 14]);
    expect(v.frames).toBe(16);
    expect(v.metadata.frameInfo).toHaveLength(16);
    const n = readNifti(new Uint8Array(readFileSync(REF)));
    expect(n.frames).toBe(16);
    const nv = 80 * 80 * 14;
    const [nx, ny, nz] = n.geometry.dimensions;
    const idx = new Int32Array(nv);
    let p = 0,
      worst = 0;
    for (let k = 0; k < nz; k++)
      for (let j = 0; j < ny; j++)
        for (let i = 0; i < nx; i++, p++) {
          const c = worldToVoxel(v.geometry, voxelToWorld(n.geometry, i, j, k));
          const r = c.map(Math.round);
          worst = Math.max(worst, ...c.map((x, a) => Math.abs(x - r[a])));
          idx[p] = r[0] + 80 * (r[1] + 80 * r[2]);
        }
    expect(worst).toBeLessThan(0.01);
    // constant scale factor between the two value conventions
    let num = 0,
      den = 0;
    for (let q = 0; q < nv; q++) {
      num += n.data[q] * v.data[idx[q]];
      den += v.data[idx[q]] * v.data[idx[q]];
    }
    const scale = num / den;
    const order: number[] = [];
    for (let rf = 0; rf < 16; rf++) {
      let best = -1,
        bestErr = Infinity;
      for (let f = 0; f < 16; f++) {
        let err = 0;
        for (let q = 0; q < nv; q++) err += Math.abs(n.data[rf * nv + q] - scale * v.data[f * nv + idx[q]]);
        if (err < bestErr) {
          bestErr = err;
          best = f;
        }
      }
      order.push(best);
    }
    expect(order).toEqual(Array.from({ length: 16 }, (_, i) => i));
  });
});
