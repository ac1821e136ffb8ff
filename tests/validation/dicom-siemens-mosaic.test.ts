/**
 * Siemens MR mosaics (../shared/data/asl-siemens-pcasl2d-dcmqa): the M0 mosaic becomes a 72×72×20 volume whose every
 * voxel equals dcm2niix's reference NIfTI at the same LPS position, and the 102-volume pCASL series becomes 102 frames.
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

const ROOT = path.resolve(__dirname, '../../../shared/data/asl-siemens-pcasl2d-dcmqa');
const M0 = path.join(ROOT, 'dicom/10_pcasl_2d_m0');
const REF = path.join(ROOT, 'reference/pcasl_2d_m0_10.nii');

async function load(dir: string) {
  const { parsed } = await scanPaths([dir]);
  const g = groupInstances(parsed);
  expect(g.series).toHaveLength(1);
  return loadSeriesVolume(g.instances[g.series[0].seriesInstanceUid]);
}

describe.skipIf(!existsSync(M0) || !existsSync(REF))('Siemens mosaic (shared data)', () => {
  it('M0 mosaic: 72×72×20 slices, voxel-exact against the dcm2niix reference at the same LPS positions', async () => {
    const v = await load(M0);
    expect(v.geometry.dimensions).toEqual([72, 72, 20]);
    expect(v.geometry.spacing[2]).toBeCloseTo(6, 4);
    const n = readNifti(new Uint8Array(readFileSync(REF)));
    const [nx, ny, nz] = n.geometry.dimensions;
    let worst = 0,
      mismatch = 0;
    for (let k = 0; k < nz; k++)
      for (let j = 0; j < ny; j++)
        for (let i = 0; i < nx; i++) {
          const c = worldToVoxel(v.geometry, voxelToWorld(n.geometry, i, j, k));
          const r = c.map(Math.round);
          worst = Math.max(worst, ...c.map((x, a) => Math.abs(x - r[a])));
          const inside = r.every((x, a) => x >= 0 && x < v.geometry.dimensions[a]);
          if (!inside || v.data[r[0] + 72 * (r[1] + 72 * r[2])] !== n.data[i + nx * (j + ny * k)]) mismatch++;
        }
    expect(worst).toBeLessThan(1e-3); // grids coincide (measured 7e-6 voxel)
    expect(mismatch).toBe(0);
  });

  it('pCASL series: 102 mosaics become 102 frames of 72×72×20 in acquisition order', async () => {
    const v = await load(path.join(ROOT, 'dicom/9_pcasl_2d'));
    expect(v.geometry.dimensions).toEqual([72, 72, 20]);
    expect(v.frames).toBe(102);
    const acq = v.metadata.frameInfo!.map((f) => f.acquisitionNumber as number);
    expect(acq).toEqual([...acq].sort((a, b) => a - b));
  });
});
