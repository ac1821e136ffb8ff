import { beforeAll, describe, expect, it } from 'vitest';
import { createKernels, type Kernels, type Vec3 } from './kernels';
import { readFileSync } from 'node:fs';
import { distanceTransformReference } from './reference/edt';
import { maxAbsDiff, randomSparseMask } from './testing/random';

let k: Kernels;
beforeAll(async () => {
  k = await createKernels(readFileSync(new URL('./build/qiview-kernels.wasm', import.meta.url)));
});

/** Brute force: distance to the nearest site by checking every site. */
function bruteForce(mask: Uint8Array, dims: Vec3, sp: Vec3): Float64Array {
  const sites: Vec3[] = [];
  const out = new Float64Array(mask.length);
  for (let i = 0; i < mask.length; i++)
    if (mask[i])
      sites.push([i % dims[0], Math.floor(i / dims[0]) % dims[1], Math.floor(i / (dims[0] * dims[1]))]);
  for (let i = 0; i < mask.length; i++) {
    const x = i % dims[0],
      y = Math.floor(i / dims[0]) % dims[1],
      z = Math.floor(i / (dims[0] * dims[1]));
    let best = Infinity;
    for (const s of sites)
      best = Math.min(
        best,
        ((x - s[0]) * sp[0]) ** 2 + ((y - s[1]) * sp[1]) ** 2 + ((z - s[2]) * sp[2]) ** 2,
      );
    out[i] = Math.sqrt(best);
  }
  return out;
}

describe('euclidean distance transform', () => {
  it('of a single point is the Euclidean distance in mm (relative error ≤ 1e-6)', () => {
    const dims: Vec3 = [33, 25, 17];
    const sp: Vec3 = [0.6, 0.9, 2.5];
    const m = new Uint8Array(33 * 25 * 17);
    const p = [7, 20, 11];
    m[p[0] + 33 * (p[1] + 25 * p[2])] = 1;
    const d = k.distanceTransform(m, dims, sp);
    let worst = 0;
    for (let i = 0; i < d.length; i++) {
      const x = i % 33,
        y = Math.floor(i / 33) % 25,
        z = Math.floor(i / 825);
      const truth = Math.hypot((x - p[0]) * sp[0], (y - p[1]) * sp[1], (z - p[2]) * sp[2]);
      worst = Math.max(worst, Math.abs(d[i] - truth) / Math.max(truth, 1));
    }
    expect(worst).toBeLessThan(1e-6);
  });

  it('equals brute force and the reference on random sparse masks (|Δ| ≤ 1e-4 mm)', () => {
    const dims: Vec3 = [23, 19, 13];
    const sp: Vec3 = [0.8, 1.1, 3];
    for (const density of [0.002, 0.02, 0.3]) {
      const m = randomSparseMask(dims, Math.round(density * 1000), density);
      const w = k.distanceTransform(m, dims, sp);
      expect(maxAbsDiff(w, bruteForce(m, dims, sp))).toBeLessThan(1e-4);
      expect(maxAbsDiff(w, distanceTransformReference(m, dims, sp))).toBeLessThan(1e-4);
      const sq = k.distanceTransform(m, dims, sp, { squared: true });
      expect(maxAbsDiff(sq, distanceTransformReference(m, dims, sp, true))).toBeLessThan(1e-3);
    }
  });

  it('is Infinity everywhere for an empty mask', () => {
    const d = k.distanceTransform(new Uint8Array(60), [5, 4, 3], [1, 1, 1]);
    expect(d.every((v) => v === Infinity)).toBe(true);
  });
});
