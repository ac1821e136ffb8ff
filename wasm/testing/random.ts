/** Deterministic random volumes for the kernel tests and benchmarks (no dependencies, seeded). */
import type { Vec3 } from '../types';
import { gaussianReference } from '../reference/gaussian';

/** mulberry32: small seeded PRNG returning floats in [0, 1). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Uniform noise in [lo, hi). */
export function randomFloat32(dims: Vec3, seed: number, lo = -1000, hi = 1000): Float32Array {
  const r = rng(seed);
  const out = new Float32Array(dims[0] * dims[1] * dims[2]);
  for (let i = 0; i < out.length; i++) out[i] = lo + (hi - lo) * r();
  return out;
}

/** Uniform integer noise in [lo, hi]. */
export function randomInt16(dims: Vec3, seed: number, lo = -1024, hi = 2000): Int16Array {
  const r = rng(seed);
  const out = new Int16Array(dims[0] * dims[1] * dims[2]);
  for (let i = 0; i < out.length; i++) out[i] = lo + Math.floor((hi - lo + 1) * r());
  return out;
}

/** Blobby random mask: smoothed noise thresholded so that roughly `fraction` of voxels are set. */
export function randomBlobMask(dims: Vec3, seed: number, fraction = 0.4, smoothVoxels = 1): Uint8Array {
  const noise = randomFloat32(dims, seed, 0, 1);
  const s = smoothVoxels > 0 ? gaussianReference(noise, dims, [1, 1, 1], smoothVoxels) : noise;
  const sorted = Float32Array.from(s).sort();
  const t = sorted[Math.min(sorted.length - 1, Math.floor((1 - fraction) * sorted.length))];
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s[i] >= t ? 1 : 0;
  return out;
}

/** Salt-and-pepper mask (independent voxels) with the given density; values are random nonzero bytes. */
export function randomSparseMask(dims: Vec3, seed: number, density: number): Uint8Array {
  const r = rng(seed);
  const out = new Uint8Array(dims[0] * dims[1] * dims[2]);
  for (let i = 0; i < out.length; i++) out[i] = r() < density ? 1 + Math.floor(r() * 255) : 0;
  return out;
}

/** Largest absolute difference between two arrays (Infinity entries must match exactly). */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new RangeError(`length ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    if (a[i] === b[i]) continue;
    const d = Math.abs(a[i] - b[i]);
    if (!(d <= m)) m = d; // NaN or Infinity mismatch propagates
  }
  return m;
}

/** Number of positions where two arrays differ. */
export function countDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let c = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) c++;
  return c;
}
