/** Argument checks shared by the bindings and the references: bad input throws a clear error before any work. */
import type { Vec3 } from './types';

/** Checks dims and returns the voxel count. */
export function checkDims(dims: readonly number[], name = 'dims'): number {
  if (!Array.isArray(dims) || dims.length !== 3 || !dims.every((d) => Number.isInteger(d) && d > 0)) {
    throw new RangeError(`${name} must be three positive integers, got ${JSON.stringify(dims)}`);
  }
  return dims[0] * dims[1] * dims[2];
}

/** Checks that `data` holds exactly nx*ny*nz values. */
export function checkData(data: ArrayLike<number>, dims: readonly number[], name = 'data'): number {
  const n = checkDims(dims);
  if (!data || typeof data.length !== 'number') throw new TypeError(`${name} must be a typed array`);
  if (data.length !== n) {
    throw new RangeError(`${name} has ${data.length} values but dims ${dims.join('×')} need ${n}`);
  }
  return n;
}

/** Checks a spacing (mm, positive and finite). */
export function checkSpacing(spacing: readonly number[]): Vec3 {
  if (!Array.isArray(spacing) || spacing.length !== 3 || !spacing.every((s) => Number.isFinite(s) && s > 0)) {
    throw new RangeError(
      `spacing must be three positive finite numbers (mm), got ${JSON.stringify(spacing)}`,
    );
  }
  return [spacing[0], spacing[1], spacing[2]];
}

/** Expands a number or a triple to a triple of finite values >= 0. */
export function triple(v: number | readonly number[], name: string): Vec3 {
  const t = typeof v === 'number' ? [v, v, v] : v;
  if (!Array.isArray(t) || t.length !== 3 || !t.every((x) => Number.isFinite(x) && x >= 0)) {
    throw new RangeError(`${name} must be a number or three numbers >= 0, got ${JSON.stringify(v)}`);
  }
  return [t[0], t[1], t[2]];
}

/** Checks a connectivity value. */
export function checkConnectivity(c: number): 6 | 18 | 26 {
  if (c !== 6 && c !== 18 && c !== 26) throw new RangeError(`connectivity must be 6, 18 or 26, got ${c}`);
  return c;
}
