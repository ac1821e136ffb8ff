/** Small grid helpers for the lung plugin: bounding boxes, crops, pastes, slice-direction facts. */
import type { Geometry, Vec3 } from '@qiview/sdk';

/** An axis-aligned voxel box, inclusive lower and exclusive upper bounds. */
export interface Box {
  lo: Vec3;
  hi: Vec3;
}

/** Dimensions of a box. */
export function boxDims(b: Box): Vec3 {
  return [b.hi[0] - b.lo[0], b.hi[1] - b.lo[1], b.hi[2] - b.lo[2]];
}

/** Bounding box of the nonzero voxels (null when empty), grown by `marginVox` and clipped to the grid. */
export function boundingBox(mask: Uint8Array, dims: Vec3, marginVox: Vec3 = [0, 0, 0]): Box | null {
  const [nx, ny, nz] = dims;
  const lo: Vec3 = [nx, ny, nz];
  const hi: Vec3 = [-1, -1, -1];
  let q = 0;
  for (let k = 0; k < nz; k++)
    for (let j = 0; j < ny; j++)
      for (let i = 0; i < nx; i++, q++) {
        if (!mask[q]) continue;
        if (i < lo[0]) lo[0] = i;
        if (i > hi[0]) hi[0] = i;
        if (j < lo[1]) lo[1] = j;
        if (j > hi[1]) hi[1] = j;
        if (k < lo[2]) lo[2] = k;
        if (k > hi[2]) hi[2] = k;
      }
  if (hi[0] < 0) return null;
  return {
    lo: [0, 1, 2].map((a) => Math.max(0, lo[a] - marginVox[a])) as Vec3,
    hi: [0, 1, 2].map((a) => Math.min(dims[a], hi[a] + 1 + marginVox[a])) as Vec3,
  };
}

/** Copies the box out of a full-grid array. */
export function crop<T extends Uint8Array | Int16Array | Float32Array | Int32Array>(
  data: T,
  dims: Vec3,
  b: Box,
): T {
  const [bx, by, bz] = boxDims(b);
  const out = new (data.constructor as new (n: number) => T)(bx * by * bz);
  let o = 0;
  for (let k = b.lo[2]; k < b.hi[2]; k++)
    for (let j = b.lo[1]; j < b.hi[1]; j++) {
      const s = b.lo[0] + dims[0] * (j + dims[1] * k);
      out.set(data.subarray(s, s + bx), o);
      o += bx;
    }
  return out;
}

/** Writes a cropped array back into a full-grid array (in place). */
export function paste<T extends Uint8Array | Int16Array | Float32Array>(
  full: T,
  dims: Vec3,
  part: T,
  b: Box,
): void {
  const [bx] = boxDims(b);
  let o = 0;
  for (let k = b.lo[2]; k < b.hi[2]; k++)
    for (let j = b.lo[1]; j < b.hi[1]; j++) {
      const s = b.lo[0] + dims[0] * (j + dims[1] * k);
      full.set(part.subarray(o, o + bx), s);
      o += bx;
    }
}

/** Geometry of a box inside a grid (origin moved to the box's first voxel). */
export function boxGeometry(g: Geometry, b: Box): Geometry {
  const d = g.direction;
  const off = [b.lo[0] * g.spacing[0], b.lo[1] * g.spacing[1], b.lo[2] * g.spacing[2]];
  return {
    dimensions: boxDims(b),
    spacing: g.spacing,
    direction: g.direction,
    origin: [
      g.origin[0] + off[0] * d[0] + off[1] * d[3] + off[2] * d[6],
      g.origin[1] + off[0] * d[1] + off[1] * d[4] + off[2] * d[7],
      g.origin[2] + off[0] * d[2] + off[1] * d[5] + off[2] * d[8],
    ],
  };
}

/** Superior (LPS +z) component of the slice axis: > 0 when k runs towards the head. */
export function sliceUp(g: Geometry): number {
  return g.direction[8];
}

/** Margin in voxels for a distance in mm. */
export function mmToVox(g: Geometry, mm: number): Vec3 {
  return [0, 1, 2].map((a) => Math.ceil(mm / g.spacing[a])) as Vec3;
}
