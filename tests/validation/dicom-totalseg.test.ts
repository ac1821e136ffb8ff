/**
 * Real JPEG 2000 CT series (TotalSegmentator sample, anonymised without UIDs) from ../shared/data/ct-totalseg-abdomen:
 * imports as one series with generated UIDs, builds a volume with plausible HU, and its geometry matches the NIfTI of
 * the same series (example_seg_dicom.nii.gz, on the DICOM grid). Skips cleanly when the data are absent.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { groupInstances } from '../../core/common/dicom/group-instances';
import { readNifti } from '../../core/common/nifti/read-nifti';
import { loadSeriesVolume } from '../../core/node/import/load-series-volume';
import { scanPaths } from '../../core/node/import/scan-paths';
import { voxelToWorld, type Geometry } from '../../plugins/sdk/volume';

const ROOT = path.resolve(__dirname, '../../../shared/data/ct-totalseg-abdomen');
const DICOM = path.join(ROOT, 'example_ct_dicom');
const SEG = path.join(ROOT, 'example_seg_dicom.nii.gz');

function corners(g: Geometry): number[][] {
  const [nx, ny, nz] = g.dimensions;
  const out: number[][] = [];
  for (const i of [0, nx - 1])
    for (const j of [0, ny - 1]) for (const k of [0, nz - 1]) out.push(voxelToWorld(g, i, j, k));
  return out.sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);
}

describe.skipIf(!existsSync(DICOM))('ct-totalseg-abdomen JPEG 2000 series (shared data)', () => {
  it('imports as one series with generated UIDs, HU plausible, geometry equals the NIfTI grid', async () => {
    const { parsed, report } = await scanPaths([DICOM]);
    expect(report.skipped).toEqual([]);
    expect(parsed).toHaveLength(20);
    const g = groupInstances(parsed);
    expect(g.series).toHaveLength(1);
    expect(g.series[0].warnings.join()).toMatch(/generated UIDs/);
    const v = await loadSeriesVolume(g.instances[g.series[0].seriesInstanceUid]);
    expect(v.geometry.dimensions).toEqual([512, 512, 20]);
    expect(v.unit).toBe('HU');
    expect(v.geometry.spacing[0]).toBeCloseTo(0.9765625, 5);
    expect(v.geometry.spacing[2]).toBeCloseTo(2, 3);
    let mn = Infinity,
      mx = -Infinity,
      sum = 0;
    for (const x of v.data) {
      mn = Math.min(mn, x);
      mx = Math.max(mx, x);
      sum += x;
    }
    // air at the -1024 padding floor, bone/contrast in the high hundreds or more, mean of an abdominal slab well below 0
    expect(mn).toBeGreaterThanOrEqual(-1100);
    expect(mn).toBeLessThan(-900);
    expect(mx).toBeGreaterThan(800);
    expect(mx).toBeLessThan(4000);
    expect(sum / v.data.length).toBeLessThan(0);
    if (existsSync(SEG)) {
      const s = readNifti(new Uint8Array(readFileSync(SEG)));
      expect(s.geometry.dimensions).toEqual(v.geometry.dimensions);
      const a = corners(v.geometry),
        b = corners(s.geometry);
      for (let c = 0; c < 8; c++)
        for (let x = 0; x < 3; x++) expect(Math.abs(a[c][x] - b[c][x])).toBeLessThan(0.01);
    }
  });
});
