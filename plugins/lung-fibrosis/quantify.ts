/**
 * Lung densitometry and texture extent per region (whole lungs, each lung, height bands, core/rind, six zones), from
 * one pass over the lung voxels into integer-HU histograms.
 *
 * @packageDocumentation
 */
import { TEXTURE_CLASSES } from './texture';
import { ZONES, zoneBand, zoneIsRind } from './zones';

/** High-attenuation area range, HU (Lederer et al., AJRCCM 2009; Podolanczuk et al., ERJ 2016). */
export const HAA_RANGE: [number, number] = [-600, -250];
/** Low-attenuation threshold for emphysema, HU (Gevenois et al., AJRCCM 1996: LAA < −950 HU). */
export const LAA_THRESHOLD = -950;
/** Percentiles reported (P15 is the usual emphysema index, Parr et al. 2004; the others describe the histogram). */
export const PERCENTILES = [10, 15, 25, 50, 75, 90] as const;

/**
 * Severity of fibrosis extent (% of lung): below 5 % is below the Fleischner "interstitial lung abnormality"
 * threshold (≥ 5 % of a lung zone; Hatabu et al., Lancet Respir Med 2020); above 20 % is "extensive" disease in Goh
 * staging (Goh et al., AJRCCM 2008); in between "limited".
 */
export const SEVERITY_THRESHOLDS = { minimalBelowPct: 5, extensiveAbovePct: 20 } as const;

/** Severity category of a fibrosis extent. */
export type Severity = 'minimal' | 'limited' | 'extensive';

/** Category for a fibrosis extent in %. */
export function severityOf(extentPct: number): Severity {
  if (extentPct > SEVERITY_THRESHOLDS.extensiveAbovePct) return 'extensive';
  if (extentPct >= SEVERITY_THRESHOLDS.minimalBelowPct) return 'limited';
  return 'minimal';
}

/** Statistics of one region. */
export interface RegionStats {
  key: string;
  name: string;
  voxels: number;
  volumeMl: number;
  /** Mean lung density, HU. */
  mld: number;
  sd: number;
  percentiles: Record<number, number>;
  skewness: number;
  /** Excess kurtosis (normal distribution = 0). */
  kurtosis: number;
  haaPct: number;
  laa950Pct: number;
  /** % of the region's voxels per texture class key. */
  classPct: Record<string, number>;
  /** reticular + honeycombing, % of the region. */
  fibrosisPct: number;
  /** Histogram counts from −1024 HU, one bin per HU (length 4096). */
  histogram: Float64Array;
}

/** Region keys in output order. */
export const REGIONS: Array<{ key: string; name: string }> = [
  { key: 'lungs', name: 'Both lungs' },
  { key: 'right', name: 'Right lung' },
  { key: 'left', name: 'Left lung' },
  { key: 'upper', name: 'Upper zone' },
  { key: 'middle', name: 'Middle zone' },
  { key: 'lower', name: 'Lower zone' },
  { key: 'core', name: 'Core' },
  { key: 'rind', name: 'Rind (subpleural 10 mm)' },
  ...ZONES.map((z) => ({ key: z.key, name: z.name })),
];

const OFFSET = 1024;
const NBINS = 4096;

/**
 * Computes {@link RegionStats} for every region in {@link REGIONS}. `lungs` 1 = right, 2 = left; `zones` and `texture`
 * as produced by computeZones and classifyTexture; `voxelMl` the volume of one voxel in ml.
 */
export function quantify(
  hu: ArrayLike<number>,
  lungs: Uint8Array,
  zones: Uint8Array,
  texture: Uint8Array,
  voxelMl: number,
): RegionStats[] {
  const R = REGIONS.length;
  const hist = Array.from({ length: R }, () => new Float64Array(NBINS));
  const cls = Array.from({ length: R }, () => new Float64Array(TEXTURE_CLASSES.length + 1));
  const regionIndex = new Map(REGIONS.map((r, i) => [r.key, i]));
  const zoneRegion = ZONES.map((z) => regionIndex.get(z.key)!);
  const bandRegion = [3, 4, 5];
  const idx = new Int32Array(5);
  for (let q = 0; q < lungs.length; q++) {
    const l = lungs[q];
    if (!l) continue;
    let v = Math.round(hu[q]) + OFFSET;
    if (v < 0) v = 0;
    else if (v >= NBINS) v = NBINS - 1;
    const z = zones[q];
    idx[0] = 0;
    idx[1] = l === 1 ? 1 : 2;
    let m = 2;
    if (z) {
      idx[m++] = bandRegion[zoneBand(z)];
      idx[m++] = zoneIsRind(z) ? 7 : 6;
      idx[m++] = zoneRegion[z - 1];
    }
    const t = texture[q];
    for (let a = 0; a < m; a++) {
      hist[idx[a]][v]++;
      cls[idx[a]][t]++;
    }
  }
  return REGIONS.map((r, i) => statsOf(r, hist[i], cls[i], voxelMl));
}

function statsOf(
  r: { key: string; name: string },
  h: Float64Array,
  cls: Float64Array,
  voxelMl: number,
): RegionStats {
  let n = 0,
    s1 = 0;
  for (let b = 0; b < NBINS; b++) {
    n += h[b];
    s1 += h[b] * (b - OFFSET);
  }
  const mean = n ? s1 / n : NaN;
  let m2 = 0,
    m3 = 0,
    m4 = 0,
    haa = 0,
    laa = 0;
  for (let b = 0; b < NBINS; b++) {
    if (!h[b]) continue;
    const v = b - OFFSET;
    const d = v - mean;
    const d2 = d * d;
    m2 += h[b] * d2;
    m3 += h[b] * d2 * d;
    m4 += h[b] * d2 * d2;
    if (v >= HAA_RANGE[0] && v <= HAA_RANGE[1]) haa += h[b];
    if (v < LAA_THRESHOLD) laa += h[b];
  }
  m2 /= n || 1;
  m3 /= n || 1;
  m4 /= n || 1;
  const percentiles: Record<number, number> = {};
  for (const p of PERCENTILES) {
    const rank = Math.max(1, Math.ceil((p / 100) * n));
    let c = 0;
    let b = 0;
    for (; b < NBINS; b++) {
      c += h[b];
      if (c >= rank) break;
    }
    percentiles[p] = n ? b - OFFSET : NaN;
  }
  const classPct: Record<string, number> = {};
  for (const c of TEXTURE_CLASSES) classPct[c.key] = n ? (100 * cls[c.label]) / n : NaN;
  return {
    key: r.key,
    name: r.name,
    voxels: n,
    volumeMl: n * voxelMl,
    mld: mean,
    sd: Math.sqrt(m2),
    percentiles,
    skewness: m2 > 0 ? m3 / Math.pow(m2, 1.5) : NaN,
    kurtosis: m2 > 0 ? m4 / (m2 * m2) - 3 : NaN,
    haaPct: n ? (100 * haa) / n : NaN,
    laa950Pct: n ? (100 * laa) / n : NaN,
    classPct,
    fibrosisPct: n ? (100 * (cls[3] + cls[4])) / n : NaN,
    histogram: h,
  };
}
