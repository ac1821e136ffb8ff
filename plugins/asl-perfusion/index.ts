/**
 * ASL perfusion plugin: pCASL/PASL → CBF (and ATT) with regional values, QC and a self-check. The run is a sequence
 * of named steps (see {@link runAsl}); every parameter is reported with its provenance.
 *
 * Public entry points: the default export (the plugin), {@link runAsl} (the same pipeline returning the internals
 * tests and the bench need), and the step modules (params, ordering, motion, quantify, tissue, qc, outliers, vendor).
 *
 * @packageDocumentation
 */
import {
  AnalysisError,
  definePlugin,
  type AnalysisContext,
  type AnalysisInput,
  type AnalysisResult,
  type InputSeries,
  type Labelmap,
  type Measurement,
  type ParameterProvenance,
  type ParametricMap,
  type Volume,
} from '@qiview/sdk';
import { buildFindings } from './findings';
import {
  applyRigid,
  framewiseDisplacement,
  IDENTITY,
  maxDisplacement,
  motionParameters,
  registerRigid,
  type RigidTransform,
} from './motion';
import { findOrdering, type AslOrdering } from './ordering';
import { rejectOutliers } from './outliers';
import { resolveParameters, type AslParameters } from './params';
import { assessQuality } from './qc';
import { roiStatistics, type RoiResult } from './roi';
import {
  ATT_RANGE,
  fitKinetic,
  gkmSignal,
  m0RecoveryFactor,
  quantifySinglePld,
  singlePldFactor,
} from './quantify';
import { brainMask, resampleToGrid, tissueFromIntensity, type TissueMaps } from './tissue';
import { philipsFpFactor } from './vendor/philips';
import { unpackMosaic } from './vendor/siemens-mosaic';

/** Displacement (mm) below which a volume is left un-resampled (avoids interpolation blur of still volumes). */
export const STILL_MM = 0.05;
/**
 * Largest residual of an M0 registration (RMS after intensity scaling, relative to the mean reference intensity) at
 * which the SSD registration is trusted. An M0 with a contrast unlike the ASL frames (acquired without background
 * suppression while they were suppressed) leaves a large residual that SSD reduces by moving the image, not by
 * aligning it: Philips 3D GRASE dcm_qa, unsuppressed dynamic 1: 4.7 % and a spurious 4.1 mm / 0.8° "motion", although
 * the unmoved M0 is already the best match by correlation; ASLDRO M0 (TR 10 s vs 5 s, no suppression): 1.4 %,
 * label/control frames 0.1-0.4 %.
 */
export const M0_CONTRAST_LIMIT = 0.03;
/** Partial-volume fraction above which a voxel counts as GM or WM in regional statistics. */
export const PURE_FRACTION = 0.7;
/** Reference perfusion of the self-check object (GM/WM), ml/100g/min (ASLDRO HRGT defaults). */
export const SELF_CHECK_CBF: readonly [number, number] = [60, 20];

/** Internals of a run, for tests and the bench. */
export interface AslRun {
  result: AnalysisResult;
  params: AslParameters;
  ordering: AslOrdering;
  cbf: Float32Array;
  att?: Float32Array;
  m0: Float32Array;
  meanDeltaM: Float32Array;
  tissue: TissueMaps;
  fd: number[];
  pairsKept: number[];
  /** User regions (optional `roi` input), on the ASL grid. */
  roi?: RoiResult;
}

const nvox = (v: Volume): number =>
  v.geometry.dimensions[0] * v.geometry.dimensions[1] * v.geometry.dimensions[2];

function frame(v: Volume, f: number, scale = 1): Float32Array {
  const n = nvox(v);
  const out = new Float32Array(n);
  const src = v.data;
  for (let i = 0; i < n; i++) out[i] = src[f * n + i]! * scale;
  return out;
}

function mean(arrays: Float32Array[]): Float32Array {
  const out = new Float32Array(arrays[0]!.length);
  for (const a of arrays) for (let i = 0; i < a.length; i++) out[i]! += a[i]!;
  for (let i = 0; i < out.length; i++) out[i]! /= arrays.length;
  return out;
}

function stats(values: number[]): { mean: number; median: number; sd: number; n: number } {
  const n = values.length;
  if (!n) return { mean: NaN, median: NaN, sd: NaN, n };
  const s = [...values].sort((a, b) => a - b);
  const m = values.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(values.reduce((a, b) => a + (b - m) ** 2, 0) / Math.max(1, n - 1));
  return { mean: m, median: n % 2 ? s[n >> 1]! : (s[(n >> 1) - 1]! + s[n >> 1]!) / 2, sd, n };
}

/** Step: refuse volumes of mismatched geometry (M0 vs ASL). */
export function checkGeometry(asl: Volume, m0: Volume | undefined): void {
  if (!m0) return;
  const a = asl.geometry,
    b = m0.geometry;
  const same = a.dimensions.every((d, i) => d === b.dimensions[i]);
  const offset = Math.hypot(...a.origin.map((o, i) => o - b.origin[i]!));
  const spacing = a.spacing.every((s, i) => Math.abs(s - b.spacing[i]!) < 0.01 * s);
  if (!same || !spacing || offset > Math.min(...a.spacing)) {
    throw new AnalysisError(
      'mismatched-geometry',
      `M0 grid (${b.dimensions.join('×')}, ${b.spacing.map((s) => s.toFixed(2)).join('×')} mm) does not match the ASL grid (${a.dimensions.join('×')}, ${a.spacing.map((s) => s.toFixed(2)).join('×')} mm${offset > 0 ? `, origins ${offset.toFixed(1)} mm apart` : ''}).`,
    );
  }
}

/** Step: vendor scaling factors for the ASL and M0 series; refuses scalings it does not know. */
export function vendorScaling(
  input: AnalysisInput,
  ordering: AslOrdering,
): { asl: number; m0: number; detail: string } {
  const asl = input.series.asl!;
  const m0 = input.series.m0;
  const man = String(asl.dicom?.Manufacturer ?? asl.volume.metadata.manufacturer ?? '').toLowerCase();
  const userScale = input.parameters?.m0Scale;
  if (
    /\bge\b|general electric/.test(man) &&
    ordering.deltaMFrames.length > 0 &&
    typeof userScale !== 'number'
  ) {
    throw new AnalysisError(
      'unknown-vendor-scaling',
      'GE ΔM series: the vendor scaling between ΔM and M0 (NEX, scale factors) is not known here; set "m0Scale".',
    );
  }
  if (man.includes('philips') && m0) {
    const fa = philipsFpFactor({ ...(asl.volume.metadata.tags ?? {}), ...asl.dicom });
    const fm = philipsFpFactor({ ...(m0.volume.metadata.tags ?? {}), ...m0.dicom });
    if (fa === undefined || fm === undefined) {
      if (typeof userScale === 'number') return { asl: 1, m0: 1, detail: 'Philips: user m0Scale' };
      throw new AnalysisError(
        'unknown-vendor-scaling',
        'Philips ASL and M0 are separate series but the private scale slope (2005,100E) is missing, so their scaling cannot be matched; set "m0Scale".',
      );
    }
    return { asl: fa, m0: fm, detail: 'Philips floating-point scaling 1/(RescaleSlope·MRScaleSlope)' };
  }
  return { asl: 1, m0: 1, detail: 'none' };
}

/**
 * Step: rigid motion correction of a set of frames to a reference; returns corrected frames, parameters and FD.
 * Frames listed in `contrastChecked` (M0 volumes inside the series) keep their position when their registration
 * residual exceeds {@link M0_CONTRAST_LIMIT}; they are listed in `untrusted` with that residual.
 */
export function correctMotion(
  frames: Float32Array[],
  reference: Float32Array,
  vol: Volume,
  contrastChecked: ReadonlySet<number> = new Set(),
): {
  corrected: Float32Array[];
  transforms: RigidTransform[];
  fd: number[];
  params: number[][];
  untrusted: Array<{ frame: number; relativeRms: number }>;
} {
  const untrusted: Array<{ frame: number; relativeRms: number }> = [];
  const transforms = frames.map((f, i) => {
    const r = registerRigid(reference, f, vol.geometry);
    if (contrastChecked.has(i) && !(r.relativeRms <= M0_CONTRAST_LIMIT)) {
      untrusted.push({ frame: i, relativeRms: r.relativeRms });
      return IDENTITY;
    }
    return r.transform;
  });
  const corrected = frames.map((f, i) =>
    maxDisplacement(transforms[i]!, vol.geometry) < STILL_MM
      ? f
      : applyRigid(f, vol.geometry, transforms[i]!),
  );
  const params = transforms.map((t) => motionParameters(t, vol.geometry));
  return { corrected, transforms, fd: framewiseDisplacement(params), params, untrusted };
}

/** Step: GM/WM estimates (T1w when given, else M0 fallback). */
export async function estimateTissue(
  t1: InputSeries | undefined,
  aslGridVolume: Volume,
  m0: Float32Array,
  brain: Uint8Array,
  context: AnalysisContext,
): Promise<TissueMaps> {
  if (t1) {
    let onGrid: Float32Array;
    let how = 'resampled to the ASL grid through patient coordinates';
    if (context.registration) {
      const fixed: Volume = { ...aslGridVolume, data: m0, frames: 1 };
      const r = await context.registration.register(fixed, t1.volume, { kind: 'rigid' });
      onGrid = Float32Array.from(r.resampled.data);
      how = 'registered to M0 (elastix rigid)';
    } else onGrid = resampleToGrid(t1.volume, aslGridVolume);
    const { pgm, pwm } = tissueFromIntensity(onGrid, brain, 't1w');
    return { brain, pgm, pwm, source: 't1w', detail: `T1w 3-class intensity clustering, ${how}` };
  }
  const { pgm, pwm } = tissueFromIntensity(m0, brain, 'm0');
  return {
    brain,
    pgm,
    pwm,
    source: 'm0-fallback',
    detail: 'FALLBACK: 3-class clustering of M0 intensity (no T1w)',
  };
}

/** Per-frame PLD (s) from the resolved parameters. */
function pldOfFrame(p: AslParameters, f: number): number {
  return p.pld.length > 1 ? (p.pld[f] ?? p.pld[0]!) : p.pld[0]!;
}

/**
 * Step: quantification from pairwise ΔM. Returns CBF (and ATT/uncertainty for multi-PLD) and a per-pair CBF
 * uncertainty map.
 */
export function quantify(
  deltaM: Float32Array[],
  pairPld: number[],
  m0: Float32Array,
  brain: Uint8Array,
  vol: Volume,
  p: AslParameters,
): {
  cbf: Float32Array;
  att?: Float32Array;
  attSd?: Float32Array;
  cbfSd: Float32Array;
  meanDeltaM: Float32Array;
  plds: number[];
} {
  const dims = vol.geometry.dimensions;
  const plds = [...new Set(pairPld.map((x) => Math.round(x * 1e6) / 1e6))].sort((a, b) => a - b);
  const meanDeltaM = mean(deltaM);
  if (plds.length === 1) {
    const cbf = quantifySinglePld(meanDeltaM, m0, brain, dims, p, plds[0]!);
    // uncertainty from noise across pairs: SD of pairwise ΔM / √n, through the same factor
    const n = deltaM.length;
    const sdDm = new Float32Array(meanDeltaM.length);
    if (n > 1) {
      for (const d of deltaM) for (let i = 0; i < d.length; i++) sdDm[i]! += (d[i]! - meanDeltaM[i]!) ** 2;
      for (let i = 0; i < sdDm.length; i++) sdDm[i] = Math.sqrt(sdDm[i]! / (n - 1) / n);
    }
    const cbfSd = quantifySinglePld(sdDm, m0, brain, dims, p, plds[0]!);
    return { cbf, cbfSd, meanDeltaM, plds };
  }
  const nv = meanDeltaM.length;
  const sig = new Float32Array(nv * plds.length);
  const rec = m0RecoveryFactor(p);
  // per-PLD means of ΔM/M0, and the repeat-to-repeat sum of squares around them (the fit's noise estimate)
  const sumSquares = new Float32Array(nv);
  const repeats: number[] = [];
  plds.forEach((t, i) => {
    const idx = pairPld.map((x, k) => (Math.abs(x - t) < 1e-6 ? k : -1)).filter((k) => k >= 0);
    repeats.push(idx.length);
    const m = mean(idx.map((k) => deltaM[k]!));
    for (let v = 0; v < nv; v++) {
      const m0c = (m0[v]! * p.m0Scale) / rec;
      if (!(m0c > 0)) continue;
      sig[v * plds.length + i] = m[v]! / m0c;
      if (idx.length > 1) for (const k of idx) sumSquares[v]! += ((deltaM[k]![v]! - m[v]!) / m0c) ** 2;
    }
  });
  const nxy = dims[0] * dims[1];
  const fit = fitKinetic(sig, plds, brain, p, {
    sliceOffset: (v) => p.sliceTiming[Math.floor(v / nxy)] ?? 0,
    noise: { sumSquares, dof: repeats.reduce((s, r) => s + r - 1, 0), repeats },
  });
  return { cbf: fit.cbf, att: fit.att, attSd: fit.attSd, cbfSd: fit.cbfSd, meanDeltaM, plds };
}

/**
 * Step: self-check. Simulates control/label pairs with the study's own parameters (PLDs, label duration, α, BS,
 * slice timing, M0 and its TR) on the study's grid and tissue maps (GM 60, WM 20 ml/100g/min, ATT 0 for single
 * PLD / 0.8-1.2 s for multi-PLD), quantifies them with the same steps and returns the GM bias in %.
 */
export function selfCheck(
  pairPld: number[],
  m0: Float32Array,
  tissue: TissueMaps,
  vol: Volume,
  p: AslParameters,
): number {
  const dims = vol.geometry.dimensions;
  const nxy = dims[0] * dims[1];
  const rec = m0RecoveryFactor(p);
  const truth = new Float32Array(m0.length);
  const att = new Float32Array(m0.length);
  for (let v = 0; v < m0.length; v++) {
    truth[v] = SELF_CHECK_CBF[0] * tissue.pgm[v]! + SELF_CHECK_CBF[1] * tissue.pwm[v]!;
    att[v] = 0.8 * tissue.pgm[v]! + 1.2 * tissue.pwm[v]!;
  }
  const multi = new Set(pairPld).size > 1;
  const dms = pairPld.map((t) => {
    const d = new Float32Array(m0.length);
    for (let v = 0; v < m0.length; v++) {
      if (!tissue.brain[v]) continue;
      const m0c = (m0[v]! * p.m0Scale) / rec;
      const tz = t + (p.sliceTiming[Math.floor(v / nxy)] ?? 0);
      // control = m0c·c, label = control − ΔM; subtraction gives ΔM exactly
      d[v] = multi ? gkmSignal(truth[v]!, att[v]!, tz, p) * m0c : (truth[v]! * m0c) / singlePldFactor(p, tz);
    }
    return d;
  });
  const q = quantify(dms, pairPld, m0, tissue.brain, vol, p);
  const got: number[] = [],
    want: number[] = [];
  for (let v = 0; v < m0.length; v++)
    if (tissue.brain[v] && tissue.pgm[v]! >= PURE_FRACTION) {
      got.push(q.cbf[v]!);
      want.push(truth[v]!);
    }
  const g = stats(got).mean,
    w = stats(want).mean;
  return w > 0 ? (100 * (g - w)) / w : NaN;
}

/** The whole pipeline, returning internals as well as the {@link AnalysisResult}. */
export async function runAsl(original: AnalysisInput, context: AnalysisContext): Promise<AslRun> {
  if (!original.series.asl) throw new AnalysisError('missing-input', 'No ASL series was given.');
  // 0. vendor pixel layout: Siemens mosaics become 3D volumes
  const input: AnalysisInput = {
    ...original,
    series: Object.fromEntries(
      Object.entries(original.series).map(([role, s]) => [role, s ? unpackMosaic(s) : s]),
    ),
  };
  const asl = input.series.asl!;
  const vol = asl.volume;
  const n = nvox(vol);
  const user = input.parameters ?? {};

  // 1. parameters with provenance
  context.progress(0.02, 'parameters');
  const { values: p, provenance } = resolveParameters(input);
  // 2. geometry and ordering
  checkGeometry(vol, input.series.m0?.volume);
  const ordering = findOrdering(asl, typeof user.labelOrder === 'string' ? user.labelOrder : 'auto');
  provenance.push({
    key: 'ordering',
    name: 'Label/control ordering',
    value: ordering.source,
    source: ordering.source.startsWith('user')
      ? 'user'
      : ordering.source.startsWith('derived')
        ? 'derived'
        : ordering.source.startsWith('sidecar')
          ? 'sidecar'
          : 'header',
    detail: ordering.types.join(','),
  });
  if (p.pld.length > 1 && p.pld.length !== vol.frames) {
    throw new AnalysisError(
      'bad-parameter',
      `PostLabelingDelay lists ${p.pld.length} values for ${vol.frames} volumes.`,
    );
  }
  const scaling = vendorScaling(input, ordering);
  if (ordering.source.startsWith('derived') && p.backgroundSuppression) {
    context.log(
      'warning',
      'Label/control order detected from the signal although background suppression was used; check it (parameter "labelOrder").',
    );
  }
  context.throwIfCancelled();

  // 3. frames, motion correction
  context.progress(0.1, 'motion correction');
  const all = Array.from({ length: vol.frames }, (_, f) => frame(vol, f, scaling.asl));
  const controls = ordering.pairs.map(([c]) => all[c]!);
  const reference = mean(controls.length ? controls : all);
  const doMotion = user.motionCorrection !== false;
  let fd = all.map(() => 0);
  let corrected = all;
  const m0Untrusted: string[] = [];
  // M0 registration: 'auto' applies it only when the residual says the contrasts match (M0_CONTRAST_LIMIT)
  const m0Reg =
    user.m0Registration === 'always' || user.m0Registration === 'never' ? user.m0Registration : 'auto';
  if (doMotion) {
    const mc = correctMotion(
      all,
      reference,
      vol,
      m0Reg === 'auto' ? new Set(ordering.m0Frames) : new Set<number>(),
    );
    if (m0Reg === 'never' && ordering.m0Frames.length) {
      for (const f of ordering.m0Frames) {
        mc.corrected[f] = all[f]!;
        mc.params[f] = [0, 0, 0, 0, 0, 0];
      }
      mc.fd = framewiseDisplacement(mc.params);
    }
    corrected = mc.corrected;
    fd = mc.fd;
    for (const u of mc.untrusted)
      m0Untrusted.push(`volume ${u.frame}: residual ${(100 * u.relativeRms).toFixed(1)} %`);
  }
  context.throwIfCancelled();

  // 4. M0
  context.progress(0.4, 'M0');
  let m0: Float32Array;
  let m0Source: string;
  let m0Fallback = false;
  if (input.series.m0) {
    const mv = input.series.m0.volume;
    const frames = Array.from({ length: mv.frames }, (_, f) => frame(mv, f, scaling.m0));
    m0 = mean(frames);
    if (doMotion && m0Reg !== 'never') {
      const r = registerRigid(reference, m0, vol.geometry);
      if (m0Reg === 'auto' && !(r.relativeRms <= M0_CONTRAST_LIMIT))
        m0Untrusted.push(`M0 series: residual ${(100 * r.relativeRms).toFixed(1)} %`);
      else if (maxDisplacement(r.transform, vol.geometry) >= STILL_MM)
        m0 = applyRigid(m0, vol.geometry, r.transform);
    }
    m0Source = 'separate M0 series';
  } else if (
    String(asl.sidecar?.M0Type ?? '').toLowerCase() === 'estimate' &&
    Number(asl.sidecar?.M0Estimate) > 0
  ) {
    m0 = new Float32Array(n).fill(Number(asl.sidecar!.M0Estimate));
    m0Source = 'single M0 estimate (BIDS M0Estimate)';
  } else if (ordering.m0Frames.length) {
    m0 = mean(ordering.m0Frames.map((f) => corrected[f]!));
    // BIDS per-volume TR: the M0 volumes' own TR, wherever they are in the series
    const trs = asl.sidecar?.RepetitionTimePreparation ?? asl.sidecar?.RepetitionTime;
    const row = provenance.find((r) => r.key === 'm0Tr');
    if (Array.isArray(trs) && trs.length === vol.frames && row && row.source !== 'user') {
      const tr = Number(trs[ordering.m0Frames[0]!]);
      if (tr > 0) {
        p.m0Tr = tr;
        Object.assign(row, {
          value: tr,
          source: 'sidecar',
          detail: `RepetitionTime of M0 volume ${ordering.m0Frames[0]}`,
        });
      }
    }
    m0Source = `M0 volumes in the ASL series (${ordering.m0Frames.join(', ')})`;
  } else {
    m0 = mean(ordering.pairs.map(([c]) => corrected[c]!));
    m0Fallback = true;
    m0Source = 'FALLBACK: mean control image (no M0)';
    if (p.backgroundSuppression) {
      throw new AnalysisError(
        'missing-m0',
        'No M0 and background suppression was used: the mean control cannot serve as M0. Provide an M0 series.',
      );
    }
  }
  provenance.push({
    key: 'm0Source',
    name: 'M0',
    value: m0Source,
    source: m0Fallback ? 'default' : 'derived',
  });
  if (m0Untrusted.length) {
    const text = `M0 not motion-corrected: its contrast differs from the ASL volumes (${m0Untrusted.join('; ')} after intensity scaling, limit ${100 * M0_CONTRAST_LIMIT} %), so an intensity registration would move it spuriously; it is used as acquired (parameter "m0Registration": always / never).`;
    context.log('warning', text);
    provenance.push({
      key: 'm0Registration',
      name: 'M0 registration',
      value: 'not applied',
      source: 'derived',
      detail: text,
    });
  } else if (m0Reg !== 'auto' && doMotion) {
    provenance.push({
      key: 'm0Registration',
      name: 'M0 registration',
      value: m0Reg === 'always' ? 'applied' : 'not applied',
      source: 'user',
      detail: 'parameter "m0Registration"',
    });
  }
  provenance.push({ key: 'vendorScaling', name: 'Vendor scaling', value: scaling.detail, source: 'derived' });

  // 5. brain mask and tissue
  context.progress(0.5, 'tissue');
  const brain = brainMask(m0, vol, context.kernels);
  const tissue = await estimateTissue(input.series.t1, frameVolume(vol, m0), m0, brain, context);
  provenance.push({ key: 'tissue', name: 'GM/WM estimate', value: tissue.detail, source: 'derived' });
  context.throwIfCancelled();

  // 6. pairs, outliers
  context.progress(0.6, 'pairs');
  const pairDm: Float32Array[] = ordering.pairs.map(([c, l]) => {
    const d = new Float32Array(n);
    const a = corrected[c]!,
      b = corrected[l]!;
    for (let i = 0; i < n; i++) d[i] = a[i]! - b[i]!;
    return d;
  });
  const pairPld = ordering.pairs.map(([c]) => pldOfFrame(p, c));
  for (const f of ordering.deltaMFrames) {
    pairDm.push(corrected[f]!);
    pairPld.push(pldOfFrame(p, f));
  }
  if (!pairDm.length)
    throw new AnalysisError(
      'unpaired-label-control',
      'The series has no control/label pairs and no ΔM volumes.',
    );
  let kept = pairDm.map((_, i) => i);
  const singlePld = new Set(pairPld).size === 1;
  if (user.outlierRejection !== false && singlePld && pairDm.length >= 4) {
    const gmMeans = pairDm.map((d) => {
      let s = 0,
        c = 0;
      for (let v = 0; v < n; v++)
        if (brain[v] && tissue.pgm[v]! >= PURE_FRACTION) {
          s += d[v]!;
          c++;
        }
      return c ? s / c : 0;
    });
    kept = rejectOutliers(gmMeans);
  }
  context.throwIfCancelled();

  // 7. quantification
  context.progress(0.7, 'quantification');
  const q = quantify(
    kept.map((i) => pairDm[i]!),
    kept.map((i) => pairPld[i]!),
    m0,
    brain,
    vol,
    p,
  );
  provenance.push({
    key: 'model',
    name: 'Model',
    value:
      q.plds.length > 1
        ? `multi-PLD general kinetic model (Buxton 1998), ${q.plds.length} PLDs; CBF and ATT as posterior means and SDs (ATT prior flat on ${ATT_RANGE[0]}-${ATT_RANGE[1]} s)`
        : p.labelingType === 'pasl'
          ? 'single-TI PASL (QUIPSS II, white paper)'
          : 'single-PLD pCASL (white paper, Alsop 2015)',
    source: 'derived',
  });

  // 8. regions, QC, self-check
  context.progress(0.85, 'QC');
  const gmV: number[] = [],
    wmV: number[] = [],
    brV: number[] = [],
    attGm: number[] = [];
  for (let v = 0; v < n; v++) {
    if (!brain[v]) continue;
    brV.push(q.cbf[v]!);
    if (tissue.pgm[v]! >= PURE_FRACTION) {
      gmV.push(q.cbf[v]!);
      if (q.att) attGm.push(q.att[v]!);
    } else if (tissue.pwm[v]! >= PURE_FRACTION) wmV.push(q.cbf[v]!);
  }
  const gm = stats(gmV),
    wm = stats(wmV),
    br = stats(brV);
  const fdMean = fd.length > 1 ? fd.slice(1).reduce((a, b) => a + b, 0) / (fd.length - 1) : 0;
  const bias = user.selfCheck === false ? undefined : selfCheck(pairPld, m0, tissue, vol, p);
  const qc = assessQuality({
    gmValues: gmV,
    gmMean: gm.mean,
    wmMean: wm.mean,
    fdMean,
    pairsRejected: pairDm.length - kept.length,
    pairsTotal: pairDm.length,
    m0Fallback,
    tissueFallback: tissue.source !== 't1w',
    selfCheckBiasPct: bias,
  });
  if (bias !== undefined) qc.metrics!.self_check_bias_pct = bias;
  qc.metrics!.fd_max_mm = Math.max(...fd);
  if (!gm.n || !wm.n) {
    throw new AnalysisError(
      'no-tissue',
      `No brain voxel was classed as pure grey or white matter (GM ${gm.n}, WM ${wm.n} voxels): GM/WM CBF cannot be reported.`,
    );
  }
  if (!Number.isFinite(gm.mean / wm.mean) || !Number.isFinite(qc.metrics!.spatial_cov!)) {
    // control and label equal (a 2-volume M0 series taken for ASL, copied volumes): no ratio, no spatial CoV
    throw new AnalysisError(
      'no-perfusion-signal',
      `Control and label volumes do not differ in the brain (mean GM CBF ${gm.mean}, WM ${wm.mean} ml/100g/min): ` +
        'the series is not a control/label ASL acquisition, or its label volumes are copies of the control ones.',
    );
  }

  // user regions (optional label-map input)
  let roi: RoiResult | undefined;
  if (input.series.roi) {
    roi = roiStatistics(input.series.roi, vol, q.cbf, brain, q.att);
    provenance.push({
      key: 'roi',
      name: 'User regions',
      value: roi.regions.map((r) => `${r.label} ${r.name}`).join('; '),
      source: 'user',
      detail: roi.detail,
    });
    for (const r of roi.regions.filter((x) => x.n === 0))
      context.log(
        'warning',
        `Region ${r.label} (${r.name}) lies outside the brain mask: no CBF reported for it.`,
      );
  }

  // 9. result
  const result = buildResult({
    asl,
    vol,
    p,
    q,
    tissue,
    gm,
    wm,
    br,
    attGm: stats(attGm),
    qc,
    provenance,
    fdMean,
    bias,
    kept: kept.length,
    total: pairDm.length,
    m0Fallback,
    locale: context.locale,
    roi,
  });
  context.progress(1, 'done');
  return {
    result,
    params: p,
    ordering,
    cbf: q.cbf,
    att: q.att,
    m0,
    meanDeltaM: q.meanDeltaM,
    tissue,
    fd,
    pairsKept: kept,
    roi,
  };
}

function frameVolume(vol: Volume, data: Float32Array, unit = vol.unit): Volume & { data: Float32Array } {
  return { ...vol, data, frames: 1, unit, metadata: { ...vol.metadata, frameInfo: undefined }, warnings: [] };
}

const MEAN = { value: '373098007', scheme: 'SCT', meaning: 'Mean' };
const MEDIAN = { value: '260528009', scheme: 'SCT', meaning: 'Median' };
const CBF_CONCEPT = { value: 'CBF', scheme: '99QIVIEW', meaning: 'Cerebral blood flow' };
const ATT_CONCEPT = { value: 'ATT', scheme: '99QIVIEW', meaning: 'Arterial transit time' };

interface ResultParts {
  asl: InputSeries;
  vol: Volume;
  p: AslParameters;
  q: ReturnType<typeof quantify>;
  tissue: TissueMaps;
  gm: ReturnType<typeof stats>;
  wm: ReturnType<typeof stats>;
  br: ReturnType<typeof stats>;
  attGm: ReturnType<typeof stats>;
  qc: ReturnType<typeof assessQuality>;
  provenance: ParameterProvenance[];
  fdMean: number;
  bias: number | undefined;
  kept: number;
  total: number;
  m0Fallback: boolean;
  locale: string;
  roi?: RoiResult;
}

/** Step: assembles maps, labelmaps, measurements, QC, plots and findings. */
function buildResult(r: ResultParts): AnalysisResult {
  const { vol, q, tissue } = r;
  const uid = vol.metadata.seriesInstanceUid;
  const maps: ParametricMap[] = [
    {
      id: 'cbf',
      name: 'CBF',
      volume: frameVolume(vol, q.cbf, 'ml/100g/min'),
      quantity: CBF_CONCEPT,
      display: { colormap: 'hot', range: [0, 100] },
      referencedSeriesUid: uid,
    },
    {
      id: 'cbf-sd',
      name: 'CBF uncertainty (SD)',
      volume: frameVolume(vol, q.cbfSd, 'ml/100g/min'),
      display: { colormap: 'viridis', range: [0, 20] },
      referencedSeriesUid: uid,
    },
  ];
  if (q.att) {
    maps.push({
      id: 'att',
      name: 'ATT',
      volume: frameVolume(vol, q.att, 's'),
      quantity: ATT_CONCEPT,
      display: { colormap: 'jet', range: [0.3, 2.5] },
      referencedSeriesUid: uid,
    });
    if (q.attSd)
      maps.push({
        id: 'att-sd',
        name: 'ATT uncertainty (SD)',
        volume: frameVolume(vol, q.attSd, 's'),
        display: { colormap: 'viridis', range: [0, 0.5] },
        referencedSeriesUid: uid,
      });
  }
  const labels = new Uint8Array(tissue.brain.length);
  for (let v = 0; v < labels.length; v++) {
    if (!tissue.brain[v]) continue;
    labels[v] = tissue.pgm[v]! >= PURE_FRACTION ? 1 : tissue.pwm[v]! >= PURE_FRACTION ? 2 : 3;
  }
  const fb = tissue.source === 't1w' ? '' : ' (fallback)';
  const labelmaps: Labelmap[] = [
    {
      id: 'tissue',
      name: `Tissue${fb}`,
      geometry: vol.geometry,
      data: labels,
      referencedSeriesUid: uid,
      segments: [
        {
          label: 1,
          name: `Grey matter${fb}`,
          color: [200, 120, 120],
          algorithm: { type: 'AUTOMATIC', name: tissue.detail },
        },
        {
          label: 2,
          name: `White matter${fb}`,
          color: [230, 230, 230],
          algorithm: { type: 'AUTOMATIC', name: tissue.detail },
        },
        {
          label: 3,
          name: 'Other brain',
          color: [100, 100, 200],
          algorithm: { type: 'AUTOMATIC', name: 'M0 threshold' },
        },
      ],
    },
  ];
  if (r.roi) {
    labelmaps.push({
      id: 'roi',
      name: 'User regions',
      geometry: vol.geometry,
      data: r.roi.labels,
      referencedSeriesUid: uid,
      segments: r.roi.regions.map((x, i) => ({
        label: x.label,
        name: x.name,
        color: [
          [230, 25, 75],
          [60, 180, 75],
          [255, 225, 25],
          [0, 130, 200],
          [245, 130, 48],
          [145, 30, 180],
        ][i % 6] as [number, number, number],
        algorithm: { type: 'MANUAL' as const, name: 'user label map' },
      })),
    });
  }
  const reg = (label: number, name: string) => ({ labelmapId: 'tissue', label, name });
  const m = (
    key: string,
    name: string,
    value: number,
    unit: string,
    extra: Partial<Measurement> = {},
  ): Measurement => ({ key, name, value, unit, ...extra });
  const measurements: Measurement[] = [
    m('cbf_gm_mean', 'Mean GM CBF', r.gm.mean, 'ml/100g/min', {
      concept: CBF_CONCEPT,
      derivation: MEAN,
      region: reg(1, 'Grey matter'),
      uncertainty: r.gm.sd,
    }),
    m('cbf_gm_median', 'Median GM CBF', r.gm.median, 'ml/100g/min', {
      concept: CBF_CONCEPT,
      derivation: MEDIAN,
      region: reg(1, 'Grey matter'),
    }),
    m('cbf_wm_mean', 'Mean WM CBF', r.wm.mean, 'ml/100g/min', {
      concept: CBF_CONCEPT,
      derivation: MEAN,
      region: reg(2, 'White matter'),
      uncertainty: r.wm.sd,
    }),
    m('cbf_wm_median', 'Median WM CBF', r.wm.median, 'ml/100g/min', {
      concept: CBF_CONCEPT,
      derivation: MEDIAN,
      region: reg(2, 'White matter'),
    }),
    m('cbf_brain_mean', 'Mean whole-brain CBF', r.br.mean, 'ml/100g/min', {
      concept: CBF_CONCEPT,
      derivation: MEAN,
    }),
    m('cbf_brain_median', 'Median whole-brain CBF', r.br.median, 'ml/100g/min', {
      concept: CBF_CONCEPT,
      derivation: MEDIAN,
    }),
    m('cbf_gm_wm_ratio', 'GM/WM CBF ratio', r.gm.mean / r.wm.mean, '1'),
    m('spatial_cov_gm', 'Spatial CoV (GM)', r.qc.metrics!.spatial_cov!, '1'),
    m('fd_mean', 'Mean framewise displacement', r.fdMean, 'mm'),
    m('pairs_used', 'Label/control pairs used', r.kept, '1'),
  ];
  if (q.att)
    measurements.push(
      m('att_gm_mean', 'Mean GM ATT', r.attGm.mean, 's', {
        concept: ATT_CONCEPT,
        derivation: MEAN,
        region: reg(1, 'Grey matter'),
      }),
    );
  for (const x of r.roi?.regions ?? []) {
    if (x.n === 0) continue;
    const region = { labelmapId: 'roi', label: x.label, name: x.name };
    measurements.push(
      m(`cbf_roi${x.label}_mean`, `Mean CBF, ${x.name}`, x.mean, 'ml/100g/min', {
        concept: CBF_CONCEPT,
        derivation: MEAN,
        region,
        ...(Number.isFinite(x.sd) ? { uncertainty: x.sd } : {}),
      }),
      m(`cbf_roi${x.label}_median`, `Median CBF, ${x.name}`, x.median, 'ml/100g/min', {
        concept: CBF_CONCEPT,
        derivation: MEDIAN,
        region,
      }),
      m(`roi${x.label}_voxels`, `Voxels in brain, ${x.name}`, x.n, '1', { region }),
    );
    if (x.attMean !== undefined)
      measurements.push(
        m(`att_roi${x.label}_mean`, `Mean ATT, ${x.name}`, x.attMean, 's', {
          concept: ATT_CONCEPT,
          derivation: MEAN,
          region,
        }),
      );
  }
  if (r.bias !== undefined) measurements.push(m('self_check_bias', 'Self-check bias (GM)', r.bias, '%'));
  // histogram of GM CBF
  const x: number[] = [],
    y: number[] = [];
  for (let b = -20; b < 150; b += 5) {
    x.push(b + 2.5);
    y.push(0);
  }
  let gmVals = 0;
  for (let v = 0; v < labels.length; v++)
    if (labels[v] === 1) {
      const bi = Math.floor((q.cbf[v]! + 20) / 5);
      if (bi >= 0 && bi < y.length) y[bi]!++;
      gmVals++;
    }
  const findings = buildFindings(
    {
      gmMean: r.gm.mean,
      wmMean: r.wm.mean,
      brainMean: r.br.mean,
      ratio: r.gm.mean / r.wm.mean,
      attGm: q.att ? r.attGm.mean : undefined,
      qc: r.qc,
      tissueFallback: tissue.source !== 't1w',
      m0Fallback: r.m0Fallback,
      pairsUsed: r.kept,
      pairsTotal: r.total,
      selfCheckBiasPct: r.bias,
    },
    r.locale,
  );
  const mid = Math.floor(vol.geometry.dimensions[2] / 2);
  return {
    labelmaps,
    maps,
    measurements,
    findings,
    qc: r.qc,
    parameters: r.provenance,
    plots: [
      {
        id: 'cbf-histogram',
        title: `GM CBF histogram (${gmVals} voxels)`,
        kind: 'histogram',
        xLabel: 'CBF (ml/100g/min)',
        yLabel: 'voxels',
        x,
        series: [{ name: 'GM', y }],
      },
    ],
    keyImages: [{ source: 'cbf', slice: mid, axis: 'axial', caption: 'CBF, mid slice' }],
  };
}

export default definePlugin({
  async run(input: AnalysisInput, context: AnalysisContext): Promise<AnalysisResult> {
    return (await runAsl(input, context)).result;
  },
});
