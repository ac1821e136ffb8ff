import { beforeAll, describe, expect, it } from 'vitest';
import { createKernels, type Kernels, type Vec3 } from './kernels';
import { readFileSync } from 'node:fs';
import { regionGrowReference } from './reference/region-grow';
import { connectedComponentsReference } from './reference/connected-components';
import { countDiff, randomInt16 } from './testing/random';

let k: Kernels;
beforeAll(async () => {
  k = await createKernels(readFileSync(new URL('./build/qiview-kernels.wasm', import.meta.url)));
});

describe('region growing', () => {
  it('equals the reference and the 6-connected component of the in-range mask containing the seed', () => {
    const dims: Vec3 = [37, 31, 19];
    const v = randomInt16(dims, 12, 0, 100);
    const seeds: Vec3[] = [
      [3, 4, 5],
      [30, 20, 10],
    ];
    const idx = seeds.map(([x, y, z]) => x + 37 * (y + 31 * z));
    const lo = 20,
      hi = 75;
    const w = k.regionGrow(v, dims, seeds, [lo, hi]);
    expect(countDiff(w, regionGrowReference(v, dims, idx, lo, hi))).toBe(0);
    expect(countDiff(k.regionGrow(Float32Array.from(v), dims, idx, [lo, hi]), w)).toBe(0);
    // independent truth: components of the thresholded mask that contain an in-range seed
    const inRange = Uint8Array.from(v, (x) => (x >= lo && x <= hi ? 1 : 0));
    const cc = connectedComponentsReference(inRange, dims, 6);
    const keep = new Set(idx.map((i) => cc.labels[i]).filter((l) => l > 0));
    expect(
      countDiff(
        w,
        Uint8Array.from(cc.labels, (l) => (keep.has(l) ? 1 : 0)),
      ),
    ).toBe(0);
    expect(w.reduce((s, x) => s + x, 0)).toBeGreaterThan(100);
  });

  it('grows nothing from an out-of-range seed and rejects bad seeds', () => {
    const dims: Vec3 = [4, 4, 4];
    const v = new Int16Array(64).fill(10);
    expect(k.regionGrow(v, dims, [0], [20, 30]).every((x) => x === 0)).toBe(true);
    expect(k.regionGrow(v, dims, [0], [10, 10]).every((x) => x === 1)).toBe(true);
    expect(() => k.regionGrow(v, dims, [[4, 0, 0]], [0, 1])).toThrow(/outside/);
    expect(() => k.regionGrow(v, dims, [0], [5, 1])).toThrow(/lo <= hi/);
  });
});
