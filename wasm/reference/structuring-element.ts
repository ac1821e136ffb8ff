/** Ellipsoidal structuring elements (shared definition for the bindings and the references). */
import type { StructuringRadius, Vec3 } from '../types';
import { checkSpacing, triple } from '../validate';

/** Relative tolerance that keeps lattice points lying exactly on the ellipsoid surface inside the element. */
export const SE_EPS = 1e-5;

/**
 * Per-axis scale s_a such that offset d is in the element iff sum (d_a s_a)² <= 1 + SE_EPS; s_a = Infinity where the
 * radius is 0 (flat along that axis). Radius in mm uses the spacing.
 */
export function structuringScale(radius: StructuringRadius, spacing: Vec3): Vec3 {
  const s = checkSpacing(spacing);
  if (radius && 'mm' in radius) {
    const r = triple(radius.mm, 'radius.mm');
    return [0, 1, 2].map((a) => (r[a] > 0 ? s[a] / r[a] : Infinity)) as Vec3;
  }
  if (radius && 'voxels' in radius) {
    const r = triple(radius.voxels, 'radius.voxels');
    return [0, 1, 2].map((a) => (r[a] > 0 ? 1 / r[a] : Infinity)) as Vec3;
  }
  throw new TypeError(`radius must be { mm } or { voxels }, got ${JSON.stringify(radius)}`);
}

/** The element's voxel offsets [dx, dy, dz] (including the origin). */
export function structuringOffsets(scale: Vec3): Vec3[] {
  const ext = scale.map((s) => (Number.isFinite(s) ? Math.floor(Math.sqrt(1 + SE_EPS) / s) : 0));
  const out: Vec3[] = [];
  for (let dz = -ext[2]; dz <= ext[2]; dz++)
    for (let dy = -ext[1]; dy <= ext[1]; dy++)
      for (let dx = -ext[0]; dx <= ext[0]; dx++) {
        const q =
          (dx ? (dx * scale[0]) ** 2 : 0) + (dy ? (dy * scale[1]) ** 2 : 0) + (dz ? (dz * scale[2]) ** 2 : 0);
        if (q <= 1 + SE_EPS) out.push([dx, dy, dz]);
      }
  return out;
}
