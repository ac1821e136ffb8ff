import type { Volume } from '@qiview/sdk';

/** Volume and intensity statistics of a mask on frame 0 of a volume. */
export interface MaskStatistics {
  voxels: number;
  /** Mask volume in ml (voxel count × voxel volume in mm³ / 1000). */
  volumeMl: number;
  /** Mean value (NaN when the mask is empty). */
  mean: number;
  /** Sample standard deviation (n − 1; 0 for one voxel, NaN when empty). */
  sd: number;
  min: number;
  max: number;
}

/** Computes {@link MaskStatistics} in one pass (Welford, numerically stable). */
export function maskStatistics(volume: Volume, mask: Uint8Array): MaskStatistics {
  const [sx, sy, sz] = volume.geometry.spacing;
  let count = 0;
  let mean = 0;
  let m2 = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < mask.length; i++) {
    if (!mask[i]) continue;
    const v = volume.data[i]!;
    count++;
    const d = v - mean;
    mean += d / count;
    m2 += d * (v - mean);
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return {
    voxels: count,
    volumeMl: (count * sx * sy * sz) / 1000,
    mean: count > 0 ? mean : NaN,
    sd: count > 1 ? Math.sqrt(m2 / (count - 1)) : count === 1 ? 0 : NaN,
    min,
    max,
  };
}
