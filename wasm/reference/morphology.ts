/**
 * Reference binary morphology by the textbook definition (scan every structuring-element offset), independent of the
 * distance-transform method the WASM kernel uses. Voxels outside the volume are ignored: they are neither foreground
 * for dilation nor background for erosion.
 */
import type { StructuringRadius, Vec3 } from '../types';
import { checkData } from '../validate';
import { structuringOffsets, structuringScale } from './structuring-element';

function hitAny(mask: Uint8Array, dims: Vec3, offsets: Vec3[], wantForeground: boolean): Uint8Array {
  const [nx, ny, nz] = dims;
  const out = new Uint8Array(mask.length);
  const lin = offsets.map(([dx, dy, dz]) => dx + nx * (dy + ny * dz));
  let i = 0;
  for (let z = 0; z < nz; z++)
    for (let y = 0; y < ny; y++)
      for (let x = 0; x < nx; x++, i++) {
        let hit = 0;
        for (let o = 0; o < offsets.length; o++) {
          const [dx, dy, dz] = offsets[o];
          const xx = x + dx,
            yy = y + dy,
            zz = z + dz;
          if (xx < 0 || yy < 0 || zz < 0 || xx >= nx || yy >= ny || zz >= nz) continue;
          if ((mask[i + lin[o]] !== 0) === wantForeground) {
            hit = 1;
            break;
          }
        }
        out[i] = hit;
      }
  return out;
}

/** Dilation: voxels within the element of some foreground voxel. */
export function dilateReference(
  mask: Uint8Array,
  dims: Vec3,
  spacing: Vec3,
  radius: StructuringRadius,
): Uint8Array {
  checkData(mask, dims, 'mask');
  return hitAny(mask, dims, structuringOffsets(structuringScale(radius, spacing)), true);
}

/** Erosion: foreground voxels with no background voxel within the element. */
export function erodeReference(
  mask: Uint8Array,
  dims: Vec3,
  spacing: Vec3,
  radius: StructuringRadius,
): Uint8Array {
  checkData(mask, dims, 'mask');
  const hitBg = hitAny(mask, dims, structuringOffsets(structuringScale(radius, spacing)), false);
  for (let i = 0; i < hitBg.length; i++) hitBg[i] = hitBg[i] ? 0 : 1;
  return hitBg;
}

/** Opening = dilate(erode(mask)). */
export function openReference(
  mask: Uint8Array,
  dims: Vec3,
  spacing: Vec3,
  radius: StructuringRadius,
): Uint8Array {
  return dilateReference(erodeReference(mask, dims, spacing, radius), dims, spacing, radius);
}

/** Closing = erode(dilate(mask)). */
export function closeReference(
  mask: Uint8Array,
  dims: Vec3,
  spacing: Vec3,
  radius: StructuringRadius,
): Uint8Array {
  return erodeReference(dilateReference(mask, dims, spacing, radius), dims, spacing, radius);
}

/**
 * Fill holes. '3d': background voxels not 6-connected to the volume border become foreground. '2d': per slice
 * across `axis` (2 = axial k slices), background not 4-connected to the slice border becomes foreground.
 */
export function fillHolesReference(
  mask: Uint8Array,
  dims: Vec3,
  mode: '3d' | '2d' = '3d',
  axis: 0 | 1 | 2 = 2,
): Uint8Array {
  const n = checkData(mask, dims, 'mask');
  const [nx, ny] = dims;
  const strides = [1, nx, nx * ny];
  const reached = new Uint8Array(n);
  const stack: number[] = [];
  const coord = (i: number): Vec3 => [i % nx, Math.floor(i / nx) % ny, Math.floor(i / (nx * ny))];
  const active = mode === '3d' ? [0, 1, 2] : [0, 1, 2].filter((a) => a !== axis);
  const push = (i: number) => {
    if (mask[i] === 0 && !reached[i]) {
      reached[i] = 1;
      stack.push(i);
    }
  };
  for (let i = 0; i < n; i++) {
    const c = coord(i);
    if (active.some((a) => c[a] === 0 || c[a] === dims[a] - 1)) push(i);
  }
  while (stack.length) {
    const i = stack.pop()!;
    const c = coord(i);
    for (const a of active) {
      if (c[a] > 0) push(i - strides[a]);
      if (c[a] < dims[a] - 1) push(i + strides[a]);
    }
  }
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = reached[i] ? 0 : 1;
  return out;
}
