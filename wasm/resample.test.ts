import { beforeAll, describe, expect, it } from 'vitest';
import { createKernels, type Geometry, type Kernels, type Vec3 } from './kernels';
import { readFileSync } from 'node:fs';
import { geometryWithSpacing } from './geometry';
import { resampleReference } from './reference/resample';
import { countDiff, maxAbsDiff, randomFloat32, randomInt16, rng } from './testing/random';

let k: Kernels;
beforeAll(async () => {
  k = await createKernels(readFileSync(new URL('./build/qiview-kernels.wasm', import.meta.url)));
});

const I: Geometry['direction'] = [1, 0, 0, 0, 1, 0, 0, 0, 1];
const geom = (dimensions: Vec3, spacing: Vec3, origin: Vec3 = [0, 0, 0], direction = I): Geometry => ({
  dimensions,
  spacing,
  origin,
  direction,
});

/** A rotation about an oblique axis (orthonormal rows). */
function rotated(angle: number): Geometry['direction'] {
  const [x, y, z] = [1 / Math.sqrt(3), 1 / Math.sqrt(3), 1 / Math.sqrt(3)];
  const c = Math.cos(angle),
    s = Math.sin(angle),
    t = 1 - c;
  return [
    t * x * x + c,
    t * x * y - s * z,
    t * x * z + s * y,
    t * x * y + s * z,
    t * y * y + c,
    t * y * z - s * x,
    t * x * z - s * y,
    t * y * z + s * x,
    t * z * z + c,
  ];
}

describe('resample', () => {
  const from = geom([21, 17, 11], [0.8, 0.9, 2.0], [-5, 3, 10], rotated(0.3));
  const to = geom([30, 25, 19], [0.6, 0.7, 1.1], [-6, 2, 9], rotated(0.1));

  it('trilinear matches the reference on random float32 and int16 volumes (|Δ| ≤ 1e-3)', () => {
    const f = randomFloat32(from.dimensions, 8);
    expect(maxAbsDiff(k.resample(f, from, to), resampleReference(f, from, to))).toBeLessThan(1e-3);
    const s = randomInt16(from.dimensions, 9);
    expect(
      maxAbsDiff(k.resample(s, from, to, { fill: -1024 }), resampleReference(s, from, to, 'linear', -1024)),
    ).toBeLessThan(1e-3);
  });

  it('nearest matches the reference exactly and keeps the array type', () => {
    const r = rng(3);
    for (const Ctor of [Uint8Array, Int16Array, Int32Array, Float32Array, Uint16Array]) {
      const a = new Ctor(21 * 17 * 11).map(() => Math.floor(r() * 100));
      const out = k.resample(a, from, to, { interpolation: 'nearest', fill: 7 });
      expect(out).toBeInstanceOf(Ctor);
      expect(countDiff(out, resampleReference(a, from, to, 'nearest', 7))).toBe(0);
    }
  });

  it('axis-aligned grids (y, z found once per row) and zero fill (sparse copy-out) match the reference', () => {
    // partial overlap: some output rows lie outside the input in y or z, some voxels in x only
    const a = geom([40, 36, 30], [0.7, 0.7, 1.0], [0, 0, 0]);
    const b = geom([33, 31, 24], [1.0, 0.9, 1.3], [-3.1, 2.2, -4.4]);
    const up = geom([80, 72, 30], [0.35, 0.35, 1.0], [0, 0, 0]);
    const shifted = geom([40, 36, 30], [0.7, 0.7, 1.0], [-2.05, 0.35, 3.5]);
    const r = rng(5);
    const n = 40 * 36 * 30;
    for (const Ctor of [Uint8Array, Int16Array, Int32Array, Float32Array, Uint16Array]) {
      // mostly zero labels with a few blobs, so that many 16 KB blocks are all zero
      const lab = new Ctor(n);
      for (let q = 0; q < n; q++) if (q % 9000 < 700) lab[q] = 1 + Math.floor(r() * 50);
      for (const [f, t] of [
        [a, b],
        [a, shifted],
        [a, up],
      ] as const) {
        for (const fill of [0, 7]) {
          const out = k.resample(lab, f, t, { interpolation: 'nearest', fill });
          expect(out).toBeInstanceOf(Ctor);
          expect(countDiff(out, resampleReference(lab, f, t, 'nearest', fill))).toBe(0);
        }
      }
    }
    const v = randomFloat32(a.dimensions, 11);
    for (const [f, t] of [
      [a, b],
      [a, up],
    ] as const) {
      expect(maxAbsDiff(k.resample(v, f, t), resampleReference(v, f, t))).toBeLessThan(1e-3);
      expect(
        maxAbsDiff(k.resample(v, f, t, { fill: -5 }), resampleReference(v, f, t, 'linear', -5)),
      ).toBeLessThan(1e-3);
    }
  });

  it('reproduces a linear ramp exactly inside the field of view (trilinear is exact for affine data)', () => {
    const g = geom([20, 20, 10], [1, 1, 2.5], [0, 0, 0]);
    const ramp = new Float32Array(4000);
    for (let z = 0; z < 10; z++)
      for (let y = 0; y < 20; y++)
        for (let x = 0; x < 20; x++) ramp[x + 20 * (y + 20 * z)] = 2 * x - 3 * y + 0.5 * z * 2.5;
    // world value = 2 X - 3 Y + 0.5 Z; new grid at 0.7 mm isotropic, shifted by 0.35 mm
    const t = geom([25, 25, 30], [0.7, 0.7, 0.7], [0.35, 0.35, 0.35]);
    const out = k.resample(ramp, g, t, { fill: NaN });
    let checked = 0;
    for (let z = 0; z < 30; z++)
      for (let y = 0; y < 25; y++)
        for (let x = 0; x < 25; x++) {
          const [X, Y, Z] = [0.35 + 0.7 * x, 0.35 + 0.7 * y, 0.35 + 0.7 * z];
          const v = out[x + 25 * (y + 25 * z)];
          if (X <= 19 && Y <= 19 && Z <= 22.5) {
            expect(Math.abs(v - (2 * X - 3 * Y + 0.5 * Z))).toBeLessThan(1e-3);
            checked++;
          } else expect(v).toBeNaN();
        }
    expect(checked).toBeGreaterThan(5000);
  });

  it('geometryWithSpacing keeps the field of view', () => {
    const g = geometryWithSpacing(geom([512, 512, 300], [0.7, 0.7, 1]), [1.4, 1.4, 2]);
    expect(g.dimensions).toEqual([256, 256, 150]);
    expect(() => geometryWithSpacing(g, [1, 0, 1])).toThrow(/spacing/);
  });
});
