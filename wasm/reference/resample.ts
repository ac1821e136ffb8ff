/**
 * Reference resampling (trilinear for images, nearest for labels) between two voxel grids; same definition as
 * wasm/src/resample.c (defined inside [0, n-1] ± 1e-3 voxel per axis for trilinear, round-half-up for nearest).
 */
import type { Geometry, Interpolation } from '../types';
import { indexToIndexAffine } from '../geometry';
import { checkData } from '../validate';

type Resamplable =
  Float32Array | Int16Array | Uint8Array | Uint16Array | Int32Array | Uint32Array | Int8Array;

/** Resamples `data` (grid `from`) onto grid `to`. Linear returns Float32Array; nearest keeps the array type. */
export function resampleReference(
  data: Resamplable,
  from: Geometry,
  to: Geometry,
  interpolation: Interpolation = 'linear',
  fill = 0,
): Resamplable {
  checkData(data, from.dimensions);
  const m = indexToIndexAffine(from, to);
  const [nx, ny, nz] = from.dimensions;
  const [mx, my, mz] = to.dimensions;
  const nOut = mx * my * mz;
  const sy = nx,
    sz = nx * ny;
  if (interpolation === 'nearest') {
    const out = new (data.constructor as new (n: number) => Resamplable)(nOut);
    const round = (x: number, n: number) => {
      const r = Math.floor(x + 0.5);
      return r >= 0 && r <= n - 1 ? r : -1;
    };
    let o = 0;
    for (let k = 0; k < mz; k++)
      for (let j = 0; j < my; j++)
        for (let i = 0; i < mx; i++, o++) {
          const x = round(m[0] * i + (m[1] * j + m[2] * k + m[3]), nx);
          const y = round(m[4] * i + (m[5] * j + m[6] * k + m[7]), ny);
          const z = round(m[8] * i + (m[9] * j + m[10] * k + m[11]), nz);
          out[o] = x < 0 || y < 0 || z < 0 ? fill : data[x + y * sy + z * sz];
        }
    return out;
  }
  const out = new Float32Array(nOut);
  /** [i0, step to i1, t] or null outside */
  const axis = (x: number, n: number, stride: number): [number, number, number] | null => {
    if (!(x >= -1e-3 && x <= n - 1 + 1e-3)) return null;
    if (n === 1) return [0, 0, 0];
    const c = Math.min(Math.max(x, 0), n - 1);
    const i0 = Math.min(Math.floor(c), n - 2);
    return [i0 * stride, stride, c - i0];
  };
  let o = 0;
  for (let k = 0; k < mz; k++)
    for (let j = 0; j < my; j++)
      for (let i = 0; i < mx; i++, o++) {
        const ax = axis(m[0] * i + (m[1] * j + m[2] * k + m[3]), nx, 1);
        const ay = axis(m[4] * i + (m[5] * j + m[6] * k + m[7]), ny, sy);
        const az = axis(m[8] * i + (m[9] * j + m[10] * k + m[11]), nz, sz);
        if (!ax || !ay || !az) {
          out[o] = fill;
          continue;
        }
        const p = ax[0] + ay[0] + az[0];
        const [dx, dy, dz] = [ax[1], ay[1], az[1]];
        const [tx, ty, tz] = [ax[2], ay[2], az[2]];
        const c00 = data[p] + tx * (data[p + dx] - data[p]);
        const c10 = data[p + dy] + tx * (data[p + dy + dx] - data[p + dy]);
        const c01 = data[p + dz] + tx * (data[p + dz + dx] - data[p + dz]);
        const c11 = data[p + dz + dy] + tx * (data[p + dz + dy + dx] - data[p + dz + dy]);
        const c0 = c00 + ty * (c10 - c00),
          c1 = c01 + ty * (c11 - c01);
        out[o] = c0 + tz * (c1 - c0);
      }
  return out;
}
