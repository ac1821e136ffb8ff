/**
 * CBF quantification.
 * - Single PLD, pCASL (ASL white paper, Alsop et al., MRM 2015;73:102, eq. 1):
 *   CBF = 6000·λ·ΔM·e^(PLD/T1b) / (2·α·T1b·M0·(1 − e^(−τ/T1b)))
 * - Single TI, PASL (QUIPSS II, white paper eq. 2): CBF = 6000·λ·ΔM·e^(TI/T1b) / (2·α·TI1·M0)
 * - α includes the background-suppression efficiency; 2D readouts use PLD_z = PLD + SliceTiming[z].
 * - M0 is corrected for incomplete recovery: M0 / (1 − e^(−TR/T1tissue)) (white paper, section "M0").
 * - Multi-PLD: general kinetic model (Buxton et al., MRM 1998;40:383) for pCASL with a single blood T1
 *   (the white-paper simplification), fitted voxelwise for CBF and arterial transit time by a grid over ATT with the
 *   closed-form CBF at each ATT, then Gauss-Newton/Levenberg-Marquardt refinement; uncertainty from σ²(JᵀJ)⁻¹.
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

/** Result of a voxelwise multi-PLD fit. */
export interface KineticFit {
  cbf: Float32Array;
  att: Float32Array;
  cbfSd: Float32Array;
  attSd: Float32Array;
}

/** ATT grid of the initial search, s. */
export const ATT_GRID: readonly [number, number, number] = [0.2, 3.0, 0.05];

/**
 * Fits CBF and ATT per voxel to ΔM/M0 sampled at `plds` (one value per PLD; `signal[v*nPld + i]`).
 * `sliceOffset[v]` is added to every PLD of voxel v (2D slice timing).
 */
export function fitKinetic(
  signal: Float32Array,
  plds: readonly number[],
  mask: Uint8Array,
  p: AslParameters,
  sliceOffset: (voxel: number) => number = () => 0,
): KineticFit {
  const n = mask.length;
  const np = plds.length;
  const cbf = new Float32Array(n),
    att = new Float32Array(n),
    cbfSd = new Float32Array(n),
    attSd = new Float32Array(n);
  const [a0, a1, da] = ATT_GRID;
  const grid: number[] = [];
  for (let a = a0; a <= a1 + 1e-9; a += da) grid.push(a);
  const y = new Float64Array(np);
  const tp = new Float64Array(np);
  // unit-CBF curves per grid ATT, cached per slice offset
  const cache = new Map<number, Float64Array[]>();
  const curves = (off: number): Float64Array[] => {
    let c = cache.get(off);
    if (!c) {
      c = grid.map((a) => Float64Array.from(plds, (t) => gkmSignal(1, a, t + off, p)));
      cache.set(off, c);
    }
    return c;
  };
  for (let v = 0; v < n; v++) {
    if (!mask[v]) continue;
    const off = sliceOffset(v);
    for (let i = 0; i < np; i++) {
      y[i] = signal[v * np + i]!;
      tp[i] = plds[i]! + off;
    }
    const cs = curves(off);
    let best = Infinity,
      bf = 0,
      ba = grid[0]!;
    cs.forEach((g, gi) => {
      let sgy = 0,
        sgg = 0;
      for (let i = 0; i < np; i++) {
        sgy += g[i]! * y[i]!;
        sgg += g[i]! * g[i]!;
      }
      const f = sgg > 0 ? sgy / sgg : 0;
      let sse = 0;
      for (let i = 0; i < np; i++) sse += (y[i]! - f * g[i]!) ** 2;
      if (sse < best) {
        best = sse;
        bf = f;
        ba = grid[gi]!;
      }
    });
    // Levenberg-Marquardt refinement on (f, att)
    let lam = 1e-3;
    let J: number[][] = [];
    for (let it = 0; it < 20; it++) {
      const h = 1e-4;
      J = [];
      const r: number[] = [];
      for (let i = 0; i < np; i++) {
        const m = gkmSignal(bf, ba, tp[i]!, p);
        J.push([
          gkmSignal(1, ba, tp[i]!, p),
          (gkmSignal(bf, ba + h, tp[i]!, p) - gkmSignal(bf, ba - h, tp[i]!, p)) / (2 * h),
        ]);
        r.push(y[i]! - m);
      }
      let h00 = 0,
        h01 = 0,
        h11 = 0,
        g0 = 0,
        g1 = 0;
      for (let i = 0; i < np; i++) {
        h00 += J[i]![0]! ** 2;
        h01 += J[i]![0]! * J[i]![1]!;
        h11 += J[i]![1]! ** 2;
        g0 += J[i]![0]! * r[i]!;
        g1 += J[i]![1]! * r[i]!;
      }
      const A00 = h00 * (1 + lam),
        A11 = h11 * (1 + lam);
      const det = A00 * A11 - h01 * h01;
      if (!(Math.abs(det) > 1e-30)) break;
      const df = (A11 * g0 - h01 * g1) / det;
      const dA = (A00 * g1 - h01 * g0) / det;
      const nf = bf + df,
        na = Math.min(a1, Math.max(0, ba + dA));
      let sse = 0;
      for (let i = 0; i < np; i++) sse += (y[i]! - gkmSignal(nf, na, tp[i]!, p)) ** 2;
      if (sse < best) {
        best = sse;
        bf = nf;
        ba = na;
        lam *= 0.3;
        if (Math.abs(df) < 1e-4 * Math.max(1, Math.abs(bf)) && Math.abs(dA) < 1e-5) break;
      } else lam *= 10;
    }
    cbf[v] = bf;
    att[v] = ba;
    if (np > 2 && J.length === np) {
      const s2 = best / (np - 2);
      let h00 = 0,
        h01 = 0,
        h11 = 0;
      for (let i = 0; i < np; i++) {
        h00 += J[i]![0]! ** 2;
        h01 += J[i]![0]! * J[i]![1]!;
        h11 += J[i]![1]! ** 2;
      }
      const det = h00 * h11 - h01 * h01;
      if (det > 0) {
        cbfSd[v] = Math.sqrt((s2 * h11) / det);
        attSd[v] = Math.sqrt((s2 * h00) / det);
      }
    }
  }
  return { cbf, att, cbfSd, attSd };
}
