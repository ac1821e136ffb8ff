import { describe, expect, it } from 'vitest';
import { readNifti } from './read-nifti';
import { writeNifti1 } from '../../../tests/phantoms/nifti-volume';
import { voxelToWorld } from '../../../plugins/sdk/volume';
import { DicomReadError } from '../dicom/dicom-read-error';

describe('readNifti', () => {
  const data = Int16Array.from({ length: 4 * 3 * 2 }, (_, i) => i - 5);
  const affine = [
    [-0.8, 0, 0, 10],
    [0, 0.9, 0, -20],
    [0, 0, 2.5, 30],
  ];
  for (const gzip of [false, true]) {
    it(`RAS sform → LPS geometry, values exact (${gzip ? 'gz' : 'nii'})`, () => {
      const v = readNifti(writeNifti1({ dims: [4, 3, 2], data, affine, gzip }));
      expect(v.geometry.dimensions).toEqual([4, 3, 2]);
      expect(v.geometry.spacing.map((x) => +x.toFixed(5))).toEqual([0.8, 0.9, 2.5]);
      expect(v.geometry.origin).toEqual([-10, 20, 30]);
      // i runs towards RAS -x = LPS +x
      expect(v.geometry.direction).toEqual([1, 0, 0, 0, -1, 0, 0, 0, 1]);
      // voxel (1,2,1): RAS = A·[1,2,1,1] = (9.2, -18.2, 32.5) → LPS (-9.2, 18.2, 32.5)
      const p = voxelToWorld(v.geometry, 1, 2, 1);
      expect(p[0]).toBeCloseTo(-9.2, 4);
      expect(p[1]).toBeCloseTo(18.2, 4);
      expect(p[2]).toBeCloseTo(32.5, 4);
      expect(v.data).toBeInstanceOf(Int16Array);
      expect(Array.from(v.data)).toEqual(Array.from(data));
      expect(v.frames).toBe(1);
    });
  }
  it('scl_slope gives Float32 real values; 4D becomes frames', () => {
    const v = readNifti(
      writeNifti1({
        dims: [2, 2, 1, 3],
        data: Int16Array.from({ length: 12 }, (_, i) => i),
        sclSlope: 0.5,
        sclInter: -1,
      }),
    );
    expect(v.frames).toBe(3);
    expect(v.data).toBeInstanceOf(Float32Array);
    expect(v.data[5]).toBeCloseTo(1.5, 6);
    expect(v.metadata.frameInfo).toHaveLength(3);
  });
  it('rejects non-NIfTI and truncated data', () => {
    expect(() => readNifti(new Uint8Array(400))).toThrow(DicomReadError);
    const b = writeNifti1({ dims: [4, 3, 2], data });
    try {
      readNifti(b.subarray(0, b.length - 4));
      expect.unreachable();
    } catch (e) {
      expect((e as DicomReadError).kind).toBe('truncated');
    }
  });
});
