/**
 * Reference Hessian eigenvalues and Frangi vesselness (Frangi et al., MICCAI 1998), same definition as
 * wasm/src/hessian.c: Gaussian smoothing at σ (mm), central second differences in mm with clamped borders, scale
 * normalisation by σ², closed-form eigenvalues sorted by magnitude.
 */
import type { HessianEigenvalues, ScalarData, Vec3, VesselnessOptions } from '../types';
import { checkData, checkSpacing } from '../validate';
import { gaussianReference } from './gaussian';

/** Scale-normalised Hessian [xx, yy, zz, xy, xz, yz] of smoothed volume f at voxel (x, y, z). */
function hessianAt(
  f: Float32Array,
  dims: Vec3,
  sp: Vec3,
  x: number,
  y: number,
  z: number,
  s2: number,
  h: Float64Array,
) {
  const [nx, ny, nz] = dims;
  const sy = nx,
    sz = nx * ny;
  const xm = x > 0 ? x - 1 : 0,
    xp = x < nx - 1 ? x + 1 : nx - 1;
  const ym = (y > 0 ? y - 1 : 0) * sy,
    yp = (y < ny - 1 ? y + 1 : ny - 1) * sy;
  const zm = (z > 0 ? z - 1 : 0) * sz,
    zp = (z < nz - 1 ? z + 1 : nz - 1) * sz;
  const yc = y * sy,
    zc = z * sz;
  const c2 = 2 * f[x + yc + zc];
  h[0] = ((f[xp + yc + zc] + f[xm + yc + zc] - c2) / (sp[0] * sp[0])) * s2;
  h[1] = ((f[x + yp + zc] + f[x + ym + zc] - c2) / (sp[1] * sp[1])) * s2;
  h[2] = ((f[x + yc + zp] + f[x + yc + zm] - c2) / (sp[2] * sp[2])) * s2;
  h[3] = ((f[xp + yp + zc] - f[xp + ym + zc] - f[xm + yp + zc] + f[xm + ym + zc]) / (4 * sp[0] * sp[1])) * s2;
  h[4] = ((f[xp + yc + zp] - f[xp + yc + zm] - f[xm + yc + zp] + f[xm + yc + zm]) / (4 * sp[0] * sp[2])) * s2;
  h[5] = ((f[x + yp + zp] - f[x + yp + zm] - f[x + ym + zp] + f[x + ym + zm]) / (4 * sp[1] * sp[2])) * s2;
}

/** Eigenvalues of the symmetric matrix [xx, yy, zz, xy, xz, yz] into e, sorted by magnitude (Smith 1961). */
export function symmetricEigenvalues3(h: ArrayLike<number>, e: Float64Array): void {
  const [a11, a22, a33, a12, a13, a23] = [h[0], h[1], h[2], h[3], h[4], h[5]];
  const p1 = a12 * a12 + a13 * a13 + a23 * a23;
  const q = (a11 + a22 + a33) / 3;
  const a = a11 - q,
    b = a22 - q,
    c = a33 - q;
  const p2 = a * a + b * b + c * c + 2 * p1;
  if (p2 === 0 || p2 <= 1e-30 * q * q) {
    e[0] = e[1] = e[2] = q;
    return;
  }
  const p = Math.sqrt(p2 / 6);
  const b11 = a / p,
    b22 = b / p,
    b33 = c / p,
    b12 = a12 / p,
    b13 = a13 / p,
    b23 = a23 / p;
  const r =
    0.5 * (b11 * (b22 * b33 - b23 * b23) - b12 * (b12 * b33 - b23 * b13) + b13 * (b12 * b23 - b22 * b13));
  const phi = r <= -1 ? Math.PI / 3 : r >= 1 ? 0 : Math.acos(r) / 3;
  const e0 = q + 2 * p * Math.cos(phi);
  const e2 = q + 2 * p * Math.cos(phi + (2 * Math.PI) / 3);
  const sorted = [e0, 3 * q - e0 - e2, e2].sort((u, v) => Math.abs(u) - Math.abs(v));
  e[0] = sorted[0];
  e[1] = sorted[1];
  e[2] = sorted[2];
}

/** Hessian eigenvalues at scale σ (mm); `normalize` multiplies the Hessian by σ². */
export function hessianEigenvaluesReference(
  data: ScalarData,
  dims: Vec3,
  spacing: Vec3,
  sigmaMm: number,
  normalize = true,
  truncate = 3,
): HessianEigenvalues {
  const n = checkData(data, dims);
  const sp = checkSpacing(spacing);
  const f = gaussianReference(data, dims, sp, sigmaMm, truncate);
  const s2 = normalize ? sigmaMm * sigmaMm : 1;
  const out = { lambda1: new Float32Array(n), lambda2: new Float32Array(n), lambda3: new Float32Array(n) };
  const h = new Float64Array(6),
    e = new Float64Array(3);
  let i = 0;
  for (let z = 0; z < dims[2]; z++)
    for (let y = 0; y < dims[1]; y++)
      for (let x = 0; x < dims[0]; x++, i++) {
        hessianAt(f, dims, sp, x, y, z, s2, h);
        symmetricEigenvalues3(h, e);
        out.lambda1[i] = e[0];
        out.lambda2[i] = e[1];
        out.lambda3[i] = e[2];
      }
  return out;
}

/** Multiscale Frangi vesselness for bright vessels on a dark background; values in [0, 1]. */
export function vesselnessReference(
  data: ScalarData,
  dims: Vec3,
  spacing: Vec3,
  options: VesselnessOptions,
): Float32Array {
  const n = checkData(data, dims);
  const sp = checkSpacing(spacing);
  const alpha = options.alpha ?? 0.5,
    beta = options.beta ?? 0.5;
  const out = new Float32Array(n);
  const h = new Float64Array(6),
    e = new Float64Array(3);
  for (const sigma of options.sigmasMm) {
    const f = gaussianReference(data, dims, sp, sigma, options.truncate ?? 3);
    const s2 = sigma * sigma;
    let c = options.c;
    if (c === undefined) {
      let maxNorm2 = 0;
      let i = 0;
      for (let z = 0; z < dims[2]; z++)
        for (let y = 0; y < dims[1]; y++)
          for (let x = 0; x < dims[0]; x++, i++) {
            hessianAt(f, dims, sp, x, y, z, s2, h);
            const n2 = h[0] ** 2 + h[1] ** 2 + h[2] ** 2 + 2 * (h[3] ** 2 + h[4] ** 2 + h[5] ** 2);
            if (n2 > maxNorm2) maxNorm2 = n2;
          }
      c = maxNorm2 > 0 ? 0.5 * Math.sqrt(maxNorm2) : 1;
    }
    let i = 0;
    for (let z = 0; z < dims[2]; z++)
      for (let y = 0; y < dims[1]; y++)
        for (let x = 0; x < dims[0]; x++, i++) {
          hessianAt(f, dims, sp, x, y, z, s2, h);
          symmetricEigenvalues3(h, e);
          let v = 0;
          if (e[1] < 0 && e[2] < 0) {
            const ra2 = (e[1] * e[1]) / (e[2] * e[2]);
            const rb2 = Math.abs(e[0] * e[0]) / Math.abs(e[1] * e[2]);
            const s = e[0] * e[0] + e[1] * e[1] + e[2] * e[2];
            v =
              (1 - Math.exp(-ra2 / (2 * alpha * alpha))) *
              Math.exp(-rb2 / (2 * beta * beta)) *
              (1 - Math.exp(-s / (2 * c * c)));
          }
          if (v > out[i]) out[i] = v;
        }
  }
  return out;
}
