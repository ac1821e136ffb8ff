import { describe, expect, it } from 'vitest';
import type { Geometry } from '@qiview/sdk';
import { applyRigid, maxDisplacement, motionParameters, registerRigid } from './motion';
import { parseAslContext, pairFrames } from './ordering';
import { rejectOutliers } from './outliers';
import { bsEfficiencyFor, type AslParameters } from './params';
import { fitKinetic, gkmSignal, m0RecoveryFactor, quantifySinglePld, singlePldFactor } from './quantify';
import { parseAscconv, parseCsa } from './vendor/siemens';

const base: AslParameters = {
  labelingType: 'pcasl',
  pld: [1.8],
  labelDuration: 1.8,
  alpha: 0.85,
  bsEfficiency: 1,
  bsPulses: 0,
  bloodT1: 1.65,
  tissueT1: 1.3,
  lambda: 0.9,
  fieldStrength: 3,
  m0Tr: 0,
  m0Scale: 1,
  sliceTiming: [],
  readout: '3D',
  backgroundSuppression: false,
};

describe('white-paper formulas', () => {
  it('pCASL factor equals the hand-computed value (PLD = τ = 1.8 s, T1b 1.65 s, α 0.85, λ 0.9)', () => {
    // 6000·0.9·e^(1.8/1.65) / (2·0.85·1.65·(1−e^(−1.8/1.65))) computed independently: 8629.992
    expect(singlePldFactor(base, 1.8)).toBeCloseTo(8629.992, 2);
  });
  it('PASL (QUIPSS II) factor: TI 1.8 s, TI1 0.8 s, α 0.98', () => {
    const p = { ...base, labelingType: 'pasl' as const, labelDuration: 0.8, alpha: 0.98 };
    expect(singlePldFactor(p, 1.8)).toBeCloseTo(10252.352, 2);
  });
  it('background suppression conventions', () => {
    expect(bsEfficiencyFor('exploreasl', 2)).toBe(0.83);
    expect(bsEfficiencyFor('exploreasl', 4)).toBe(0.81);
    expect(bsEfficiencyFor('exploreasl', 5)).toBe(0.75);
    expect(bsEfficiencyFor('aslprep', 4)).toBeCloseTo(0.81450625, 10);
    expect(bsEfficiencyFor('none', 4)).toBe(1);
    expect(singlePldFactor({ ...base, bsEfficiency: 0.81 }, 1.8)).toBeCloseTo(8629.992 / 0.81, 1);
  });
  it('M0 TR correction and 2D slice timing', () => {
    expect(m0RecoveryFactor({ ...base, m0Tr: 2 })).toBeCloseTo(0.785289, 5);
    const p = { ...base, sliceTiming: [0, 0.5] };
    const dm = new Float32Array([1, 1]);
    const m0 = new Float32Array([100, 100]);
    const cbf = quantifySinglePld(dm, m0, new Uint8Array([1, 1]), [1, 1, 2], p, 1.8);
    expect(cbf[1]! / cbf[0]!).toBeCloseTo(Math.exp(0.5 / 1.65), 5);
  });
});

describe('general kinetic model', () => {
  it('is zero before arrival, continuous at PLD = ATT, and peaks near ATT', () => {
    expect(gkmSignal(60, 2.5, 0.5, base)).toBe(0);
    const a = gkmSignal(60, 1.2, 1.2 - 1e-9, base),
      b = gkmSignal(60, 1.2, 1.2 + 1e-9, base);
    expect(Math.abs(a - b)).toBeLessThan(1e-9);
    expect(gkmSignal(60, 1.2, 1.2, base)).toBeGreaterThan(gkmSignal(60, 1.2, 2.0, base));
  });
  it('fits noiseless multi-PLD data exactly', () => {
    const plds = [0.25, 0.75, 1.25, 1.75, 2.25];
    const truth = [
      [60, 0.9],
      [35, 1.6],
      [15, 2.1],
    ] as const;
    const sig = new Float32Array(truth.length * plds.length);
    truth.forEach(([f, a], v) =>
      plds.forEach((t, i) => (sig[v * plds.length + i] = gkmSignal(f, a, t, base))),
    );
    const fit = fitKinetic(sig, plds, new Uint8Array([1, 1, 1]), base);
    truth.forEach(([f, a], v) => {
      expect(fit.cbf[v]!).toBeCloseTo(f, 2);
      expect(fit.att[v]!).toBeCloseTo(a, 3);
      expect(fit.attSd[v]!).toBeLessThan(1e-3);
    });
    // PASL (TI1 0.8 s, α 0.98): TIs from 0.25 s, truth between TI samples
    const pasl = { ...base, labelingType: 'pasl' as const, labelDuration: 0.8, alpha: 0.98 };
    const tis = [0.25, 0.75, 1.25, 1.75, 2.25, 2.75];
    const ps = new Float32Array(truth.length * tis.length);
    truth.forEach(([f, a], v) => tis.forEach((t, i) => (ps[v * tis.length + i] = gkmSignal(f, a, t, pasl))));
    const fitP = fitKinetic(ps, tis, new Uint8Array([1, 1, 1]), pasl);
    truth.forEach(([f, a], v) => {
      expect(fitP.cbf[v]!).toBeCloseTo(f, 2);
      expect(fitP.att[v]!).toBeCloseTo(a, 3);
    });
    // 2D slice timing: the same curves sampled 0.3 s later
    const late = new Float32Array(sig.length);
    truth.forEach(([f, a], v) =>
      plds.forEach((t, i) => (late[v * plds.length + i] = gkmSignal(f, a, t + 0.3, base))),
    );
    const fit2 = fitKinetic(late, plds, new Uint8Array([1, 1, 1]), base, { sliceOffset: () => 0.3 });
    truth.forEach(([f, a], v) => {
      expect(fit2.cbf[v]!).toBeCloseTo(f, 2);
      expect(fit2.att[v]!).toBeCloseTo(a, 3);
    });
  });
  it('ATT before the first PLD is not determined by the data: the posterior is flat there, and its SD says so', () => {
    // every PLD ≥ ATT: the signal does not depend on ATT in [0.2, 0.5] s (the prior's lower bound to the first PLD)
    const plds = [0.5, 1, 1.5, 2];
    const sig = Float32Array.from(plds, (t) => gkmSignal(60, 0.3, t, base));
    const fit = fitKinetic(sig, plds, new Uint8Array([1]), base);
    expect(fit.cbf[0]!).toBeCloseTo(60, 2);
    // the middle of [0.2, 0.5] and the SD of the uniform distribution on it (0.0866 s), within 2 ms: without noise
    // the posterior drops from flat to 0 within microseconds past the first PLD, a cliff the trapezoid rule sees at
    // its grid step
    expect(Math.abs(fit.att[0]! - 0.35)).toBeLessThan(0.002);
    expect(Math.abs(fit.attSd[0]! - 0.3 / Math.sqrt(12))).toBeLessThan(0.002);
  });
  it('noisy voxels: no pile-up of ATT on the PLDs, SDs calibrated (95 % intervals cover the truth 95 % of the time)', () => {
    // 6000 voxels, CBF 60, ATT 1.07 s, 3 pairs per PLD, Gaussian noise of one pair σ = 0.003 (GM-like SNR ≈ 7 at the
    // peak), noise estimate from the repeats as the pipeline passes it
    const plds = [0.5, 1, 1.5, 2, 2.5],
      reps = 3,
      nv = 6000,
      sigma = 0.003;
    let seed = 12345;
    const uniform = (): number => {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      return (seed + 0.5) / 4294967296;
    };
    const normal = (): number => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
    const sig = new Float32Array(nv * plds.length),
      sumSquares = new Float32Array(nv);
    for (let v = 0; v < nv; v++)
      plds.forEach((t, i) => {
        const y = Array.from({ length: reps }, () => gkmSignal(60, 1.07, t, base) + sigma * normal());
        const m = y.reduce((a, b) => a + b) / reps;
        sig[v * plds.length + i] = m;
        for (const x of y) sumSquares[v]! += (x - m) ** 2;
      });
    const fit = fitKinetic(sig, plds, new Uint8Array(nv).fill(1), base, {
      noise: { sumSquares, dof: plds.length * (reps - 1), repeats: plds.map(() => reps) },
    });
    let near = 0,
      beside = 0,
      attIn = 0,
      cbfIn = 0;
    const within = (a: number, c: number): boolean => Math.abs(a - c) <= 0.005;
    for (let v = 0; v < nv; v++) {
      const a = fit.att[v]!;
      if (plds.some((t) => within(a, t))) near++;
      if (plds.some((t) => within(a, t - 0.025) || within(a, t + 0.025))) beside += 0.5;
      if (Math.abs(a - 1.07) <= 1.96 * fit.attSd[v]!) attIn++;
      if (Math.abs(fit.cbf[v]! - 60) <= 1.96 * fit.cbfSd[v]!) cbfIn++;
    }
    const r = { near: near / nv, beside: beside / nv, attCoverage: attIn / nv, cbfCoverage: cbfIn / nv };
    console.log(JSON.stringify(r));
    expect(r.near).toBeLessThan(1.5 * r.beside);
    expect(r.attCoverage).toBeGreaterThan(0.92);
    expect(r.attCoverage).toBeLessThan(0.98);
    expect(r.cbfCoverage).toBeGreaterThan(0.92);
    expect(r.cbfCoverage).toBeLessThan(0.98);
  });
  it('refuses noise descriptions that do not match the PLDs', () => {
    const m = new Uint8Array([1]);
    const sumSquares = new Float32Array(1);
    expect(() =>
      fitKinetic(new Float32Array(2), [1, 2], m, base, { noise: { sumSquares, dof: 2, repeats: [2] } }),
    ).toThrow(/1 repeat counts for 2 PLDs/);
    expect(() =>
      fitKinetic(new Float32Array(2), [1, 2], m, base, { noise: { sumSquares, dof: 1.5, repeats: [2, 2] } }),
    ).toThrow(/whole number/);
  });
});

describe('ordering and outliers', () => {
  it('parses aslcontext.tsv and refuses unknown types', () => {
    expect(parseAslContext('volume_type\nm0scan\ncontrol\nlabel\n')).toEqual(['m0scan', 'control', 'label']);
    expect(() => parseAslContext('volume_type\nfoo\n')).toThrow(/unknown volume type/);
    expect(() => pairFrames(['control', 'control', 'label'])).toThrow(/cannot be paired/);
  });
  it('rejects a spike pair but never more than half', () => {
    expect(rejectOutliers([1, 1.1, 0.9, 1.05, 0.95, 8])).toEqual([0, 1, 2, 3, 4]);
    expect(rejectOutliers([1, 1, 1, 1]).length).toBe(4);
  });
});

describe('rigid registration', () => {
  it('recovers a known 2.5 mm / 3° motion within 0.3 mm / 0.3°', () => {
    const g: Geometry = {
      dimensions: [40, 40, 20],
      spacing: [3, 3, 4],
      origin: [0, 0, 0],
      direction: [1, 0, 0, 0, 1, 0, 0, 0, 1],
    };
    const [nx, ny, nz] = g.dimensions;
    const img = new Float32Array(nx * ny * nz);
    for (let k = 0, v = 0; k < nz; k++)
      for (let j = 0; j < ny; j++)
        for (let i = 0; i < nx; i++, v++) {
          const x = (i - 19.5) * 3,
            y = (j - 19.5) * 3,
            z = (k - 9.5) * 4;
          const r = Math.sqrt((x / 50) ** 2 + (y / 45) ** 2 + (z / 30) ** 2);
          img[v] = r < 1 ? 100 + 40 * Math.sin(x / 9) * Math.cos(y / 11) + 20 * Math.sin(z / 7) : 0;
        }
    const th = (3 * Math.PI) / 180;
    const c = [58.5, 58.5, 38];
    const A = [Math.cos(th), -Math.sin(th), 0, Math.sin(th), Math.cos(th), 0, 0, 0, 1];
    const t = [2.5, -1.0, 0.5];
    const b = [0, 1, 2].map(
      (r) => c[r]! + t[r]! - (A[r * 3]! * c[0]! + A[r * 3 + 1]! * c[1]! + A[r * 3 + 2]! * c[2]!),
    );
    const moved = applyRigid(img, g, { A, b });
    // moved(x) = img(A x + b); registering moved to img must find the inverse
    const est = registerRigid(img, moved, g, { stride: 1, iterations: 30 }).transform;
    // T∘E must be the identity: worst corner displacement below 0.3 mm, and E rotates by −3° about z
    const TA = [0, 1, 2].flatMap((r) =>
      [0, 1, 2].map(
        (cc) => A[r * 3]! * est.A[cc]! + A[r * 3 + 1]! * est.A[3 + cc]! + A[r * 3 + 2]! * est.A[6 + cc]!,
      ),
    );
    const Tb = [0, 1, 2].map(
      (r) => A[r * 3]! * est.b[0]! + A[r * 3 + 1]! * est.b[1]! + A[r * 3 + 2]! * est.b[2]! + b[r]!,
    );
    expect(maxDisplacement({ A: TA, b: Tb }, g)).toBeLessThan(0.3);
    expect(Math.abs(motionParameters(est, g)[5]! + th)).toBeLessThan((0.3 * Math.PI) / 180);
  });
});

describe('Siemens CSA', () => {
  it('returns no elements for non-CSA bytes and parses ASCCONV lines', () => {
    expect(parseCsa(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17]))).toEqual([]);
    const m = parseAscconv(
      '### ASCCONV BEGIN ###\nsWipMemBlock.adFree[2]\t = \t1800000\ntSequenceFileName\t = \t""%CustomerSeq%\\ep2d_pcasl""\n### ASCCONV END ###',
    );
    expect(m.get('sWipMemBlock.adFree[2]')).toBe('1800000');
    expect(m.get('tSequenceFileName')).toBe('%CustomerSeq%\\ep2d_pcasl');
  });
});

describe('M0 TE correction', () => {
  it('applies e^((TE_ASL − TE_M0)/T2*) only with a user T2*', () => {
    const p = { ...base, teAsl: 0.014, teM0: 0.01 };
    expect(m0RecoveryFactor(p)).toBe(1);
    expect(m0RecoveryFactor({ ...p, tissueT2star: 0.05 })).toBeCloseTo(Math.exp(0.004 / 0.05), 12);
  });
});
