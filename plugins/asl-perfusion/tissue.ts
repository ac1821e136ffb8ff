/**
 * Brain mask and GM/WM tissue estimates on the ASL grid.
 * - Brain mask: M0 (or mean control) above a fraction of its robust maximum, largest component, holes filled.
 * - Tissue from a T1-weighted series (resampled to the ASL grid through patient coordinates, or registered with
 *   context.registration when the host offers it): three-class k-means on T1w intensity inside the brain
 *   (CSF < GM < WM on T1w), with linear partial-volume fractions between the GM and WM class means.
 * - Fallback without T1w: the same clustering on M0 (proton density: WM < GM < CSF), clearly labelled as a
 *   fallback; its GM/WM split is approximate.
 *
 * @packageDocumentation
 */
import { voxelToWorld, worldToVoxel, type Kernels, type Volume } from '@qiview/sdk';
import { trilinear } from './motion';

/** Fraction of the 98th percentile above which a voxel belongs to the head in M0. */
export const MASK_FRACTION = 0.25;

/** Tissue estimates. */
export interface TissueMaps {
  brain: Uint8Array;
  /** Partial-volume fractions 0..1. */
  pgm: Float32Array;
  pwm: Float32Array;
  source: 't1w' | 'm0-fallback';
  /** Human-readable description (shown with the parameters). */
  detail: string;
}

function percentile(values: ArrayLike<number>, q: number, mask?: Uint8Array): number {
  const a: number[] = [];
  for (let i = 0; i < values.length; i++) if (!mask || mask[i]) a.push(values[i]!);
  if (!a.length) return 0;
  a.sort((x, y) => x - y);
  return a[Math.min(a.length - 1, Math.max(0, Math.round(q * (a.length - 1))))]!;
}

/** Brain mask from an M0-like image. */
export function brainMask(m0: Float32Array, vol: Volume, kernels: Kernels): Uint8Array {
  const dims = vol.geometry.dimensions;
  const thr = MASK_FRACTION * percentile(m0, 0.98);
  let mask: Uint8Array = new Uint8Array(m0.length);
  for (let i = 0; i < m0.length; i++) mask[i] = m0[i]! > thr ? 1 : 0;
  mask = kernels.keepLargestComponents(mask, dims, { keep: 1 });
  mask = kernels.fillHoles(mask, dims, { mode: '2d', axis: 2 });
  return mask;
}

/** 1D k-means with sorted centres. */
export function kmeans1d(values: ArrayLike<number>, mask: Uint8Array, k: number): number[] {
  let c = Array.from({ length: k }, (_, i) => percentile(values, (i + 0.5) / k, mask));
  for (let it = 0; it < 50; it++) {
    const s = new Float64Array(k),
      n = new Float64Array(k);
    for (let v = 0; v < values.length; v++) {
      if (!mask[v]) continue;
      const x = values[v]!;
      let b = 0;
      for (let j = 1; j < k; j++) if (Math.abs(x - c[j]!) < Math.abs(x - c[b]!)) b = j;
      s[b] += x;
      n[b]++;
    }
    const nc = c.map((old, j) => (n[j]! > 0 ? s[j]! / n[j]! : old));
    const done = nc.every((x, j) => Math.abs(x - c[j]!) < 1e-6 * Math.max(1, Math.abs(x)));
    c = nc;
    if (done) break;
  }
  return c.sort((a, b) => a - b);
}

/** Resamples a (3D) volume onto the grid of `target` through patient coordinates (trilinear). */
export function resampleToGrid(source: Volume, target: Volume): Float32Array {
  const [nx, ny, nz] = target.geometry.dimensions;
  const out = new Float32Array(nx * ny * nz);
  const n3 = source.geometry.dimensions[0] * source.geometry.dimensions[1] * source.geometry.dimensions[2];
  const data = source.data.subarray(0, n3);
  let o = 0;
  for (let k = 0; k < nz; k++)
    for (let j = 0; j < ny; j++)
      for (let i = 0; i < nx; i++, o++) {
        const [x, y, z] = worldToVoxel(source.geometry, voxelToWorld(target.geometry, i, j, k));
        const v = trilinear(data, source.geometry.dimensions, x, y, z);
        out[o] = Number.isNaN(v) ? 0 : v;
      }
  return out;
}

/**
 * GM/WM partial-volume fractions from an intensity image on the ASL grid. `order` says which class is brightest:
 * 't1w' (CSF < GM < WM) or 'm0' (WM < GM < CSF).
 */
export function tissueFromIntensity(
  img: Float32Array,
  brain: Uint8Array,
  order: 't1w' | 'm0',
): { pgm: Float32Array; pwm: Float32Array } {
  let gmC: number, wmC: number, csfC: number;
  if (order === 't1w') {
    [csfC, gmC, wmC] = kmeans1d(img, brain, 3) as [number, number, number];
  } else {
    // M0 (proton density): GM/WM contrast is small and CSF may be nearly absent (thin sulci at ASL resolution), so
    // fit two classes on the trimmed 5-90 % range and treat only clearly brighter voxels as CSF.
    const lo = percentile(img, 0.05, brain),
      hi = percentile(img, 0.9, brain);
    const trimmed = new Uint8Array(brain.length);
    for (let v = 0; v < brain.length; v++) trimmed[v] = brain[v] && img[v]! >= lo && img[v]! <= hi ? 1 : 0;
    [wmC, gmC] = kmeans1d(img, trimmed, 2) as [number, number];
    csfC = Math.max(percentile(img, 0.99, brain), gmC + 2 * (gmC - wmC));
  }
  const pgm = new Float32Array(img.length),
    pwm = new Float32Array(img.length);
  for (let v = 0; v < img.length; v++) {
    if (!brain[v]) continue;
    const x = img[v]!;
    // linear mixing on the GM-WM segment and on the GM-CSF segment
    const towardsWm = (x - gmC) / (wmC - gmC);
    if (towardsWm >= 0) {
      const w = Math.min(1, towardsWm);
      pwm[v] = w;
      pgm[v] = 1 - w;
    } else {
      const towardsCsf = Math.min(1, (x - gmC) / (csfC - gmC));
      pgm[v] = Math.max(0, 1 - towardsCsf);
    }
  }
  return { pgm, pwm };
}
