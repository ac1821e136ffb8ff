/**
 * Agreement between the pCASL plugin's control − label mean and a Philips scanner's own perfusion series, for any
 * pair of Philips classic-DICOM folders (raw SOURCE series with label/control in private tag (2005,1429), and the
 * scanner-computed difference series). Both are read the way the workstation and `qiview batch` read them
 * (scanPaths → groupInstances → loadSeriesVolume); the plugin runs with motion correction and outlier rejection off,
 * because the scanner's image has neither.
 *
 * Besides Pearson r (our ΔM clipped at 0 like the scanner's image, inside the plugin's brain mask) it reports the
 * ceiling that ANY voxelwise function of our ΔM can reach when the raw frames are stored as integers: the correlation
 * ratio η of the scanner's values given the integer control − label sum behind each voxel. When the per-pair
 * perfusion difference is about one stored unit, that rounding, not the pipeline, limits r.
 *
 * Used by tests/validation/asl-philips.test.ts and by `npx tsx tools/philips-asl-agreement.ts <raw> <perfusion>`.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { AnalysisInput, Volume } from '@qiview/sdk';
import { groupInstances } from '../../core/common/dicom/group-instances';
import { readAttributes } from '../../core/common/dicom/read-attributes';
import { loadSeriesVolume } from '../../core/node/import/load-series-volume';
import { scanPaths } from '../../core/node/import/scan-paths';
import { runAsl } from '../../plugins/asl-perfusion';
import { createTestContext } from './node-context';

/** Loads the one series in `dir` with the host's loader. */
export async function loadOneSeries(dir: string): Promise<Volume> {
  const { parsed } = await scanPaths([dir]);
  const g = groupInstances(parsed);
  if (g.series.length !== 1) throw new Error(`${dir}: expected one series, found ${g.series.length}`);
  return loadSeriesVolume(g.instances[g.series[0]!.seriesInstanceUid]!);
}

/** Pearson r over the voxels where `mask(i)`. */
export function pearson(a: ArrayLike<number>, b: ArrayLike<number>, mask: (i: number) => boolean): number {
  let n = 0,
    sa = 0,
    sb = 0,
    saa = 0,
    sbb = 0,
    sab = 0;
  for (let i = 0; i < a.length; i++) {
    if (!mask(i)) continue;
    const x = a[i]!,
      y = b[i]!;
    n++;
    sa += x;
    sb += y;
    saa += x * x;
    sbb += y * y;
    sab += x * y;
  }
  const cov = sab - (sa * sb) / n;
  return cov / Math.sqrt((saa - (sa * sa) / n) * (sbb - (sb * sb) / n));
}

/** Correlation ratio η of y given the discrete key: the best r any function of the key can reach. */
export function correlationRatio(
  key: Int32Array,
  y: ArrayLike<number>,
  mask: (i: number) => boolean,
): number {
  const groups = new Map<number, { n: number; s: number }>();
  let n = 0,
    s = 0,
    ss = 0;
  for (let i = 0; i < key.length; i++) {
    if (!mask(i)) continue;
    const g = groups.get(key[i]!) ?? { n: 0, s: 0 };
    g.n++;
    g.s += y[i]!;
    groups.set(key[i]!, g);
    n++;
    s += y[i]!;
    ss += y[i]! ** 2;
  }
  const mean = s / n;
  let between = 0;
  for (const g of groups.values()) between += g.n * (g.s / g.n - mean) ** 2;
  return Math.sqrt(between / (ss - n * mean * mean));
}

/** Figures of {@link philipsPerfusionAgreement}. */
export interface PerfusionAgreement {
  /** r of our ΔM clipped at 0 against the scanner's image, brain mask. */
  rClipped: number;
  /** r of our unclipped ΔM, brain mask. */
  rBrain: number;
  /** r over brain voxels the scanner did not clip (its value > 0). */
  rPositive: number;
  /** Ceiling for any voxelwise function of our ΔM (integer-sum correlation ratio), brain mask. */
  eta: number;
  /** The same ceiling over brain voxels with scanner value > 0. */
  etaPositive: number;
  /** One stored unit of the raw frames in the loader's units (RescaleSlope), found from the data. */
  step: number;
  /** Largest distance of ΔM·pairs/step from an integer (0 when the raw frames are integers times step). */
  offGrid: number;
  pairs: number;
  /** Scanner value per unit of our ΔM, least squares through 0 over unclipped brain voxels. */
  scale: number;
  brainVoxels: number;
  /** Median over brain voxels of the per-voxel SD across control frames, in stored units. */
  controlNoiseUnits: number;
}

/**
 * Runs the plugin on the raw series and compares its mean ΔM with the scanner's perfusion series.
 * `parameters` are the plugin's user parameters (a PLD and label duration are needed: Philips keeps neither).
 */
export async function philipsPerfusionAgreement(
  rawDir: string,
  perfusionDir: string,
  parameters: Record<string, unknown>,
): Promise<{ agreement: PerfusionAgreement; run: Awaited<ReturnType<typeof runAsl>>; volume: Volume }> {
  const volume = await loadOneSeries(rawDir);
  const perf = await loadOneSeries(perfusionDir);
  const [nx, ny, nz] = volume.geometry.dimensions;
  if (perf.geometry.dimensions.join() !== volume.geometry.dimensions.join())
    throw new Error('the perfusion series is not on the raw series grid');
  const first = readdirSync(rawDir).sort()[0]!;
  const input: AnalysisInput = {
    series: {
      asl: {
        role: 'asl',
        volume,
        dicom: readAttributes(new Uint8Array(readFileSync(path.join(rawDir, first)))) as Record<
          string,
          unknown
        >,
      },
    },
    parameters: { motionCorrection: false, outlierRejection: false, selfCheck: false, ...parameters },
  };
  const run = await runAsl(input, await createTestContext());
  const p = perf.data;
  const dm = run.meanDeltaM;
  const brain = (i: number): boolean => run.tissue.brain[i] === 1;
  const nv = nx * ny * nz;
  // one stored unit: the smallest gap between distinct values of a control frame
  const c0 = run.ordering.pairs[0]![0];
  const f1 = Float64Array.from(volume.data.subarray(nv * c0, nv * (c0 + 1))).sort();
  let step = Infinity;
  for (let i = 1; i < f1.length; i++)
    if (f1[i]! - f1[i - 1]! > 1e-6) step = Math.min(step, f1[i]! - f1[i - 1]!);
  const pairs = run.pairsKept.length;
  const key = Int32Array.from(dm, (x) => Math.round((x * pairs) / step));
  let offGrid = 0;
  dm.forEach((x, i) => (offGrid = Math.max(offGrid, Math.abs((x * pairs) / step - key[i]!))));
  let sxy = 0,
    sxx = 0;
  for (let i = 0; i < p.length; i++)
    if (brain(i) && p[i]! > 0) {
      sxy += dm[i]! * p[i]!;
      sxx += dm[i]! ** 2;
    }
  const controls = run.ordering.pairs.map(([c]) => c);
  const sds: number[] = [];
  for (let i = 0; i < nv; i++) {
    if (!brain(i)) continue;
    let s = 0,
      ss = 0;
    for (const c of controls) {
      const x = volume.data[c * nv + i]! / step;
      s += x;
      ss += x * x;
    }
    const m = s / controls.length;
    sds.push(Math.sqrt(Math.max(0, ss / controls.length - m * m)));
  }
  sds.sort((a, b) => a - b);
  const agreement: PerfusionAgreement = {
    rClipped: pearson(
      Float32Array.from(dm, (x) => Math.max(0, x)),
      p,
      brain,
    ),
    rBrain: pearson(dm, p, brain),
    rPositive: pearson(dm, p, (i) => brain(i) && p[i]! > 0),
    eta: correlationRatio(key, p, brain),
    etaPositive: correlationRatio(key, p, (i) => brain(i) && p[i]! > 0),
    step,
    offGrid,
    pairs,
    scale: sxy / sxx,
    brainVoxels: run.tissue.brain.reduce((a, b) => a + b, 0),
    controlNoiseUnits: sds[sds.length >> 1] ?? NaN,
  };
  return { agreement, run, volume };
}
