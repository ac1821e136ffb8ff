import type { Volume } from '@qiview/sdk';

/** 0/1 mask of the voxels of frame 0 whose value v satisfies lower ≤ v ≤ upper (HU for CT). */
export function threshold(volume: Volume, lower: number, upper: number): Uint8Array {
  const [nx, ny, nz] = volume.geometry.dimensions;
  const n = nx * ny * nz;
  const mask = new Uint8Array(n);
  const data = volume.data;
  for (let i = 0; i < n; i++) {
    const v = data[i]!;
    if (v >= lower && v <= upper) mask[i] = 1;
  }
  return mask;
}
