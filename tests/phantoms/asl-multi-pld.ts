/**
 * A generated multi-PLD pCASL phantom: a head-like ellipsoid with a grey-matter shell, white-matter core and CSF
 * ventricles, separate M0, control/label pairs at several PLDs simulated with the Buxton general kinetic model
 * (Buxton et al., MRM 1998;40:383; single blood T1, written here independently of the plugin), Gaussian noise, and an
 * optional rigid shift of chosen volumes. Known truth: CBF/ATT per tissue.
 */
import type { AnalysisInput, Direction, Vec3, Volume } from '@qiview/sdk';

/** Phantom options. */
export interface MultiPldOptions {
  dims?: Vec3;
  spacing?: Vec3;
  plds?: number[];
  repeats?: number;
  labelDuration?: number;
  gm?: { cbf: number; att: number };
  wm?: { cbf: number; att: number };
  /** Noise SD on every control/label image (M0 units; GM M0 is 850). */
  noiseSd?: number;
  seed?: number;
  alpha?: number;
  t1b?: number;
  /** Frames shifted by [dx, dy, dz] mm (simulated motion). */
  shift?: { frames: number[]; mm: Vec3 };
  /** Adds a T1-weighted series (WM 900 > GM 600 > CSF 200) on a grid twice as fine in-plane. */
  withT1w?: boolean;
  /** Slices of the T1-weighted series per ASL slice (thinner slices, same extent; default 1). */
  t1SliceFactor?: number;
}

/** Deterministic normal random numbers (mulberry32 + Box-Muller). */
export function gaussianRng(seed: number): () => number {
  let a = seed >>> 0;
  const u = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(u() + 1e-12)) * Math.cos(2 * Math.PI * u());
}

/** Buxton pCASL ΔM/M0 (CBF ml/100g/min, times s). */
export function buxtonPcasl(
  cbf: number,
  att: number,
  pld: number,
  tau: number,
  alpha: number,
  t1b: number,
): number {
  const f = cbf / 6000;
  const lambda = 0.9;
  if (pld + tau <= att) return 0;
  const k = ((2 * alpha * f * t1b) / lambda) * Math.exp(-att / t1b);
  if (pld < att) return k * (1 - Math.exp(-(tau + pld - att) / t1b));
  return k * Math.exp(-(pld - att) / t1b) * (1 - Math.exp(-tau / t1b));
}

/** The phantom: plugin input, tissue truth (1 GM, 2 WM, 3 CSF, 0 outside). */
export interface MultiPldPhantom {
  input: AnalysisInput;
  truth: Uint8Array;
  options: Required<Omit<MultiPldOptions, 'shift'>> & Pick<MultiPldOptions, 'shift'>;
}

/** Builds the phantom. */
export function makeMultiPldPhantom(opts: MultiPldOptions = {}): MultiPldPhantom {
  const o = {
    dims: opts.dims ?? ([48, 48, 16] as Vec3),
    spacing: opts.spacing ?? ([3.5, 3.5, 5] as Vec3),
    plds: opts.plds ?? [0.5, 1.0, 1.5, 2.0, 2.5],
    repeats: opts.repeats ?? 3,
    labelDuration: opts.labelDuration ?? 1.8,
    gm: opts.gm ?? { cbf: 60, att: 1.0 },
    wm: opts.wm ?? { cbf: 20, att: 1.5 },
    noiseSd: opts.noiseSd ?? 1.5,
    seed: opts.seed ?? 7,
    alpha: opts.alpha ?? 0.85,
    t1b: opts.t1b ?? 1.65,
    shift: opts.shift,
    withT1w: opts.withT1w ?? false,
    t1SliceFactor: opts.t1SliceFactor ?? 1,
  };
  const [nx, ny, nz] = o.dims;
  const n = nx * ny * nz;
  const truth = new Uint8Array(n);
  const m0 = new Float32Array(n);
  const c = [(nx - 1) / 2, (ny - 1) / 2, (nz - 1) / 2];
  const R = [0.42 * nx * o.spacing[0], 0.45 * ny * o.spacing[1], 0.45 * nz * o.spacing[2]];
  const tissueAt = (x: number, y: number, z: number): number => {
    const dx = ((x - c[0]!) * o.spacing[0]) / R[0]!,
      dy = ((y - c[1]!) * o.spacing[1]) / R[1]!,
      dz = ((z - c[2]!) * o.spacing[2]) / R[2]!;
    const r = Math.sqrt(dx * dx + dy * dy + dz * dz);
    if (r > 1) return 0;
    if (r > 0.72) return 1;
    const vx = dx / 0.25,
      vy = dy / 0.12,
      vz = dz / 0.4;
    if (vx * vx + vy * vy + vz * vz < 1) return 3;
    return 2;
  };
  const M0_BY = [0, 850, 700, 1000];
  for (let k = 0, v = 0; k < nz; k++)
    for (let j = 0; j < ny; j++)
      for (let i = 0; i < nx; i++, v++) {
        truth[v] = tissueAt(i, j, k);
        m0[v] = M0_BY[truth[v]!]!;
      }
  const rng = gaussianRng(o.seed);
  const pldPerVolume: number[] = [];
  const types: string[] = [];
  const frames: Float32Array[] = [];
  for (const pld of o.plds)
    for (let r = 0; r < o.repeats; r++)
      for (const kind of ['control', 'label']) {
        const f = frames.length;
        const shift = o.shift && o.shift.frames.includes(f) ? o.shift.mm : undefined;
        const img = new Float32Array(n);
        for (let k = 0, v = 0; k < nz; k++)
          for (let j = 0; j < ny; j++)
            for (let i = 0; i < nx; i++, v++) {
              const t = shift
                ? tissueAt(
                    i + shift[0] / o.spacing[0],
                    j + shift[1] / o.spacing[1],
                    k + shift[2] / o.spacing[2],
                  )
                : truth[v]!;
              const base = M0_BY[t]! * 0.95;
              const tis = t === 1 ? o.gm : t === 2 ? o.wm : undefined;
              const dm = tis
                ? buxtonPcasl(tis.cbf, tis.att, pld, o.labelDuration, o.alpha, o.t1b) * M0_BY[t]!
                : 0;
              img[v] = (kind === 'label' ? base - dm : base) + o.noiseSd * rng();
            }
        frames.push(img);
        pldPerVolume.push(pld);
        types.push(kind);
      }
  const data = new Float32Array(n * frames.length);
  frames.forEach((f, i) => data.set(f, i * n));
  const geometry = {
    dimensions: o.dims,
    spacing: o.spacing,
    origin: [-100, -120, -40] as Vec3,
    direction: [1, 0, 0, 0, 1, 0, 0, 0, 1] as Direction,
  };
  const asl: Volume = {
    geometry,
    data,
    frames: frames.length,
    unit: 'arbitrary',
    metadata: {
      modality: 'MR',
      seriesDescription: 'pcasl multi-PLD phantom',
      seriesInstanceUid: '2.25.1001',
    },
    warnings: [],
  };
  const m0Noisy = Float32Array.from(m0, (x) => x + o.noiseSd * rng());
  const m0Vol: Volume = {
    geometry,
    data: m0Noisy,
    frames: 1,
    unit: 'arbitrary',
    metadata: { modality: 'MR', seriesDescription: 'm0scan' },
    warnings: [],
  };
  let t1: Volume | undefined;
  if (o.withT1w) {
    const zf = o.t1SliceFactor;
    const fd: Vec3 = [nx * 2, ny * 2, nz * zf];
    const fs: Vec3 = [o.spacing[0] / 2, o.spacing[1] / 2, o.spacing[2] / zf];
    const t1data = new Float32Array(fd[0] * fd[1] * fd[2]);
    const T1W = [0, 600, 900, 200];
    for (let k = 0, v = 0; k < fd[2]; k++)
      for (let j = 0; j < fd[1]; j++)
        for (let i = 0; i < fd[0]; i++, v++)
          t1data[v] =
            T1W[tissueAt((i - 0.5) / 2, (j - 0.5) / 2, (k - (zf - 1) / 2) / zf)]! + o.noiseSd * 5 * rng();
    t1 = {
      geometry: {
        dimensions: fd,
        spacing: fs,
        origin: [
          geometry.origin[0] - fs[0] / 2,
          geometry.origin[1] - fs[1] / 2,
          geometry.origin[2] - ((zf - 1) / 2) * fs[2],
        ],
        direction: geometry.direction,
      },
      data: t1data,
      frames: 1,
      unit: 'arbitrary',
      metadata: { modality: 'MR', seriesDescription: 't1_mprage' },
      warnings: [],
    };
  }
  return {
    truth,
    options: o,
    input: {
      series: {
        asl: {
          role: 'asl',
          volume: asl,
          dicom: {},
          sidecar: {
            ArterialSpinLabelingType: 'PCASL',
            PostLabelingDelay: pldPerVolume,
            LabelingDuration: o.labelDuration,
            LabelingEfficiency: o.alpha,
            M0Type: 'Separate',
            MRAcquisitionType: '3D',
            MagneticFieldStrength: 3,
            BackgroundSuppression: false,
          },
          attachments: { 'sub-01_aslcontext.tsv': ['volume_type', ...types].join('\n') + '\n' },
        },
        m0: { role: 'm0', volume: m0Vol, dicom: {}, sidecar: { RepetitionTimePreparation: 0 } },
        t1: t1 ? { role: 't1', volume: t1, dicom: {} } : undefined,
      },
      parameters: {},
    },
  };
}
