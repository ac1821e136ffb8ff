/**
 * Lung zones: upper / middle / lower thirds of the craniocaudal extent of both lungs, each split into a core and a
 * rind (peripheral, subpleural) part by the exact Euclidean distance to the nearest non-lung voxel (the pleura).
 *
 * @packageDocumentation
 */
import type { Geometry, Kernels } from '@qiview/sdk';
import { boundingBox, boxDims, crop, paste } from './grid';

/** Rind depth in mm: the outer 1 cm of lung, the usual "subpleural" band (Fleischner glossary, Hansell 2008). */
export const RIND_MM = 10;

/** Zone labels of the zones labelmap. */
export const ZONES = [
  { label: 1, key: 'upper_core', name: 'Upper core' },
  { label: 2, key: 'upper_rind', name: 'Upper rind' },
  { label: 3, key: 'middle_core', name: 'Middle core' },
  { label: 4, key: 'middle_rind', name: 'Middle rind' },
  { label: 5, key: 'lower_core', name: 'Lower core' },
  { label: 6, key: 'lower_rind', name: 'Lower rind' },
] as const;

/** Height band of a zone label (0 upper, 1 middle, 2 lower). */
export const zoneBand = (label: number) => Math.floor((label - 1) / 2);
/** Whether a zone label is a rind zone. */
export const zoneIsRind = (label: number) => label % 2 === 0;

/**
 * Zones for a lung labelmap (nonzero = lung). Height uses the LPS z of each voxel (works for head-first and feet-first
 * slice order). Returns a labelmap with {@link ZONES} labels.
 */
export function computeZones(lungs: Uint8Array, g: Geometry, kernels: Kernels, rindMm = RIND_MM): Uint8Array {
  const dims = g.dimensions;
  const [nx, ny] = dims;
  const out = new Uint8Array(lungs.length);
  const box = boundingBox(lungs, dims, [1, 1, 1]);
  if (!box) return out;
  const bd = boxDims(box);
  const m = crop(lungs, dims, box);
  const outside = new Uint8Array(m.length);
  for (let q = 0; q < m.length; q++) outside[q] = m[q] ? 0 : 1;
  const dist = kernels.distanceTransform(outside, bd, g.spacing);
  const d = g.direction;
  const zOf = (i: number, j: number, k: number) =>
    g.origin[2] + i * g.spacing[0] * d[2] + j * g.spacing[1] * d[5] + k * g.spacing[2] * d[8];
  let zMin = Infinity,
    zMax = -Infinity;
  let q = 0;
  for (let k = 0; k < bd[2]; k++)
    for (let j = 0; j < bd[1]; j++)
      for (let i = 0; i < bd[0]; i++, q++) {
        if (!m[q]) continue;
        const z = zOf(i + box.lo[0], j + box.lo[1], k + box.lo[2]);
        if (z < zMin) zMin = z;
        if (z > zMax) zMax = z;
      }
  const h = Math.max(zMax - zMin, 1e-6);
  const z = new Uint8Array(m.length);
  q = 0;
  for (let k = 0; k < bd[2]; k++)
    for (let j = 0; j < bd[1]; j++)
      for (let i = 0; i < bd[0]; i++, q++) {
        if (!m[q]) continue;
        const f = (zMax - zOf(i + box.lo[0], j + box.lo[1], k + box.lo[2])) / h; // 0 at apex
        const band = f < 1 / 3 ? 0 : f < 2 / 3 ? 1 : 2;
        z[q] = band * 2 + (dist[q] <= rindMm ? 2 : 1);
      }
  paste(out, dims, z, box);
  void nx;
  void ny;
  return out;
}
