/**
 * Follow-up against a prior CT: rigid registration of the prior onto the current grid (itk-wasm elastix through the
 * host when offered, else a translation-only fallback that aligns the lung centroids), a density change map and the
 * change in fibrosis extent per region, flagged against a minimal clinically important difference. The prior's lung
 * mask and texture classes (computed on its own grid) are carried onto the current grid with the registration, so
 * each zone's change compares the same anatomy (zones of a tilted prior, cut by its own height, would not).
 *
 * @packageDocumentation
 */
import type { AnalysisContext, Direction, Geometry, Kernels, Vec3, Volume } from '@qiview/sdk';
import type { RegionStats } from './quantify';

/**
 * Minimal clinically important difference of fibrosis extent, percentage points. Data-driven texture scores report
 * an MCID of about 3–6 % extent (see the Qiview domain guide, section 3; e.g. quantitative lung fibrosis score MCID
 * 3–4 %, Kim et al.); Qiview flags a change of at least 4 points by default (parameter `mcidPct`).
 */
export const DEFAULT_MCID_PCT = 4;

/**
 * Lung overlap (Dice) between the current lungs and the registered prior's below which the follow-up warns that the
 * zones may compare different anatomy (a good rigid registration of the same patient overlaps ≥ 0.9; different
 * inspiration depth lowers it).
 */
export const MIN_PRIOR_OVERLAP = 0.8;

/** Change of one region. */
export interface RegionChange {
  key: string;
  name: string;
  priorPct: number;
  currentPct: number;
  deltaPct: number;
  /** 'progression' when Δ ≥ MCID, 'improvement' when Δ ≤ −MCID, else 'stable'. */
  verdict: 'progression' | 'improvement' | 'stable';
}

/** Compares fibrosis extent per region. */
export function compareExtent(current: RegionStats[], prior: RegionStats[], mcidPct: number): RegionChange[] {
  const byKey = new Map(prior.map((r) => [r.key, r]));
  return current
    .filter((r) => byKey.has(r.key) && r.voxels > 0 && byKey.get(r.key)!.voxels > 0)
    .map((r) => {
      const p = byKey.get(r.key)!;
      const delta = r.fibrosisPct - p.fibrosisPct;
      return {
        key: r.key,
        name: r.name,
        priorPct: p.fibrosisPct,
        currentPct: r.fibrosisPct,
        deltaPct: delta,
        verdict: delta >= mcidPct ? 'progression' : delta <= -mcidPct ? 'improvement' : 'stable',
      };
    });
}

function centroidLps(mask: Uint8Array, g: Geometry): Vec3 {
  const [nx, ny] = g.dimensions;
  let si = 0,
    sj = 0,
    sk = 0,
    c = 0;
  for (let q = 0; q < mask.length; q++) {
    if (!mask[q]) continue;
    si += q % nx;
    sj += Math.floor(q / nx) % ny;
    sk += Math.floor(q / (nx * ny));
    c++;
  }
  const d = g.direction;
  const [i, j, k] = [si / c, sj / c, sk / c].map((x, a) => x * g.spacing[a]);
  return [
    g.origin[0] + i * d[0] + j * d[3] + k * d[6],
    g.origin[1] + i * d[1] + j * d[4] + k * d[7],
    g.origin[2] + i * d[2] + j * d[5] + k * d[8],
  ];
}

/** Result of {@link registerPrior}. */
export interface RegisteredPrior {
  /** Prior HU resampled on the current grid. */
  data: Float32Array;
  method: string;
  transform: number[];
  /**
   * Rigid mapping of a current-grid point to the prior, 3 × 4 row-major [A | b] (LPS mm): prior = A·x + b; absent
   * when the registration gave no usable matrix (then labels cannot be carried over).
   */
  matrix?: number[];
}

/** Largest deviation of AᵀA from the identity accepted as "rigid" for carrying labels over. */
const RIGID_TOLERANCE = 1e-3;

/**
 * The prior's grid as seen from the current patient position: with prior = A·x + b (A a rotation), a prior voxel at
 * prior-space point p lies at current-space point Aᵀ(p − b), so the prior's origin and axes are mapped by Aᵀ.
 * Returns undefined when A is not a rotation.
 */
export function priorGridInCurrentSpace(prior: Geometry, matrix: number[]): Geometry | undefined {
  const a = [0, 1, 2].map((r) => [matrix[r * 4]!, matrix[r * 4 + 1]!, matrix[r * 4 + 2]!]);
  const b = [matrix[3]!, matrix[7]!, matrix[11]!];
  for (let r = 0; r < 3; r++)
    for (let c = 0; c < 3; c++) {
      const dot = a[0]![r]! * a[0]![c]! + a[1]![r]! * a[1]![c]! + a[2]![r]! * a[2]![c]!;
      if (Math.abs(dot - (r === c ? 1 : 0)) > RIGID_TOLERANCE) return undefined;
    }
  // Aᵀ·v: component c = Σ_r A[r][c]·v[r]
  const at = (v: number[]): Vec3 =>
    [0, 1, 2].map((c) => a[0]![c]! * v[0]! + a[1]![c]! * v[1]! + a[2]![c]! * v[2]!) as Vec3;
  const d = prior.direction;
  return {
    ...prior,
    origin: at([prior.origin[0] - b[0]!, prior.origin[1] - b[1]!, prior.origin[2] - b[2]!]),
    direction: [...at([d[0], d[1], d[2]]), ...at([d[3], d[4], d[5]]), ...at([d[6], d[7], d[8]])] as Direction,
  };
}

/** Carries a labelmap of the prior (on its own grid) onto the current grid with the rigid matrix (nearest neighbour). */
export function carryPriorLabels(
  labels: Uint8Array,
  prior: Geometry,
  current: Geometry,
  matrix: number[],
  kernels: Kernels,
): Uint8Array | undefined {
  const moved = priorGridInCurrentSpace(prior, matrix);
  if (!moved) return undefined;
  return kernels.resample(labels, moved, current, { interpolation: 'nearest', fill: 0 });
}

/**
 * Registers the prior CT onto the current one. With `context.registration` (itk-wasm elastix) a rigid elastix
 * registration started from the translation that aligns the lung centroids; otherwise the prior is translated so its lung centroid falls on the current lung centroid and
 * resampled trilinearly (no rotation: a patient repositioned with rotation is only roughly aligned).
 */
export async function registerPrior(
  current: Volume,
  currentLungs: Uint8Array,
  prior: Volume,
  priorLungs: Uint8Array,
  context: AnalysisContext,
): Promise<RegisteredPrior> {
  const cc = centroidLps(currentLungs, current.geometry);
  const cp = centroidLps(priorLungs, prior.geometry);
  const t: Vec3 = [cc[0] - cp[0], cc[1] - cp[1], cc[2] - cp[2]];
  if (context.registration) {
    try {
      // elastix starts from the lung centroids' alignment: scans months apart differ in table position by centimetres,
      // and from there an unaided rigid optimisation can lock onto the neighbouring rib or vertebra
      const start: Volume = {
        ...prior,
        geometry: {
          ...prior.geometry,
          origin: [
            prior.geometry.origin[0] + t[0],
            prior.geometry.origin[1] + t[1],
            prior.geometry.origin[2] + t[2],
          ],
        },
      };
      const r = await context.registration.register(current, start, { kind: 'rigid' });
      const data =
        r.resampled.data instanceof Float32Array ? r.resampled.data : Float32Array.from(r.resampled.data);
      const m = r.transform.matrix;
      return {
        data,
        method: 'elastix rigid (itk-wasm)',
        transform: r.transform.parameters,
        // elastix maps current → the moved prior (prior + t): the prior itself is that point − t
        matrix: m ? m.map((v, q) => (q % 4 === 3 ? v - t[(q - 3) / 4]! : v)) : undefined,
      };
    } catch (e) {
      context.log(
        'warning',
        `elastix registration failed (${(e as Error).message}); using the centroid fallback`,
      );
    }
  }
  const moved: Geometry = {
    ...prior.geometry,
    origin: [
      prior.geometry.origin[0] + t[0],
      prior.geometry.origin[1] + t[1],
      prior.geometry.origin[2] + t[2],
    ],
  };
  const src =
    prior.data instanceof Int16Array || prior.data instanceof Float32Array
      ? prior.data
      : Float32Array.from(prior.data);
  const out = context.kernels.resample(src, moved, current.geometry, {
    interpolation: 'linear',
    fill: -1024,
  });
  const data = out instanceof Float32Array ? out : Float32Array.from(out);
  return {
    data,
    method: 'lung-centroid translation (TypeScript fallback, no elastix)',
    transform: t,
    // prior point = current point − t
    matrix: [1, 0, 0, -t[0], 0, 1, 0, -t[1], 0, 0, 1, -t[2]],
  };
}
