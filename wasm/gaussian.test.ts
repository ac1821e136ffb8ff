import { beforeAll, describe, expect, it } from 'vitest';
import { createKernels, type Kernels, type Vec3 } from './kernels';
import { readFileSync } from 'node:fs';
import { gaussianReference, gaussianWeights } from './reference/gaussian';
import { maxAbsDiff, randomFloat32, randomInt16 } from './testing/random';

let k: Kernels;
beforeAll(async () => {
  k = await createKernels(readFileSync(new URL('./build/qiview-kernels.wasm', import.meta.url)));
});

describe('gaussian', () => {
  it('matches the TypeScript reference on random float32 and int16 volumes (|Δ| ≤ 1e-4 of the data range)', () => {
    // odd sizes exercise the SIMD tails; anisotropic spacing and sigma
    const cases: Array<[Vec3, Vec3, Vec3 | number]> = [
      [
        [37, 29, 23],
        [0.7, 0.9, 2.5],
        [1.5, 2, 3],
      ],
      [[64, 16, 9], [1, 1, 1], 0.8],
      [
        [5, 3, 2],
        [0.5, 0.5, 1],
        [2, 0, 1],
      ],
      [[1, 1, 40], [1, 1, 1], 3],
    ];
    for (const [dims, spacing, sigma] of cases) {
      const f = randomFloat32(dims, 1);
      expect(
        maxAbsDiff(k.gaussian(f, dims, spacing, sigma), gaussianReference(f, dims, spacing, sigma)),
      ).toBeLessThan(0.2);
      const s = randomInt16(dims, 2);
      expect(
        maxAbsDiff(k.gaussian(s, dims, spacing, sigma), gaussianReference(s, dims, spacing, sigma)),
      ).toBeLessThan(0.3);
    }
  });

  it('of an impulse is the sampled, normalised Gaussian (separable product), |Δ| ≤ 1e-7', () => {
    const dims: Vec3 = [41, 41, 31];
    const spacing: Vec3 = [0.5, 0.8, 1.2];
    const sigma: Vec3 = [1.5, 2.0, 2.4];
    const data = new Float32Array(dims[0] * dims[1] * dims[2]);
    const c = [20, 20, 15];
    data[c[0] + dims[0] * (c[1] + dims[1] * c[2])] = 1;
    const out = k.gaussian(data, dims, spacing, sigma, { truncate: 4 });
    // independent analytic truth: exp(-d²/2σ²) normalised over the truncated support
    const w = [0, 1, 2].map((a) => {
      const sv = sigma[a] / spacing[a];
      const r = Math.ceil(4 * sv);
      let sum = 0;
      for (let t = -r; t <= r; t++) sum += Math.exp(-(t * t) / (2 * sv * sv));
      return (t: number) => (Math.abs(t) <= r ? Math.exp(-(t * t) / (2 * sv * sv)) / sum : 0);
    });
    let maxErr = 0,
      total = 0;
    for (let z = 0; z < dims[2]; z++)
      for (let y = 0; y < dims[1]; y++)
        for (let x = 0; x < dims[0]; x++) {
          const v = out[x + dims[0] * (y + dims[1] * z)];
          total += v;
          maxErr = Math.max(maxErr, Math.abs(v - w[0](x - c[0]) * w[1](y - c[1]) * w[2](z - c[2])));
        }
    expect(maxErr).toBeLessThan(1e-7);
    expect(Math.abs(total - 1)).toBeLessThan(1e-5);
  });

  it('keeps a constant volume constant (replicated borders) and leaves sigma 0 untouched', () => {
    const dims: Vec3 = [13, 7, 5];
    const v = new Int16Array(13 * 7 * 5).fill(-321);
    const out = k.gaussian(v, dims, [1, 1, 1], 2.5);
    expect(maxAbsDiff(out, new Float32Array(out.length).fill(-321))).toBeLessThan(1e-3);
    const r = randomFloat32(dims, 9);
    expect(maxAbsDiff(k.gaussian(r, dims, [1, 1, 1], 0), r)).toBe(0);
  });

  it('uses the documented kernel (weights sum to 1, radius ceil(3σ))', () => {
    const w = gaussianWeights(2, 3)!;
    expect(w.length).toBe(7);
    expect(w[0] + 2 * w.slice(1).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  it('rejects bad input with clear errors', () => {
    expect(() => k.gaussian(new Float32Array(5), [2, 2, 2], [1, 1, 1], 1)).toThrow(/has 5 values/);
    expect(() => k.gaussian(new Float32Array(8), [2, 2, 2], [1, 0, 1], 1)).toThrow(/spacing/);
    expect(() => k.gaussian(new Float32Array(8), [2, 2, 2], [1, 1, 1], -1)).toThrow(/sigmaMm/);
    expect(() => k.gaussian(new Float64Array(8) as never, [2, 2, 2], [1, 1, 1], 1)).toThrow(
      /Float32Array or Int16Array/,
    );
  });
});
