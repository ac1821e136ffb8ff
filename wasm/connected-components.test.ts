import { beforeAll, describe, expect, it } from 'vitest';
import { createKernels, type Connectivity, type Kernels, type Vec3 } from './kernels';
import { readFileSync } from 'node:fs';
import { connectedComponentsReference } from './reference/connected-components';
import { countDiff, randomBlobMask, randomSparseMask } from './testing/random';

let k: Kernels;
beforeAll(async () => {
  k = await createKernels(readFileSync(new URL('./build/qiview-kernels.wasm', import.meta.url)));
});

const CONNS: Connectivity[] = [6, 18, 26];

describe('connected components', () => {
  it('equals the voxel-wise reference exactly (same numbering) on random masks, all connectivities', () => {
    const cases: Array<[Vec3, Uint8Array]> = [
      [[37, 29, 23], randomBlobMask([37, 29, 23], 3, 0.45, 1)],
      [[53, 17, 11], randomSparseMask([53, 17, 11], 4, 0.3)],
      [[16, 16, 16], randomSparseMask([16, 16, 16], 5, 0.5)],
      [[1, 1, 9], randomSparseMask([1, 1, 9], 6, 0.5)],
      [[20, 1, 1], randomSparseMask([20, 1, 1], 7, 0.5)],
    ];
    for (const [dims, mask] of cases) {
      for (const c of CONNS) {
        const w = k.connectedComponents(mask, dims, c);
        const r = connectedComponentsReference(mask, dims, c);
        expect(w.count).toBe(r.count);
        expect(countDiff(w.labels, r.labels)).toBe(0);
        expect(Array.from(w.sizes)).toEqual(Array.from(r.sizes));
      }
    }
  });

  it('counts known blobs and tells connectivities apart', () => {
    const dims: Vec3 = [20, 20, 20];
    const m = new Uint8Array(8000);
    const set = (x: number, y: number, z: number) => (m[x + 20 * (y + 20 * z)] = 1);
    // blob A: 3×3×3 cube; blob B: 2×2×2 cube far away; C and D: two voxels touching only by an edge; E, F: by a corner
    for (let z = 1; z < 4; z++) for (let y = 1; y < 4; y++) for (let x = 1; x < 4; x++) set(x, y, z);
    for (let z = 10; z < 12; z++) for (let y = 10; y < 12; y++) for (let x = 10; x < 12; x++) set(x, y, z);
    set(15, 2, 2);
    set(16, 3, 2); // edge neighbour of (15,2,2)
    set(2, 15, 15);
    set(3, 16, 16); // corner neighbour of (2,15,15)
    const c6 = k.connectedComponents(m, dims, 6);
    const c18 = k.connectedComponents(m, dims, 18);
    const c26 = k.connectedComponents(m, dims, 26);
    expect([c6.count, c18.count, c26.count]).toEqual([6, 5, 4]);
    expect(c26.sizes[1]).toBe(27); // first voxel in raster order belongs to the 3³ cube
    expect(Array.from(c26.sizes).sort((a, b) => b - a)).toEqual([27, 8, 2, 2, 0]);
  });

  it('keeps the largest components and removes small ones', () => {
    const dims: Vec3 = [30, 30, 10];
    const m = randomSparseMask(dims, 11, 0.2);
    for (let z = 2; z < 8; z++)
      for (let y = 2; y < 12; y++) for (let x = 2; x < 12; x++) m[x + 30 * (y + 30 * z)] = 1;
    const ref = connectedComponentsReference(m, dims, 6);
    const biggest = Array.from(ref.sizes).indexOf(Math.max(...ref.sizes));
    const kept = k.keepLargestComponents(m, dims, { connectivity: 6 });
    expect(
      countDiff(
        kept,
        Uint8Array.from(ref.labels, (l) => (l === biggest ? 1 : 0)),
      ),
    ).toBe(0);
    const big = k.removeSmallComponents(m, dims, 3, 6);
    expect(
      countDiff(
        big,
        Uint8Array.from(ref.labels, (l) => (l && ref.sizes[l] >= 3 ? 1 : 0)),
      ),
    ).toBe(0);
    expect(k.keepLargestComponents(new Uint8Array(9000), dims).every((v) => v === 0)).toBe(true);
  });

  it('rejects bad input', () => {
    expect(() => k.connectedComponents(new Uint8Array(8), [2, 2, 2], 8 as Connectivity)).toThrow(
      /6, 18 or 26/,
    );
    expect(() => k.connectedComponents(new Int32Array(8) as never, [2, 2, 2])).toThrow(/Uint8Array/);
    expect(() => k.connectedComponents(new Uint8Array(8), [2, 2, 0] as Vec3)).toThrow(/dims/);
  });
});
