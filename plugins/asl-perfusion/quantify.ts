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
/** Step of the ATT quadrature grid, s; refined locally where the posterior has a peak or edge narrower than it. */
export const ATT_STEP = 0.04;

/** Intervals of a refinement grid over the two steps around a grid maximum (each level is 8× finer). */
const REFINE_INTERVALS = 16;
/**
 * A grid maximum whose neighbour has less than this fraction of its posterior density is not resolved by the grid:
 * for a Gaussian posterior of SD σ that happens for σ ≲ h (grid step h), while the trapezoid rule's error on a peak
 * is of order e^(−2π²σ²/h²) (< 1e-12 for σ ≥ 1.2 h).
 */
const RESOLVED_RATIO = 0.5;
/**
 * Finest quadrature step, s: refinement stops there. Only noiseless data (the pipeline's self-check) have posteriors
 * that narrow; their mean is then within half of this of the exact one.
 */
const ATT_RESOLUTION = 1e-3;

/**
 * The unit-CBF general kinetic model at fixed PLDs: {@link gkmSignal}(1, ATT, PLD_i + offset) for every PLD with one
 * exponential per ATT (the PLD-dependent factors are precomputed).
 */
interface UnitModel {
  /** Fills `out[o + i]` with the unit-CBF signal at `att` for PLD i and returns Σ_i w_i·out[o + i]². */
  fill(att: number, out: Float64Array, o: number): number;
}

function unitModel(plds: readonly number[], off: number, w: readonly number[], p: AslParameters): UnitModel {
  const np = plds.length;
  const t1 = p.bloodT1,
    tau = p.labelDuration;
  const k = (2 * p.alpha * p.bsEfficiency) / (CBF_UNIT_FACTOR * p.lambda);
  const t = plds.map((x) => x + off);
  if (p.labelingType === 'pasl') {
    // TI ≥ ATT: 2α·f·min(TI − ATT, TI1)·e^(−TI/T1b)/λ, else 0
    const e = t.map((ti) => k * Math.exp(-ti / t1));
    return {
      fill(att, out, o) {
        let gg = 0;
        for (let i = 0; i < np; i++) {
          const g = t[i]! < att ? 0 : e[i]! * Math.min(t[i]! - att, tau);
          out[o + i] = g;
          gg += w[i]! * g * g;
        }
        return gg;
      },
    };
  }
  // PLD ≥ ATT: K·e^(−PLD/T1b)·(1 − e^(−τ/T1b)); ATT − τ ≤ PLD < ATT: K·(e^(−ATT/T1b) − e^(−(τ+PLD)/T1b)); K = 2α·f·T1b/λ
  const kt = k * t1;
  const after = t.map((x) => kt * Math.exp(-x / t1) * (1 - Math.exp(-tau / t1)));
  const bolusEnd = t.map((x) => kt * Math.exp(-(tau + x) / t1));
  return {
    fill(att, out, o) {
      const ea = kt * Math.exp(-att / t1);
      let gg = 0;
      for (let i = 0; i < np; i++) {
        const x = t[i]!;
        const g = x >= att ? after[i]! : x + tau < att ? 0 : ea - bolusEnd[i]!;
        out[o + i] = g;
        gg += w[i]! * g * g;
      }
      return gg;
    },
  };
}

/** Unit-CBF curves on an ATT grid: `g[k·nPld + i]` at grid ATT k and PLD i, and gᵀWg per grid ATT. */
interface Curves {
  g: Float64Array;
  gg: Float64Array;
}

function fillCurves(atts: Float64Array, count: number, model: UnitModel, np: number, into: Curves): Curves {
  for (let k = 0; k < count; k++) into.gg[k] = model.fill(atts[k]!, into.g, k * np);
  return into;
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

/** Running posterior sums of one voxel, each scaled by (ref/ss)^(d/2) (ss ≥ ref, so no overflow). */
interface Sums {
  ref: number;
  z: number;
  a: number;
  a2: number;
  f: number;
  f2: number;
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
 * {@link ATT_STEP}, refined locally (8× per level) around a maximum the grid does not resolve (a peak narrower than
 * about one step, at high SNR). Without `noise` (one pair per PLD) S₀ = 0 and ν = 0: σ² comes from the residual
 * alone. Voxels where no ATT in range predicts any label signal get 0.
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
  // degrees of freedom of σ² once CBF is integrated out: p(ATT | y) ∝ ss(ATT)^(−d/2)
  const d = (noise ? noise.dof : 0) + np - 1;
  const cbf = new Float32Array(n),
    att = new Float32Array(n),
    cbfSd = new Float32Array(n),
    attSd = new Float32Array(n);
  const [a0, a1] = ATT_RANGE;
  const nk = Math.round((a1 - a0) / ATT_STEP) + 1;
  const grid = Float64Array.from({ length: nk }, (_, k) => a0 + k * ATT_STEP);
  const ss = new Float64Array(nk),
    fk = new Float64Array(nk);
  const y = new Float64Array(np);
  const nf = REFINE_INTERVALS + 1;
  const fine = new Float64Array(nf);
  const fineCurves: Curves = { g: new Float64Array(nf * np), gg: new Float64Array(nf) };
  // the coarse grid's curves, cached per slice offset
  const cache = new Map<number, { model: UnitModel; curves: Curves }>();
  const modelAt = (off: number): { model: UnitModel; curves: Curves } => {
    let c = cache.get(off);
    if (!c) {
      const model = unitModel(plds, off, w, p);
      const curves = fillCurves(grid, nk, model, np, {
        g: new Float64Array(nk * np),
        gg: new Float64Array(nk),
      });
      c = { model, curves };
      cache.set(off, c);
    }
    return c;
  };
  const sums: Sums = { ref: Infinity, z: 0, a: 0, a2: 0, f: 0, f2: 0 };
  for (let v = 0; v < n; v++) {
    if (!mask[v]) continue;
    const { model, curves: coarse } = modelAt(sliceOffset(v));
    let yy = 0;
    for (let i = 0; i < np; i++) {
      y[i] = signal[v * np + i]!;
      yy += w[i]! * y[i]! * y[i]!;
    }
    const s0 = noise ? noise.sumSquares[v]! : 0;
    // relative floor: the signal is float32, a "perfect" fit leaves SSE ≈ 1e-14·Σwy²; all-zero voxels stay finite
    const floor = 1e-12 * yy + 1e-300;
    Object.assign(sums, { ref: Infinity, z: 0, a: 0, a2: 0, f: 0, f2: 0 });
    let atts = grid,
      curves = coarse,
      count = nk,
      h = ATT_STEP;
    for (;;) {
      // ss = S₀ + SSE(ATT) and the conditional CBF at each node
      let best = -1;
      for (let k = 0; k < count; k++) {
        const gg = curves.gg[k]!;
        if (!(gg > 0)) {
          // no PLD sees any label at this ATT: CBF is not identifiable there, the node carries no posterior mass
          ss[k] = Infinity;
          continue;
        }
        let gy = 0;
        for (let i = 0, o = k * np; i < np; i++) gy += w[i]! * curves.g[o + i]! * y[i]!;
        ss[k] = s0 + Math.max(0, yy - (gy * gy) / gg) + floor;
        fk[k] = gy / gg;
        if (best < 0 || ss[k]! < ss[best]!) best = k;
      }
      if (best < 0) break;
      // a maximum whose neighbour is below RESOLVED_RATIO of it is integrated on a finer grid over its two intervals
      let lo = count,
        hi = -1;
      if (h > ATT_RESOLUTION) {
        const below = (k: number): boolean => powHalf(ss[best]! / ss[k]!, d) < RESOLVED_RATIO;
        if ((best > 0 && below(best - 1)) || (best < count - 1 && below(best + 1))) {
          lo = Math.max(0, best - 1);
          hi = Math.min(count - 1, best + 1);
        }
      }
      if (ss[best]! < sums.ref) {
        const r = sums.ref === Infinity ? 0 : powHalf(ss[best]! / sums.ref, d);
        sums.z *= r;
        sums.a *= r;
        sums.a2 *= r;
        sums.f *= r;
        sums.f2 *= r;
        sums.ref = ss[best]!;
      }
      // trapezoid rule over the intervals outside [lo, hi]: node k gets h/2 per counted adjacent interval
      for (let k = 0; k < count; k++) {
        if (ss[k] === Infinity) continue;
        const left = k > 0 && (k <= lo || k - 1 >= hi) ? 1 : 0;
        const right = k < count - 1 && (k + 1 <= lo || k >= hi) ? 1 : 0;
        if (!(left + right)) continue;
        const q = ((left + right) * h * powHalf(sums.ref / ss[k]!, d)) / 2;
        const gg = curves.gg[k]!,
          a = atts[k]!,
          f = fk[k]!;
        // CBF given ATT: Student-t, variance ss/((d − 2)·gᵀWg)
        const fv = ss[k]! / ((d > 2 ? d - 2 : d) * gg);
        sums.z += q;
        sums.a += q * a;
        sums.a2 += q * a * a;
        sums.f += q * f;
        sums.f2 += q * (fv + f * f);
      }
      if (hi < 0) break;
      const from = atts[lo]!;
      h = (atts[hi]! - from) / REFINE_INTERVALS;
      for (let k = 0; k < nf; k++) fine[k] = from + k * h;
      atts = fine;
      curves = fillCurves(fine, nf, model, np, fineCurves);
      count = nf;
    }
    if (!(sums.z > 0)) continue; // no ATT in range predicts any label signal: CBF and ATT stay 0
    const ma = sums.a / sums.z,
      mf = sums.f / sums.z;
    att[v] = ma;
    cbf[v] = mf;
    attSd[v] = Math.sqrt(Math.max(0, sums.a2 / sums.z - ma * ma));
    cbfSd[v] = Math.sqrt(Math.max(0, sums.f2 / sums.z - mf * mf));
  }
  return { cbf, att, cbfSd, attSd };
}
