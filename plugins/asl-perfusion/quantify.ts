/**
 * CBF quantification.
 * - Single PLD, pCASL (ASL white paper, Alsop et al., MRM 2015;73:102, eq. 1):
 *   CBF = 6000·λ·ΔM·e^(PLD/T1b) / (2·α·T1b·M0·(1 − e^(−τ/T1b)))
 * - Single TI, PASL (QUIPSS II, white paper eq. 2): CBF = 6000·λ·ΔM·e^(TI/T1b) / (2·α·TI1·M0)
 * - α includes the background-suppression efficiency; 2D readouts use PLD_z = PLD + SliceTiming[z].
 * - M0 is corrected for incomplete recovery: M0 / (1 − e^(−TR/T1tissue)) (white paper, section "M0").
 * - Multi-PLD: general kinetic model (Buxton et al., MRM 1998;40:383) for pCASL with a single blood T1
 *   (the white-paper simplification), fitted voxelwise for CBF and arterial transit time as posterior means and
 *   SDs: CBF and the noise variance integrated out analytically, the ATT posterior by quadrature
 *   ({@link fitKinetic}).
 *
 * @packageDocumentation
 */
import { CBF_UNIT_FACTOR } from './constants';
import type { AslParameters } from './params';

/** The multiplier k such that CBF = k·ΔM/M0 for one slice and PLD (white paper / QUIPSS II). */
export function singlePldFactor(p: AslParameters, pld: number): number {
  const a = p.alpha * p.bsEfficiency;
  if (p.labelingType === 'pasl') {
    return (CBF_UNIT_FACTOR * p.lambda * Math.exp(pld / p.bloodT1)) / (2 * a * p.labelDuration);
  }
  return (
    (CBF_UNIT_FACTOR * p.lambda * Math.exp(pld / p.bloodT1)) /
    (2 * a * p.bloodT1 * (1 - Math.exp(-p.labelDuration / p.bloodT1)))
  );
}

/**
 * Factor dividing M0: incomplete recovery at its TR (1 − e^(−TR/T1tissue); 1 when TR is unknown/0), times the TE
 * correction e^((TE_ASL − TE_M0)/T2*) when the user gives a tissue T2*.
 */
export function m0RecoveryFactor(p: AslParameters): number {
  const tr = p.m0Tr > 0 ? 1 - Math.exp(-p.m0Tr / p.tissueT1) : 1;
  // TE: M0 measured at TE_M0 is brought to TE_ASL, M0·e^(−(TE_ASL − TE_M0)/T2*), only with a user T2*.
  const te =
    p.tissueT2star && p.teAsl !== undefined && p.teM0 !== undefined
      ? Math.exp((p.teAsl - p.teM0) / p.tissueT2star)
      : 1;
  return tr * te;
}

/**
 * White-paper CBF map (ml/100g/min) from mean ΔM and M0 on the same grid. PLD per slice for 2D readouts.
 * Voxels outside `mask` or with M0 ≤ 0 are 0.
 */
export function quantifySinglePld(
  deltaM: Float32Array,
  m0: Float32Array,
  mask: Uint8Array,
  dims: readonly number[],
  p: AslParameters,
  pld: number,
): Float32Array {
  const [nx, ny, nz] = dims as [number, number, number];
  const out = new Float32Array(deltaM.length);
  const rec = m0RecoveryFactor(p);
  for (let k = 0; k < nz; k++) {
    const f = singlePldFactor(p, pld + (p.sliceTiming[k] ?? 0));
    for (let o = k * nx * ny; o < (k + 1) * nx * ny; o++) {
      const m = (m0[o]! * p.m0Scale) / rec;
      out[o] = mask[o] && m > 0 ? (f * deltaM[o]!) / m : 0;
    }
  }
  return out;
}

/**
 * General kinetic model ΔM/M0 for pCASL (Buxton 1998, single T1 = blood T1), CBF in ml/100g/min, times in s.
 * PASL uses the same arrival structure with bolus TI1 and TI = PLD.
 */
export function gkmSignal(cbf: number, att: number, pld: number, p: AslParameters): number {
  const f = cbf / CBF_UNIT_FACTOR; // ml/g/s
  const a = p.alpha * p.bsEfficiency;
  const t1 = p.bloodT1;
  const tau = p.labelDuration;
  if (p.labelingType === 'pasl') {
    const ti = pld;
    if (ti < att) return 0;
    const dur = Math.min(ti - att, tau);
    return (2 * a * f * dur * Math.exp(-ti / t1)) / p.lambda;
  }
  if (pld + tau < att) return 0;
  const pre = ((2 * a * f * t1) / p.lambda) * Math.exp(-att / t1);
  if (pld < att) return pre * (1 - Math.exp(-(tau + pld - att) / t1));
  return pre * Math.exp(-(pld - att) / t1) * (1 - Math.exp(-tau / t1));
}

/** Result of a voxelwise multi-PLD fit: posterior means and posterior SDs. */
export interface KineticFit {
  cbf: Float32Array;
  att: Float32Array;
  cbfSd: Float32Array;
  attSd: Float32Array;
}

/**
 * Repeat-to-repeat noise of the multi-PLD signal, from the control/label pairs that were averaged per PLD.
 * The noise of one pair's ΔM/M0 is assumed Gaussian, independent, with one variance σ²_v per voxel at every PLD.
 */
export interface KineticNoise {
  /**
   * Per voxel: Σ over PLDs i and pairs r of (ΔM_ir/M0 − mean_i)², the within-PLD sum of squares (ν·s²_v);
   * σ²_v ≈ sumSquares[v] / dof.
   */
  sumSquares: Float32Array;
  /** Its degrees of freedom ν = Σ_i (n_i − 1) (a whole number). */
  dof: number;
  /** Pairs averaged at each PLD, n_i (the mean at PLD i has variance σ²_v / n_i). */
  repeats: readonly number[];
}

/** Options of {@link fitKinetic}. */
export interface KineticOptions {
  /** Added to every PLD of voxel v (2D slice timing), s. */
  sliceOffset?: (voxel: number) => number;
  /** Repeat-to-repeat noise; without it σ² is inferred from the fit residual alone. */
  noise?: KineticNoise;
}

/** Physical ATT range, s: the support of the flat ATT prior. */
export const ATT_RANGE: readonly [number, number] = [0.2, 3.0];
/** Quadrature step of the ATT posterior, s (refined per voxel where the posterior is narrower). */
export const ATT_STEP = 0.02;

/** Grid points whose log posterior is within this of the maximum bound the refinement window (e^−30 ≈ 1e-13). */
const REFINE_LOG_SPAN = 30;
/** Intervals of a refinement grid; refinement stops after REFINE_LEVELS zooms. */
const REFINE_INTERVALS = 32;
const REFINE_LEVELS = 5;

/** Posterior moments of one voxel on one ATT grid. */
interface Moments {
  att: number;
  attVar: number;
  cbf: number;
  cbfVar: number;
  /** Smallest and largest grid ATT whose log posterior is within REFINE_LOG_SPAN of the maximum. */
  lo: number;
  hi: number;
}

/** Unit-CBF model curves on an ATT grid: `g[k·nPld + i]` at grid ATT k and PLD i, and gᵀWg per grid ATT. */
interface Curves {
  g: Float64Array;
  gg: Float64Array;
}

function unitCurves(
  atts: ArrayLike<number>,
  plds: readonly number[],
  off: number,
  w: readonly number[],
  p: AslParameters,
  into?: Curves,
): Curves {
  const np = plds.length;
  const c = into ?? { g: new Float64Array(atts.length * np), gg: new Float64Array(atts.length) };
  for (let k = 0; k < atts.length; k++) {
    let gg = 0;
    for (let i = 0; i < np; i++) {
      const v = gkmSignal(1, atts[k]!, plds[i]! + off, p);
      c.g[k * np + i] = v;
      gg += w[i]! * v * v;
    }
    c.gg[k] = gg;
  }
  return c;
}

/** r^(d/2) for an integer d ≥ 0 by repeated squaring (and one square root for odd d): Math.pow is the fit's hot spot. */
function powHalf(r: number, d: number): number {
  let e = d >> 1,
    b = r,
    out = d & 1 ? Math.sqrt(r) : 1;
  while (e > 0) {
    if (e & 1) out *= b;
    b *= b;
    e >>= 1;
  }
  return out;
}

/**
 * Posterior moments for one voxel on the uniform ATT grid `grid` (trapezoid weights), given its unit-CBF curves, the
 * per-PLD means `y`, the weights `w` (= n_i) and the repeat sum of squares `s0` with `dof` degrees of freedom. `ss`,
 * `fk`, `vk` are scratch arrays of at least the grid's length. See {@link fitKinetic} for the model.
 */
function posterior(
  grid: ArrayLike<number>,
  curves: Curves,
  y: Float64Array,
  w: readonly number[],
  s0: number,
  dof: number,
  ss: Float64Array,
  fk: Float64Array,
  vk: Float64Array,
): Moments {
  const np = y.length;
  let yy = 0;
  for (let i = 0; i < np; i++) yy += w[i]! * y[i]! * y[i]!;
  // relative floor: the signal is float32, a "perfect" fit leaves SSE ≈ 1e-14·Σwy²; all-zero voxels stay finite
  const floor = 1e-12 * yy + 1e-300;
  const d = dof + np - 1; // degrees of freedom of σ² once CBF is integrated out
  const nk = grid.length;
  let ssMin = Infinity;
  for (let k = 0; k < nk; k++) {
    const g = curves.g,
      gg = curves.gg[k]!,
      o = k * np;
    if (!(gg > 0)) {
      // no PLD sees any label at this ATT: CBF is not identifiable there, the point carries no posterior mass
      ss[k] = Infinity;
      continue;
    }
    let gy = 0;
    for (let i = 0; i < np; i++) gy += w[i]! * g[o + i]! * y[i]!;
    const r = s0 + Math.max(0, yy - (gy * gy) / gg) + floor;
    ss[k] = r;
    fk[k] = gy / gg;
    vk[k] = r / ((d > 2 ? d - 2 : d) * gg);
    if (r < ssMin) ssMin = r;
  }
  // p(ATT_k | y) ∝ ss_k^(−d/2); the refinement window keeps log p within REFINE_LOG_SPAN of the maximum
  const half = d / 2;
  const spanRatio = Math.exp(REFINE_LOG_SPAN / half);
  let z = 0,
    ma = 0,
    ma2 = 0,
    mf = 0,
    mf2 = 0,
    lo = Infinity,
    hi = -Infinity;
  for (let k = 0; k < nk; k++) {
    if (ss[k] === Infinity) continue;
    const a = grid[k]!;
    if (ss[k]! < ssMin * spanRatio) {
      lo = Math.min(lo, a);
      hi = Math.max(hi, a);
    }
    const q = powHalf(ssMin / ss[k]!, d) * (k === 0 || k === nk - 1 ? 0.5 : 1);
    z += q;
    ma += q * a;
    ma2 += q * a * a;
    mf += q * fk[k]!;
    mf2 += q * (vk[k]! + fk[k]! * fk[k]!);
  }
  if (!(z > 0)) return { att: 0, attVar: 0, cbf: 0, cbfVar: 0, lo: NaN, hi: NaN };
  ma /= z;
  mf /= z;
  return {
    att: ma,
    attVar: Math.max(0, ma2 / z - ma * ma),
    cbf: mf,
    cbfVar: Math.max(0, mf2 / z - mf * mf),
    lo,
    hi,
  };
}

/**
 * Voxelwise Bayesian fit of CBF and arterial transit time (ATT) to multi-PLD ΔM/M0 (`signal[v*nPld + i]`, the mean
 * over the pairs at `plds[i]`) with the general kinetic model ({@link gkmSignal}).
 *
 * Model: y_i = f·g_i(ATT) + e_i with e_i ~ N(0, σ²/n_i), where g is the unit-CBF curve, n_i the pairs averaged at
 * PLD i (`noise.repeats`, else 1) and σ² the per-voxel noise variance of one pair; W = diag(n_i), N PLDs.
 * Priors: ATT flat over {@link ATT_RANGE}; σ² Jeffreys (1/σ²); CBF flat in the amplitude of the predicted signal,
 * p(f | ATT) ∝ ‖g(ATT)‖_W = √(gᵀWg) (the Jeffreys prior of f given ATT). The repeat-to-repeat scatter within each
 * PLD (`noise`: sum of squares S₀ with ν degrees of freedom) is a second, independent measurement of σ². CBF (linear)
 * and σ² are integrated out analytically, leaving the exact marginal posterior of ATT
 *
 *   p(ATT | y) ∝ (S₀ + SSE(ATT))^(−(ν + N − 1)/2),  SSE(ATT) = yᵀWy − (gᵀWy)²/(gᵀWg)
 *
 * (the profile residual of the linear CBF fit at that ATT); given ATT, CBF is Student-t with mean (gᵀWy)/(gᵀWg) and
 * variance (S₀ + SSE)/((ν + N − 3)·gᵀWg). The reported ATT and CBF are the posterior means, `attSd` and `cbfSd` the
 * posterior SDs (ATT uncertainty included in the CBF SD), by trapezoid quadrature over an ATT grid of step
 * {@link ATT_STEP}; where the posterior is narrower than two steps (high SNR) the grid is refined around its mass
 * until it resolves it. Without `noise` (one pair per PLD) S₀ = 0 and ν = 0: σ² comes from the residual alone.
 *
 * Why not least squares: with a single T1, g_i does not depend on ATT once ATT ≤ PLD_i, so the least-squares cost
 * has a kink at every sampled PLD and its minimiser lands exactly on a PLD in a sizeable share of voxels (11–15 % of
 * GM on the multi-PLD phantom), which shows as bands in the ATT map and spikes in its histogram; its σ²(JᵀJ)⁻¹ SDs
 * diverge at the kinks and where ATT < the first PLD (the data do not constrain ATT there). The posterior mean is a
 * smooth function of the data, with no such attractor, and its SD stays finite and honest.
 * Why the amplitude prior and not a flat CBF prior: a flat prior on f weighs each ATT by (gᵀWg)^(−½), i.e. favours
 * ATTs at which the label is barely seen (late arrival); at the phantom's white-matter SNR (≈ 1.6 per PLD) that moved
 * the median ATT 0.26 s late and CBF 27 % high. The remaining pull of a flat ATT prior (toward the middle of the range
 * where data say little, e.g. below the first PLD) is what the ATT SD map reports.
 */
export function fitKinetic(
  signal: Float32Array,
  plds: readonly number[],
  mask: Uint8Array,
  p: AslParameters,
  options: KineticOptions = {},
): KineticFit {
  const n = mask.length;
  const np = plds.length;
  const sliceOffset = options.sliceOffset ?? ((): number => 0);
  const noise = options.noise;
  if (noise && noise.repeats.length !== np)
    throw new Error(`fitKinetic: ${noise.repeats.length} repeat counts for ${np} PLDs`);
  if (noise && !(Number.isInteger(noise.dof) && noise.dof >= 0))
    throw new Error(`fitKinetic: noise degrees of freedom must be a whole number ≥ 0, got ${noise.dof}`);
  const w = noise ? noise.repeats : plds.map(() => 1);
  const dof = noise ? noise.dof : 0;
  const cbf = new Float32Array(n),
    att = new Float32Array(n),
    cbfSd = new Float32Array(n),
    attSd = new Float32Array(n);
  const [a0, a1] = ATT_RANGE;
  const nk = Math.round((a1 - a0) / ATT_STEP) + 1;
  const grid = Float64Array.from({ length: nk }, (_, k) => a0 + k * ATT_STEP);
  const nMax = Math.max(nk, REFINE_INTERVALS + 1);
  const ss = new Float64Array(nMax),
    fk = new Float64Array(nMax),
    vk = new Float64Array(nMax);
  const y = new Float64Array(np);
  const fine = new Float64Array(REFINE_INTERVALS + 1);
  const fineCurves = unitCurves(fine, plds, 0, w, p);
  // unit-CBF curves on the grid, cached per slice offset
  const cache = new Map<number, Curves>();
  const curves = (off: number): Curves => {
    let c = cache.get(off);
    if (!c) {
      c = unitCurves(grid, plds, off, w, p);
      cache.set(off, c);
    }
    return c;
  };
  for (let v = 0; v < n; v++) {
    if (!mask[v]) continue;
    const off = sliceOffset(v);
    for (let i = 0; i < np; i++) y[i] = signal[v * np + i]!;
    const s0 = noise ? noise.sumSquares[v]! : 0;
    let m = posterior(grid, curves(off), y, w, s0, dof, ss, fk, vk);
    // refine where the posterior is narrower than two grid steps (the quadrature would snap to grid points)
    let step = ATT_STEP;
    for (let level = 0; level < REFINE_LEVELS && Math.sqrt(m.attVar) < 2 * step; level++) {
      const lo = Math.max(a0, m.lo - step),
        hi = Math.min(a1, m.hi + step);
      if (!(hi > lo)) break;
      step = (hi - lo) / REFINE_INTERVALS;
      for (let k = 0; k <= REFINE_INTERVALS; k++) fine[k] = lo + k * step;
      m = posterior(fine, unitCurves(fine, plds, off, w, p, fineCurves), y, w, s0, dof, ss, fk, vk);
    }
    cbf[v] = m.cbf;
    att[v] = m.att;
    cbfSd[v] = Math.sqrt(m.cbfVar);
    attSd[v] = Math.sqrt(m.attVar);
  }
  return { cbf, att, cbfSd, attSd };
}
