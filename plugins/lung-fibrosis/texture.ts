/**
 * Texture classes inside the lung mask, CALIPER-like categories computed from density plus local neighbourhood
 * features (Gaussian-weighted, σ = 2 mm, normalised to the lung mask so the chest wall does not leak in):
 * - `fA` = local fraction of air voxels (< −900 HU), `fD` = local fraction of dense voxels (> −400 HU),
 *   `m` = local mean HU.
 * Rules, first match wins:
 * 1. honeycombing: fA ≥ 0.15 and fD ≥ 0.15 (clustered air cysts with dense walls; Fleischner glossary, Hansell 2008);
 * 2. emphysema (low attenuation): fA ≥ 0.5 (most of the neighbourhood below −900 HU; voxels below −950 HU are the
 *    LAA-950 criterion, Gevenois AJRCCM 1996);
 * 3. reticular: fD ≥ 0.3 (a network of dense septa; dense consolidation also lands here);
 * 4. ground glass: m ≥ −700 HU and fD < 0.1 (hazy increased attenuation with preserved vessels, −700..−300 HU band used in
 *    density-mask studies, e.g. Ash et al. 2017; the fD bound keeps the edge of a reticular
 *    region, whose mean is raised by the septa, from being called ground glass);
 * 5. normal otherwise.
 * Vessels are not separated (no vessel class), see the plugin's README limits.
 *
 * @packageDocumentation
 */
import type { Geometry, Kernels } from '@qiview/sdk';
import { boundingBox, boxDims, crop, paste } from './grid';

/** Texture labels of the texture labelmap. */
export const TEXTURE_CLASSES = [
  { label: 1, key: 'normal', name: 'Normal', color: [90, 160, 90] as [number, number, number] },
  { label: 2, key: 'ground_glass', name: 'Ground glass', color: [240, 220, 60] as [number, number, number] },
  { label: 3, key: 'reticular', name: 'Reticular', color: [240, 140, 40] as [number, number, number] },
  { label: 4, key: 'honeycombing', name: 'Honeycombing', color: [220, 40, 40] as [number, number, number] },
  {
    label: 5,
    key: 'emphysema',
    name: 'Emphysema (low attenuation)',
    color: [60, 120, 240] as [number, number, number],
  },
] as const;

/** The classifier's thresholds. */
export const TEXTURE_THRESHOLDS = {
  sigmaMm: 2,
  airHu: -900,
  denseHu: -400,
  honeycombAir: 0.15,
  honeycombDense: 0.15,
  emphysemaAir: 0.5,
  reticularDense: 0.3,
  groundGlassMeanHu: -700,
  groundGlassMaxDense: 0.1,
} as const;

/** Classifies every lung voxel (nonzero in `lungs`); returns a labelmap with {@link TEXTURE_CLASSES} labels. */
export function classifyTexture(
  hu: Int16Array | Float32Array,
  lungs: Uint8Array,
  g: Geometry,
  kernels: Kernels,
): Uint8Array {
  const T = TEXTURE_THRESHOLDS;
  const dims = g.dimensions;
  const out = new Uint8Array(lungs.length);
  const box = boundingBox(lungs, dims, [2, 2, 2]);
  if (!box) return out;
  const bd = boxDims(box);
  const m = crop(lungs, dims, box);
  const h = crop(hu, dims, box);
  const nb = m.length;
  const w = new Float32Array(nb),
    sumHu = new Float32Array(nb),
    airF = new Float32Array(nb),
    denseF = new Float32Array(nb);
  for (let q = 0; q < nb; q++) {
    if (!m[q]) continue;
    w[q] = 1;
    sumHu[q] = h[q];
    airF[q] = h[q] < T.airHu ? 1 : 0;
    denseF[q] = h[q] > T.denseHu ? 1 : 0;
  }
  const s = T.sigmaMm;
  const gw = kernels.gaussian(w, bd, g.spacing, s);
  const gm = kernels.gaussian(sumHu, bd, g.spacing, s);
  const ga = kernels.gaussian(airF, bd, g.spacing, s);
  const gd = kernels.gaussian(denseF, bd, g.spacing, s);
  const cls = new Uint8Array(nb);
  for (let q = 0; q < nb; q++) {
    if (!m[q]) continue;
    const ww = Math.max(gw[q], 1e-6);
    const fA = ga[q] / ww,
      fD = gd[q] / ww,
      mean = gm[q] / ww;
    let c = 1;
    if (fA >= T.honeycombAir && fD >= T.honeycombDense) c = 4;
    else if (fA >= T.emphysemaAir) c = 5;
    else if (fD >= T.reticularDense) c = 3;
    else if (mean >= T.groundGlassMeanHu && fD < T.groundGlassMaxDense) c = 2;
    cls[q] = c;
  }
  paste(out, dims, cls, box);
  return out;
}
