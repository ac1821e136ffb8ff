/** Pure geometry helpers for resampling (shared by the bindings and the reference). */
import type { Geometry, Vec3 } from './types';
import { checkDims, checkSpacing } from './validate';

/**
 * Row-major 3×4 affine mapping an index (i, j, k) of grid `to` to the continuous index of the same LPS point in grid
 * `from`: x = m[0] i + (m[1] j + m[2] k + m[3]), y with m[4..7], z with m[8..11]. Assumes orthonormal directions.
 */
export function indexToIndexAffine(from: Geometry, to: Geometry): Float64Array {
  checkDims(from.dimensions, 'from.dimensions');
  checkDims(to.dimensions, 'to.dimensions');
  checkSpacing(from.spacing);
  checkSpacing(to.spacing);
  const m = new Float64Array(12);
  const dIn = from.direction,
    dOut = to.direction;
  for (let b = 0; b < 3; b++) {
    for (let a = 0; a < 3; a++) {
      let dot = 0;
      for (let c = 0; c < 3; c++) dot += dOut[3 * a + c] * dIn[3 * b + c];
      m[4 * b + a] = (to.spacing[a] * dot) / from.spacing[b];
    }
    let off = 0;
    for (let c = 0; c < 3; c++) off += (to.origin[c] - from.origin[c]) * dIn[3 * b + c];
    m[4 * b + 3] = off / from.spacing[b];
  }
  return m;
}

/**
 * The grid covering the same field of view as `g` with a new spacing: same origin (centre of the first voxel) and
 * direction, `round(n * s / s')` voxels per axis (at least 1).
 */
export function geometryWithSpacing(g: Geometry, spacing: Vec3): Geometry {
  checkDims(g.dimensions);
  const s = checkSpacing(spacing);
  const dims = [0, 1, 2].map((a) => Math.max(1, Math.round((g.dimensions[a] * g.spacing[a]) / s[a]))) as Vec3;
  return {
    dimensions: dims,
    spacing: s,
    origin: [...g.origin] as Vec3,
    direction: [...g.direction] as Geometry['direction'],
  };
}
