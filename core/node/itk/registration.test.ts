import { describe, expect, it } from 'vitest';
import type { Volume } from '@qiview/sdk';
import { createRegistration, toItkDirection, transformMatrix } from './registration';

function blob(shiftMm: number): Volume {
  const [nx, ny, nz] = [32, 32, 16];
  const sp = [2, 2, 3] as const;
  const data = new Float32Array(nx * ny * nz);
  for (let k = 0; k < nz; k++)
    for (let j = 0; j < ny; j++)
      for (let i = 0; i < nx; i++) {
        const x = i * sp[0] - 32 - shiftMm;
        const y = j * sp[1] - 30;
        const z = k * sp[2] - 22;
        data[i + nx * (j + ny * k)] = 1000 * Math.exp(-(x * x + y * y * 0.7 + z * z * 0.5) / (2 * 64));
      }
  return {
    geometry: {
      dimensions: [nx, ny, nz],
      spacing: [...sp],
      origin: [0, 0, 0],
      direction: [1, 0, 0, 0, 1, 0, 0, 0, 1],
    },
    data,
    frames: 1,
    unit: '1',
    metadata: { modality: 'OT' },
    warnings: [],
  };
}

describe('itk-wasm elastix registration (Node)', () => {
  it('maps SDK axes to ITK direction columns', () => {
    expect([...toItkDirection([0, 1, 0, -1, 0, 0, 0, 0, 1])]).toEqual([0, -1, 0, 1, 0, 0, 0, 0, 1]);
  });

  it('recovers a 6 mm translation along x (rigid)', async () => {
    const fixed = blob(0);
    const moving = blob(6);
    const r = await createRegistration().register(fixed, moving, { kind: 'rigid', maxIterations: 200 });
    expect(r.transform.kind).toMatch(/Euler/);
    const [rx, ry, rz, tx, ty, tz] = r.transform.parameters;
    console.log(`elastix rigid: t = (${tx!.toFixed(3)}, ${ty!.toFixed(3)}, ${tz!.toFixed(3)}) mm`);
    expect(Math.abs(rx!) + Math.abs(ry!) + Math.abs(rz!)).toBeLessThan(0.02);
    expect(tx).toBeCloseTo(6, 0);
    expect(Math.abs(ty!)).toBeLessThan(0.5);
    expect(Math.abs(tz!)).toBeLessThan(0.5);
    expect(r.resampled.data.length).toBe(fixed.data.length);
    // The resampled moving image lies on the fixed one: residual far below the unregistered difference.
    let before = 0;
    let after = 0;
    for (let i = 0; i < fixed.data.length; i++) {
      before += Math.abs(moving.data[i]! - fixed.data[i]!);
      after += Math.abs(r.resampled.data[i]! - fixed.data[i]!);
    }
    expect(after).toBeLessThan(before * 0.2);
  }, 120_000);

  it('turns an elastix Euler result into the fixed → moving matrix (centre of rotation included)', () => {
    const t = 0.3;
    const m = transformMatrix({
      Transform: ['EulerTransform'],
      TransformParameters: ['0', '0', String(t), '1', '2', '3'],
      CenterOfRotationPoint: ['10', '20', '30'],
    })!;
    const apply = (x: number[]) =>
      [0, 1, 2].map((r) => m[r * 4]! * x[0]! + m[r * 4 + 1]! * x[1]! + m[r * 4 + 2]! * x[2]! + m[r * 4 + 3]!);
    // the centre maps to centre + t; a unit step along x from the centre turns by t about z
    apply([10, 20, 30]).forEach((v, i) => expect(v).toBeCloseTo([11, 22, 33][i]!, 9));
    apply([11, 20, 30]).forEach((v, i) =>
      expect(v).toBeCloseTo([11 + Math.cos(t), 22 + Math.sin(t), 33][i]!, 9),
    );
    // ITK Euler3D order (ComputeZYX false): R = Rz·Rx·Ry; with only θx and θy: e_z → Rx·Ry·e_z
    const n = transformMatrix({
      Transform: ['EulerTransform'],
      TransformParameters: ['0.2', '0.1', '0', '0', '0', '0'],
    })!;
    const ez = [n[2]!, n[6]!, n[10]!];
    const ry = [Math.sin(0.1), 0, Math.cos(0.1)];
    const want = [
      ry[0]!,
      Math.cos(0.2) * ry[1]! - Math.sin(0.2) * ry[2]!,
      Math.sin(0.2) * ry[1]! + Math.cos(0.2) * ry[2]!,
    ];
    ez.forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 9));
    expect(transformMatrix({ Transform: ['BSplineTransform'], TransformParameters: ['0'] })).toBeUndefined();
  });

  it('recovers a rotation about an off-centre point: the matrix maps the fixed landmark onto the moving one', async () => {
    // anisotropic blob at p0 in the fixed image; the moving image is it turned 10° about z around q and shifted by s
    const p0 = [40, 26, 20];
    const q = [20, 20, 20];
    const s = [3, -2, 1];
    const th = (10 * Math.PI) / 180;
    const rot = (v: number[]) => [
      Math.cos(th) * v[0]! - Math.sin(th) * v[1]!,
      Math.sin(th) * v[0]! + Math.cos(th) * v[1]!,
      v[2]!,
    ];
    const blobAt = (inv: (y: number[]) => number[]): Volume => {
      const v = blob(0);
      const [nx, ny, nz] = v.geometry.dimensions;
      for (let k = 0; k < nz; k++)
        for (let j = 0; j < ny; j++)
          for (let i = 0; i < nx; i++) {
            const x = inv([i * 2, j * 2, k * 3]);
            const [dx, dy, dz] = [x[0]! - p0[0]!, x[1]! - p0[1]!, x[2]! - p0[2]!];
            (v.data as Float32Array)[i + nx * (j + ny * k)] =
              1000 * Math.exp(-(dx * dx + 4 * dy * dy + dz * dz) / 100);
          }
      return v;
    };
    const fixed = blobAt((y) => y);
    // moving(y) = fixed(x) with y = R(x − q) + q + s  ⇒  x = Rᵀ(y − q − s) + q
    const moving = blobAt((y) => {
      const d = [y[0]! - q[0]! - s[0]!, y[1]! - q[1]! - s[1]!, y[2]! - q[2]! - s[2]!];
      const r = [
        Math.cos(th) * d[0]! + Math.sin(th) * d[1]!,
        -Math.sin(th) * d[0]! + Math.cos(th) * d[1]!,
        d[2]!,
      ];
      return [r[0]! + q[0]!, r[1]! + q[1]!, r[2]! + q[2]!];
    });
    const r = await createRegistration().register(fixed, moving, { kind: 'rigid', maxIterations: 300 });
    const m = r.transform.matrix!;
    expect(m).toHaveLength(12);
    const got = [0, 1, 2].map(
      (i) => m[i * 4]! * p0[0]! + m[i * 4 + 1]! * p0[1]! + m[i * 4 + 2]! * p0[2]! + m[i * 4 + 3]!,
    );
    const d = rot([p0[0]! - q[0]!, p0[1]! - q[1]!, p0[2]! - q[2]!]);
    const want = [d[0]! + q[0]! + s[0]!, d[1]! + q[1]! + s[1]!, d[2]! + q[2]! + s[2]!];
    const err = Math.hypot(got[0]! - want[0]!, got[1]! - want[1]!, got[2]! - want[2]!);
    console.log(
      `elastix rigid (10° about an off-centre point): landmark error ${err.toFixed(3)} mm, θz ${r.transform.parameters[2]!.toFixed(4)} rad`,
    );
    expect(err).toBeLessThan(0.5);
    expect(r.transform.parameters[2]).toBeCloseTo(th, 2);
  }, 120_000);
});
