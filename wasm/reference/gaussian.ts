/**
 * Reference separable 3D Gaussian (plain TypeScript): same definition as wasm/src/gaussian.c. Kernel per axis
 * w[t] ∝ exp(-t² / 2σ²), |t| ≤ ceil(truncate·σ) (at least 1, at most 1024), normalised to sum 1, σ in voxels of that
 * axis; borders replicate the edge voxel; an axis with σ = 0 is left alone.
 */
import type { ScalarData, Vec3 } from '../types';
import { checkData, checkSpacing, triple } from '../validate';

/** Normalised half kernel w[0..r] for sigma in voxels (null when sigma is 0). */
export function gaussianWeights(sigmaVoxels: number, truncate: number): Float64Array | null {
  if (!(sigmaVoxels > 0)) return null;
  const r = Math.min(1024, Math.max(1, Math.ceil(Math.fround(truncate * sigmaVoxels))));
  const w = new Float64Array(r + 1);
  let sum = 0;
  for (let t = 0; t <= r; t++) {
    w[t] = Math.exp(-(t * t) / (2 * sigmaVoxels * sigmaVoxels));
    sum += t === 0 ? w[t] : 2 * w[t];
  }
  for (let t = 0; t <= r; t++) w[t] /= sum;
  return w;
}

/** Smooths along one axis in place (stride = distance between neighbours along it, n = length of that axis). */
function smoothAxis(v: Float32Array, dims: Vec3, axis: 0 | 1 | 2, w: Float64Array): void {
  const [nx, ny, nz] = dims;
  const n = dims[axis];
  const stride = axis === 0 ? 1 : axis === 1 ? nx : nx * ny;
  const r = w.length - 1;
  const line = new Float64Array(n);
  const outer = axis === 0 ? [ny * nz, 1] : axis === 1 ? [nz, nx] : [1, nx * ny];
  for (let a = 0; a < outer[0]; a++) {
    for (let b = 0; b < outer[1]; b++) {
      const base = axis === 0 ? a * nx : axis === 1 ? a * nx * ny + b : b;
      for (let q = 0; q < n; q++) line[q] = v[base + q * stride];
      for (let q = 0; q < n; q++) {
        let acc = w[0] * line[q];
        for (let t = 1; t <= r; t++) {
          const lo = q - t < 0 ? 0 : q - t;
          const hi = q + t > n - 1 ? n - 1 : q + t;
          acc += w[t] * (line[lo] + line[hi]);
        }
        v[base + q * stride] = acc;
      }
    }
  }
}

/** Gaussian smoothing with sigma in mm (per axis or isotropic); returns a new Float32Array. */
export function gaussianReference(
  data: ScalarData,
  dims: Vec3,
  spacing: Vec3,
  sigmaMm: number | Vec3,
  truncate = 3,
): Float32Array {
  checkData(data, dims);
  const s = checkSpacing(spacing);
  const sigma = triple(sigmaMm, 'sigmaMm');
  const out = Float32Array.from(data);
  for (const axis of [0, 1, 2] as const) {
    const w = gaussianWeights(Math.fround(sigma[axis] / s[axis]), truncate);
    if (w && dims[axis] > 1) smoothAxis(out, dims, axis, w);
  }
  return out;
}
