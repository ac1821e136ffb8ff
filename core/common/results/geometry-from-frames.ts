/**
 * Placing the frames of a multi-frame derived object (SEG, Parametric Map) on a voxel grid: either a given source
 * geometry (each frame must lie on one of its slices) or a grid rebuilt from the frames' positions.
 *
 * @packageDocumentation
 */
import type { Direction, Geometry, Vec3 } from '@qiview/sdk';
import { worldToVoxel } from '@qiview/sdk';
import { item, items, num, nums } from './dataset-helpers';
import type { NaturalDataset } from './dcmjs';

/** Position/orientation/spacing of one frame from the shared + per-frame functional groups. */
export interface FramePlane {
  position: Vec3;
  orientation: number[];
  pixelSpacing: number[];
  spacingBetweenSlices?: number;
}

/** Reads the plane of every frame (throws a clear error when one has no position or orientation). */
export function framePlanes(ds: NaturalDataset): FramePlane[] {
  const shared = item(ds.SharedFunctionalGroupsSequence) ?? {};
  const perFrame = items(ds.PerFrameFunctionalGroupsSequence);
  const nFrames = num(ds.NumberOfFrames) ?? 1;
  if (perFrame.length < nFrames) {
    throw new Error(
      `NumberOfFrames is ${nFrames} but there are ${perFrame.length} per-frame functional groups`,
    );
  }
  // Some writers leave extra per-frame items (e.g. a multi-frame object cut down to fewer frames): use the first.
  return perFrame.slice(0, nFrames).map((fg, f) => {
    const pick = (seq: string) => item(fg[seq]) ?? item(shared[seq]);
    const position = nums(pick('PlanePositionSequence')?.ImagePositionPatient);
    const orientation = nums(pick('PlaneOrientationSequence')?.ImageOrientationPatient);
    const measures = pick('PixelMeasuresSequence');
    const pixelSpacing = nums(measures?.PixelSpacing);
    if (position.length !== 3 || orientation.length !== 6 || pixelSpacing.length !== 2) {
      throw new Error(`frame ${f + 1} has no complete plane position/orientation/pixel spacing`);
    }
    return {
      position: position as Vec3,
      orientation,
      pixelSpacing,
      spacingBetweenSlices: num(measures?.SpacingBetweenSlices),
    };
  });
}

function cross(a: number[], b: number[]): Vec3 {
  return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}

/** Rebuilds a geometry from frame planes (rows × columns, slices sorted along the normal). */
export function geometryFromPlanes(planes: FramePlane[], rows: number, columns: number): Geometry {
  const o = planes[0].orientation;
  const normal = cross(o.slice(0, 3), o.slice(3, 6));
  const proj = (p: number[]) => p[0] * normal[0] + p[1] * normal[1] + p[2] * normal[2];
  const distinct: Array<{ d: number; p: Vec3 }> = [];
  for (const pl of planes) {
    const d = proj(pl.position);
    if (!distinct.some((x) => Math.abs(x.d - d) < 1e-3)) distinct.push({ d, p: pl.position });
  }
  distinct.sort((a, b) => a.d - b.d);
  let dz = planes[0].spacingBetweenSlices ?? 0;
  if (distinct.length > 1) {
    let minGap = Infinity;
    for (let i = 1; i < distinct.length; i++) minGap = Math.min(minGap, distinct[i].d - distinct[i - 1].d);
    if (!(dz > 0)) dz = minGap;
  }
  if (!(dz > 0)) dz = 1;
  const nz = distinct.length > 1 ? Math.round((distinct[distinct.length - 1].d - distinct[0].d) / dz) + 1 : 1;
  return {
    dimensions: [columns, rows, nz],
    spacing: [planes[0].pixelSpacing[1], planes[0].pixelSpacing[0], dz],
    origin: [...distinct[0].p] as Vec3,
    direction: [o[0], o[1], o[2], o[3], o[4], o[5], normal[0], normal[1], normal[2]] as Direction,
  };
}

/** Tolerance (in voxels) for a frame to count as lying on a grid slice. */
export const ON_GRID_TOLERANCE_VOXELS = 0.01;

/**
 * Slice index k of each frame on `g`. Throws when the frame size differs, the orientation differs (cosines off by
 * more than 1e-3) or a frame is off the grid by more than {@link ON_GRID_TOLERANCE_VOXELS}.
 */
export function sliceIndices(planes: FramePlane[], g: Geometry, rows: number, columns: number): number[] {
  if (columns !== g.dimensions[0] || rows !== g.dimensions[1]) {
    throw new Error(
      `frames are ${columns}×${rows}, the source grid is ${g.dimensions[0]}×${g.dimensions[1]}`,
    );
  }
  return planes.map((pl, f) => {
    for (let c = 0; c < 6; c++) {
      if (Math.abs(pl.orientation[c] - g.direction[c]) > 1e-3) {
        throw new Error(`frame ${f + 1} orientation differs from the source grid`);
      }
    }
    const [i, j, k] = worldToVoxel(g, pl.position);
    const kr = Math.round(k);
    if (
      Math.abs(i) > ON_GRID_TOLERANCE_VOXELS ||
      Math.abs(j) > ON_GRID_TOLERANCE_VOXELS ||
      Math.abs(k - kr) > ON_GRID_TOLERANCE_VOXELS ||
      kr < 0 ||
      kr >= g.dimensions[2]
    ) {
      throw new Error(`frame ${f + 1} at (${pl.position.join(', ')}) is not on a slice of the source grid`);
    }
    return kr;
  });
}
