import { beforeAll, describe, expect, it } from 'vitest';
import { createKernels, type Kernels, type StructuringRadius, type Vec3 } from './kernels';
import { readFileSync } from 'node:fs';
import {
  closeReference,
  dilateReference,
  erodeReference,
  fillHolesReference,
  openReference,
} from './reference/morphology';
import { structuringOffsets, structuringScale } from './reference/structuring-element';
import { countDiff, randomBlobMask, randomSparseMask } from './testing/random';

let k: Kernels;
beforeAll(async () => {
  k = await createKernels(readFileSync(new URL('./build/qiview-kernels.wasm', import.meta.url)));
});

describe('binary morphology', () => {
  const dims: Vec3 = [31, 27, 19];
  const mask = randomBlobMask(dims, 21, 0.4, 1.2);
  const radii: Array<[Vec3, StructuringRadius]> = [
    [[1, 1, 1], { voxels: 1 }],
    [[1, 1, 1], { voxels: 2 }],
    [[0.73, 0.73, 2.1], { mm: 1.9 }],
    [[0.5, 0.9, 1.3], { mm: [1.2, 2.5, 3] }],
    [[1, 1, 1], { voxels: [2, 1, 0] }],
  ];

  it('erode / dilate / open / close equal the textbook definition exactly', () => {
    for (const [spacing, r] of radii) {
      expect(countDiff(k.dilate(mask, dims, spacing, r), dilateReference(mask, dims, spacing, r))).toBe(0);
      expect(countDiff(k.erode(mask, dims, spacing, r), erodeReference(mask, dims, spacing, r))).toBe(0);
      expect(countDiff(k.open(mask, dims, spacing, r), openReference(mask, dims, spacing, r))).toBe(0);
      expect(countDiff(k.close(mask, dims, spacing, r), closeReference(mask, dims, spacing, r))).toBe(0);
    }
  });

  it('flat and line elements (direct row path) equal the textbook definition exactly', () => {
    const flat: Array<[Vec3, StructuringRadius]> = [
      [[1, 1, 1], { voxels: [0, 2, 1] }],
      [[1, 1, 1], { voxels: [3, 0, 0] }],
      [[0.6, 0.8, 1.5], { mm: [0, 0, 3] }],
      [[0.6, 0.8, 1.5], { mm: [1.3, 0, 2] }],
    ];
    for (const [spacing, r] of flat) {
      expect(countDiff(k.dilate(mask, dims, spacing, r), dilateReference(mask, dims, spacing, r))).toBe(0);
      expect(countDiff(k.erode(mask, dims, spacing, r), erodeReference(mask, dims, spacing, r))).toBe(0);
      expect(countDiff(k.open(mask, dims, spacing, r), openReference(mask, dims, spacing, r))).toBe(0);
    }
  });

  it('large elements (distance-transform path, on the bounding box) equal the textbook definition exactly', () => {
    // > 96 rows along x: qk_morph (EDT on the foreground's box), not the direct row path
    const big: Array<[Vec3, StructuringRadius]> = [
      [[1, 1, 1], { voxels: [2, 6, 6] }],
      [[0.7, 0.7, 1], { mm: 5 }],
    ];
    for (const [spacing, r] of big) {
      const rows = structuringOffsets(structuringScale(r, spacing)).map(([, dy, dz]) => `${dy},${dz}`);
      expect(new Set(rows).size).toBeGreaterThan(96);
    }
    // a small blob away from the borders (box well inside the volume) and the blob mask touching them
    const blob = new Uint8Array(mask.length);
    for (let z = 7; z < 12; z++)
      for (let y = 10; y < 16; y++) for (let x = 12; x < 20; x++) blob[x + dims[0] * (y + dims[1] * z)] = 1;
    blob[13 + dims[0] * (11 + dims[1] * 8)] = 0;
    for (const m of [mask, blob])
      for (const [spacing, r] of big) {
        expect(countDiff(k.dilate(m, dims, spacing, r), dilateReference(m, dims, spacing, r))).toBe(0);
        expect(countDiff(k.erode(m, dims, spacing, r), erodeReference(m, dims, spacing, r))).toBe(0);
        expect(countDiff(k.close(m, dims, spacing, r), closeReference(m, dims, spacing, r))).toBe(0);
      }
    expect(k.erode(new Uint8Array(mask.length), dims, [1, 1, 1], { voxels: 1 }).some((v) => v !== 0)).toBe(
      false,
    );
    expect(k.dilate(new Uint8Array(mask.length), dims, [1, 1, 1], { voxels: 9 }).some((v) => v !== 0)).toBe(
      false,
    );
  });

  it('dilating one voxel stamps the structuring element (6 neighbours for radius 1, 33 for radius 2)', () => {
    const d: Vec3 = [9, 9, 9];
    const m = new Uint8Array(729);
    m[4 + 9 * (4 + 9 * 4)] = 1;
    const sum = (a: Uint8Array) => a.reduce((s, v) => s + v, 0);
    expect(sum(k.dilate(m, d, [1, 1, 1], { voxels: 1 }))).toBe(7);
    expect(sum(k.dilate(m, d, [1, 1, 1], { voxels: 2 }))).toBe(33);
    expect(structuringOffsets(structuringScale({ voxels: 2 }, [1, 1, 1])).length).toBe(33);
    // flat element: radius 0 along z stays in the slice
    const flat = k.dilate(m, d, [1, 1, 1], { voxels: [1, 1, 0] });
    expect(sum(flat)).toBe(5);
    // eroding a 5³ cube by radius 1 leaves the 3³ core; borders of the volume do not erode
    const cube = new Uint8Array(729);
    for (let z = 2; z < 7; z++)
      for (let y = 2; y < 7; y++) for (let x = 2; x < 7; x++) cube[x + 9 * (y + 9 * z)] = 1;
    expect(sum(k.erode(cube, d, [1, 1, 1], { voxels: 1 }))).toBe(27);
    expect(sum(k.erode(new Uint8Array(729).fill(1), d, [1, 1, 1], { voxels: 3 }))).toBe(729);
  });

  it('fills 3D and per-slice holes like the reference, and a hollow sphere becomes solid', () => {
    const sparse = randomSparseMask(dims, 5, 0.6);
    for (const m of [mask, sparse]) {
      expect(countDiff(k.fillHoles(m, dims), fillHolesReference(m, dims, '3d'))).toBe(0);
      for (const axis of [0, 1, 2] as const) {
        expect(
          countDiff(k.fillHoles(m, dims, { mode: '2d', axis }), fillHolesReference(m, dims, '2d', axis)),
        ).toBe(0);
      }
    }
    const d: Vec3 = [21, 21, 21];
    const shell = new Uint8Array(21 ** 3);
    let inside = 0;
    for (let z = 0; z < 21; z++)
      for (let y = 0; y < 21; y++)
        for (let x = 0; x < 21; x++) {
          const r = Math.hypot(x - 10, y - 10, z - 10);
          if (r <= 8) inside++;
          if (r > 6.5 && r <= 8) shell[x + 21 * (y + 21 * z)] = 1;
        }
    expect(k.fillHoles(shell, d).reduce((s, v) => s + v, 0)).toBe(inside);
  });

  it('rejects bad radii', () => {
    expect(() => k.dilate(mask, dims, [1, 1, 1], { mm: -1 })).toThrow(/radius/);
    expect(() => k.dilate(mask, dims, [1, 1, 1], {} as StructuringRadius)).toThrow(/radius/);
  });
});
