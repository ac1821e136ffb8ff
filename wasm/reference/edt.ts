/**
 * Reference exact Euclidean distance transform (Felzenszwalb & Huttenlocher, Theory of Computing 2012), separable
 * with anisotropic spacing, in double precision. Same definition as wasm/src/edt.c.
 */
import type { Vec3 } from '../types';
import { checkData, checkSpacing } from '../validate';

/** d[p] = min_q f[q] + s2 (p - q)² over finite f (lower envelope of parabolas). */
function envelope1d(
  f: Float64Array,
  n: number,
  s2: number,
  d: Float64Array,
  v: Int32Array,
  z: Float64Array,
): void {
  let k = -1;
  for (let q = 0; q < n; q++) {
    if (f[q] === Infinity) continue;
    const fq = f[q] + s2 * q * q;
    while (k >= 0) {
      const p = v[k];
      const s = (fq - (f[p] + s2 * p * p)) / (2 * s2 * (q - p));
      if (s <= z[k]) k--;
      else break;
    }
    k++;
    v[k] = q;
    z[k] = k === 0 ? -Infinity : (fq - (f[v[k - 1]] + s2 * v[k - 1] * v[k - 1])) / (2 * s2 * (q - v[k - 1]));
  }
  if (k < 0) {
    d.fill(Infinity, 0, n);
    return;
  }
  z[k + 1] = Infinity;
  let j = 0;
  for (let p = 0; p < n; p++) {
    while (z[j + 1] < p) j++;
    d[p] = f[v[j]] + s2 * (p - v[j]) * (p - v[j]);
  }
}

/**
 * Squared distance (units of `spacing`) from each voxel to the nearest site: voxels where `isSite(mask[i])`.
 * `axes[a] = false` disables propagation along axis a (as if its spacing were infinite). Infinity without sites.
 */
export function squaredEdtReference(
  mask: Uint8Array,
  dims: Vec3,
  spacing: Vec3,
  sitesAreForeground = true,
  axes: [boolean, boolean, boolean] = [true, true, true],
): Float64Array {
  const n = checkData(mask, dims, 'mask');
  const [nx, ny, nz] = dims;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = (mask[i] !== 0) === sitesAreForeground ? 0 : Infinity;
  const nmax = Math.max(nx, ny, nz);
  const f = new Float64Array(nmax),
    d = new Float64Array(nmax),
    z = new Float64Array(nmax + 1),
    v = new Int32Array(nmax);
  const strides = [1, nx, nx * ny];
  for (const axis of [0, 1, 2] as const) {
    const len = dims[axis];
    if (!axes[axis] || len === 1) continue;
    const stride = strides[axis];
    const s2 = spacing[axis] * spacing[axis];
    for (let base = 0; base < n; base++) {
      // visit each line once: its first voxel has coordinate 0 along the axis
      if (Math.floor(base / stride) % len !== 0) continue;
      for (let q = 0; q < len; q++) f[q] = out[base + q * stride];
      envelope1d(f, len, s2, d, v, z);
      for (let q = 0; q < len; q++) out[base + q * stride] = d[q];
    }
  }
  return out;
}

/** Distance (mm) from each voxel to the nearest nonzero voxel of `mask` (0 on the mask, Infinity if it is empty). */
export function distanceTransformReference(
  mask: Uint8Array,
  dims: Vec3,
  spacing: Vec3,
  squared = false,
): Float32Array {
  const s = checkSpacing(spacing);
  const d2 = squaredEdtReference(mask, dims, s);
  const out = new Float32Array(d2.length);
  for (let i = 0; i < d2.length; i++) out[i] = squared ? d2[i] : Math.sqrt(d2[i]);
  return out;
}
