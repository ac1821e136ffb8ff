/**
 * Follow-up against a prior CT: rigid registration of the prior onto the current grid (itk-wasm elastix through the
 * host when offered, else a translation-only fallback that aligns the lung centroids), a density change map and the
 * change in fibrosis extent per region, flagged against a minimal clinically important difference.
 *
 * @packageDocumentation
 */
import type { AnalysisContext, Geometry, Vec3, Volume } from '@qiview/sdk';
import type { RegionStats } from './quantify';

/**
 * Minimal clinically important difference of fibrosis extent, percentage points. Data-driven texture scores report
 * an MCID of about 3–6 % extent (see the Qiview domain guide, section 3; e.g. quantitative lung fibrosis score MCID
 * 3–4 %, Kim et al.); Qiview flags a change of at least 4 points by default (parameter `mcidPct`).
 */
export const DEFAULT_MCID_PCT = 4;

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
}

/**
 * Registers the prior CT onto the current one. With `context.registration` (itk-wasm elastix) a rigid elastix
 * registration; otherwise the prior is translated so its lung centroid falls on the current lung centroid and
 * resampled trilinearly (no rotation: a patient repositioned with rotation is only roughly aligned).
 */
export async function registerPrior(
  current: Volume,
  currentLungs: Uint8Array,
  prior: Volume,
  priorLungs: Uint8Array,
  context: AnalysisContext,
): Promise<RegisteredPrior> {
  if (context.registration) {
    try {
      const r = await context.registration.register(current, prior, { kind: 'rigid' });
      const data =
        r.resampled.data instanceof Float32Array ? r.resampled.data : Float32Array.from(r.resampled.data);
      return { data, method: 'elastix rigid (itk-wasm)', transform: r.transform.parameters };
    } catch (e) {
      context.log(
        'warning',
        `elastix registration failed (${(e as Error).message}); using the centroid fallback`,
      );
    }
  }
  const cc = centroidLps(currentLungs, current.geometry);
  const cp = centroidLps(priorLungs, prior.geometry);
  const t: Vec3 = [cc[0] - cp[0], cc[1] - cp[1], cc[2] - cp[2]];
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
  return { data, method: 'lung-centroid translation (TypeScript fallback, no elastix)', transform: t };
}
