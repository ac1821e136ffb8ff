import { describe, expect, it } from 'vitest';
import type { Volume } from '@qiview/sdk';
import { createRegistration, toItkDirection } from './registration';

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
});
