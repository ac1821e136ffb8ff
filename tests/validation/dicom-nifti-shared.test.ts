/**
 * readNifti on real NIfTI files from ../shared/data (dimensions, spacing, frames and value ranges as documented in
 * MANIFEST.md). Each case skips cleanly when its file is absent.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readNifti } from '../../core/common/nifti/read-nifti';

const DATA = path.resolve(__dirname, '../../../shared/data');
const f = (rel: string) => path.join(DATA, rel);

function range(a: ArrayLike<number>): [number, number] {
  let mn = Infinity,
    mx = -Infinity;
  for (let i = 0; i < a.length; i++) {
    const v = a[i];
    if (v < mn) mn = v;
    if (v > mx) mx = v;
  }
  return [mn, mx];
}

describe('readNifti on shared data', () => {
  const thorax = f('ct-thorax-4dct-phase00-itkelastix/thorax_ct_phase00.nii.gz');
  it.skipIf(!existsSync(thorax))('thorax CT: 512×512×141, 0.977×0.977×2 mm, int16 HU', () => {
    const v = readNifti(new Uint8Array(readFileSync(thorax)), { unit: 'HU', modality: 'CT' });
    expect(v.geometry.dimensions).toEqual([512, 512, 141]);
    expect(v.geometry.spacing[0]).toBeCloseTo(0.977, 2);
    expect(v.geometry.spacing[2]).toBeCloseTo(2, 3);
    expect(v.data).toBeInstanceOf(Int16Array);
    const [mn, mx] = range(v.data);
    expect(mn).toBeGreaterThanOrEqual(-1100); // HU = stored − 1024 (MANIFEST row 8)
    expect(mn).toBeLessThan(-900);
    expect(mx).toBeGreaterThan(500);
    expect(v.warnings).toEqual([]);
  });

  const asl = f('asl-dro-asldro-A/asl/001_asl.nii.gz');
  it.skipIf(!existsSync(asl))('ASLDRO 4D: 64×64×20 with 21 frames (M0 + 10 control/label pairs)', () => {
    const v = readNifti(new Uint8Array(readFileSync(asl)));
    expect(v.geometry.dimensions).toEqual([64, 64, 20]);
    expect(v.frames).toBe(21);
    expect(v.data.length).toBe(64 * 64 * 20 * 21);
    expect(v.geometry.spacing[0]).toBeCloseTo(3.08, 1);
    expect(v.metadata.frameInfo).toHaveLength(21);
  });

  const pcasl = f('asl-niivue-pcasl4d/pcasl.nii.gz');
  it.skipIf(!existsSync(pcasl))('niivue pCASL 4D: 52×68×20×10, 3×3×6 mm, TR 2.54 s', () => {
    const v = readNifti(new Uint8Array(readFileSync(pcasl)));
    expect(v.geometry.dimensions).toEqual([52, 68, 20]);
    expect(v.frames).toBe(10);
    expect(v.geometry.spacing.map((x) => +x.toFixed(3))).toEqual([3, 3, 6]);
    expect(v.metadata.tags?.NiftiTimeStep).toBeCloseTo(2.54, 2);
  });
});
