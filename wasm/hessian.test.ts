import { beforeAll, describe, expect, it } from 'vitest';
import { createKernels, type Kernels, type Vec3 } from './kernels';
import { readFileSync } from 'node:fs';
import { hessianEigenvaluesReference, symmetricEigenvalues3, vesselnessReference } from './reference/hessian';
import { maxAbsDiff, randomFloat32, rng } from './testing/random';

let k: Kernels;
beforeAll(async () => {
  k = await createKernels(readFileSync(new URL('./build/qiview-kernels.wasm', import.meta.url)));
});

/** Bright tube of radius r (mm) along z through (cx, cy) on a dark background, plus mild noise. */
function tube(dims: Vec3, sp: Vec3, r: number, noise: number, seed = 1): Float32Array {
  const rand = rng(seed);
  const out = new Float32Array(dims[0] * dims[1] * dims[2]);
  const cx = ((dims[0] - 1) / 2) * sp[0],
    cy = ((dims[1] - 1) / 2) * sp[1];
  let i = 0;
  for (let z = 0; z < dims[2]; z++)
    for (let y = 0; y < dims[1]; y++)
      for (let x = 0; x < dims[0]; x++, i++) {
        const d = Math.hypot(x * sp[0] - cx, y * sp[1] - cy);
        out[i] = (d <= r ? 400 : 0) + noise * (rand() - 0.5);
      }
  return out;
}

describe('hessian eigenvalues', () => {
  it('closed-form 3×3 eigenvalues match known spectra, sorted by magnitude', () => {
    const e = new Float64Array(3);
    symmetricEigenvalues3([2, -5, 1, 0, 0, 0], e);
    expect(Array.from(e)).toEqual([1, 2, -5]);
    // rotation of diag(3, -1, 0.5) about z by 30°
    const c = Math.cos(Math.PI / 6),
      s = Math.sin(Math.PI / 6);
    symmetricEigenvalues3([3 * c * c + -1 * s * s, 3 * s * s + -1 * c * c, 0.5, (3 - -1) * c * s, 0, 0], e);
    expect(maxAbsDiff(e, [0.5, -1, 3])).toBeLessThan(1e-12);
    symmetricEigenvalues3([4, 4, 4, 0, 0, 0], e);
    expect(Array.from(e)).toEqual([4, 4, 4]);
  });

  it('match the TypeScript reference on a random volume (|Δ| ≤ 1e-3 · max|λ|)', () => {
    const dims: Vec3 = [23, 19, 15];
    const sp: Vec3 = [0.7, 0.8, 1.5];
    const v = randomFloat32(dims, 31);
    for (const normalize of [true, false]) {
      const w = k.hessianEigenvalues(v, dims, sp, 1.4, { normalize });
      const r = hessianEigenvaluesReference(v, dims, sp, 1.4, normalize);
      const scale = r.lambda3.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
      expect(maxAbsDiff(w.lambda1, r.lambda1)).toBeLessThan(1e-3 * scale);
      expect(maxAbsDiff(w.lambda2, r.lambda2)).toBeLessThan(1e-3 * scale);
      expect(maxAbsDiff(w.lambda3, r.lambda3)).toBeLessThan(1e-3 * scale);
    }
  });

  it('on a bright tube: λ1 ≈ 0 along the axis, λ2 ≈ λ3 < 0 at the centre', () => {
    const dims: Vec3 = [31, 31, 21];
    const v = tube(dims, [1, 1, 1], 3, 0);
    const e = k.hessianEigenvalues(v, dims, [1, 1, 1], 2);
    const c = 15 + 31 * (15 + 31 * 10);
    expect(e.lambda2[c]).toBeLessThan(-10);
    expect(Math.abs(e.lambda2[c] - e.lambda3[c]) / Math.abs(e.lambda3[c])).toBeLessThan(0.02);
    expect(Math.abs(e.lambda1[c]) / Math.abs(e.lambda3[c])).toBeLessThan(1e-3);
  });
});

describe('frangi vesselness', () => {
  it('matches the reference (|Δ| ≤ 2e-3) on a noisy tube, multiscale, anisotropic spacing', () => {
    const dims: Vec3 = [29, 27, 17];
    const sp: Vec3 = [0.8, 0.8, 1.2];
    const v = tube(dims, sp, 2.5, 80, 4);
    const opts = { sigmasMm: [1, 2, 3] };
    const w = k.vesselness(v, dims, sp, opts);
    const r = vesselnessReference(v, dims, sp, opts);
    expect(maxAbsDiff(w, r)).toBeLessThan(2e-3);
    expect(
      maxAbsDiff(
        k.vesselness(Int16Array.from(v, Math.round), dims, sp, opts),
        vesselnessReference(Int16Array.from(v, Math.round), dims, sp, opts),
      ),
    ).toBeLessThan(2e-3);
  });

  it('is high on a synthetic tube and low in the background; zero for a dark tube', () => {
    const dims: Vec3 = [41, 41, 21];
    const sp: Vec3 = [1, 1, 1];
    const v = tube(dims, sp, 3, 40, 7);
    const out = k.vesselness(v, dims, sp, { sigmasMm: [1.5, 2.5, 3.5] });
    let inside = 0,
      nIn = 0,
      bg = 0,
      nBg = 0;
    for (let z = 3; z < 18; z++)
      for (let y = 0; y < 41; y++)
        for (let x = 0; x < 41; x++) {
          const d = Math.hypot(x - 20, y - 20);
          const val = out[x + 41 * (y + 41 * z)];
          if (d <= 1.5) {
            inside += val;
            nIn++;
          } else if (d >= 10) {
            bg += val;
            nBg++;
          }
        }
    expect(inside / nIn).toBeGreaterThan(0.5);
    expect(bg / nBg).toBeLessThan(0.05);
    expect(Math.max(...out)).toBeLessThanOrEqual(1);
    const dark = k.vesselness(
      v.map((x) => -x),
      dims,
      sp,
      { sigmasMm: [2.5] },
    );
    let darkCentre = 0;
    for (let z = 3; z < 18; z++) darkCentre += dark[20 + 41 * (20 + 41 * z)];
    expect(darkCentre).toBe(0);
  });

  it('rejects bad options', () => {
    expect(() => k.vesselness(new Float32Array(8), [2, 2, 2], [1, 1, 1], { sigmasMm: [] })).toThrow(
      /sigmasMm/,
    );
    expect(() =>
      k.vesselness(new Float32Array(8), [2, 2, 2], [1, 1, 1], { sigmasMm: [1], alpha: 0 }),
    ).toThrow(/alpha/);
  });
});
