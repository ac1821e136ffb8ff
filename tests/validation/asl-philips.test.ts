/**
 * Philips 3D GRASE pCASL (dcm_qa_philips_asl, classic DICOM) through the host's loader and the plugin: series 402
 * (8 control + 8 label dynamics, label type only in private tag (2005,1429)) is read the way the workstation and
 * `qiview batch` read it (scanPaths → groupInstances → loadSeriesVolume), the plugin's label/control assignment is
 * checked frame by frame against the private tags, and its control − label mean is correlated voxelwise with the
 * scanner's own perfusion series 401.
 *
 * ACCEPTANCE r ≥ 0.99 CANNOT BE MET WITH THIS DATA — measured, not guessed (numbers from this test, brain mask of
 * the plugin, 21,706 voxels; the same figures come out of an independent numpy analysis of the raw pixel data):
 * - What 401 is: a least-squares fit of 401 on the eight per-dynamic differences gives weights 0.02 for dynamic 1
 *   and 7.8–13.2 for dynamics 2–8: the scanner averages dynamics 2–8 and leaves out dynamic 1 (acquired without
 *   background suppression, ~2.5× brighter; the plugin uses it as M0). 401 is that mean times a constant (stored
 *   401 ≈ 84 × stored ΔM of 402), clipped at 0 (60 % of all voxels are exactly 0). Same grid, orientation and slice
 *   order (shifts of ±1 voxel or flips drop r to < 0.7); no normalisation by M0 or by the control image (those give
 *   r < 0.42); RescaleSlope 1.2579 and (2005,100E) 1.196e-5 are identical on every 402 image, so per-image scaling
 *   plays no part; separate weights for all 16 images raise r by < 0.01.
 * - Why r stops at ~0.96: the stored 402 images are integers with brain values ~525–621, while the perfusion
 *   difference is 0–1 stored unit per pair (mean ΔM in brain ≈ 0.1–0.9 units). The scanner computed 401 from its
 *   floating-point data before that rounding; we only have the rounded integers. Voxels whose integer control − label
 *   sums are identical have scanner values spread widely (sum 0: 401 from 0 to 8 (10th–90th percentile); sum 4:
 *   25–70). The best correlation that ANY voxelwise function of our ΔM can reach (any scale, offset, clipping or
 *   non-linearity) is the correlation ratio η of 401 given that integer sum: η = 0.964 in the brain mask. The plugin
 *   reaches r = 0.963 (ΔM clipped at 0 like the scanner's image), i.e. the ceiling. Unclipped ΔM gives 0.83 (the
 *   scanner discarded the negative half of the noise); brain voxels with 401 > 0 only: r = 0.926 vs η = 0.932.
 *   Scale: 401 (display value) ≈ 6.55 × our ΔM (RescaleSlope-scaled display units) there.
 *   Spatial smoothing (which η does not cover) lowers r.
 * The test asserts the assignment, that the plugin is within 0.005 of η, and that η itself is below 0.99 (if
 * better-resolved source data ever replace these files, the last assertion will say so).
 * PLD 2.0 s comes from the exam card (user value); the label duration is not in the data (user value 1.8 s).
 * Skips when ../shared/data is absent.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { AnalysisInput, Volume } from '@qiview/sdk';
import { describe, expect, it } from 'vitest';
import { groupInstances } from '../../core/common/dicom/group-instances';
import { readAttributes } from '../../core/common/dicom/read-attributes';
import { loadSeriesVolume } from '../../core/node/import/load-series-volume';
import { scanPaths } from '../../core/node/import/scan-paths';
import { runAsl } from '../../plugins/asl-perfusion';
import { createTestContext } from '../support/node-context';

const DIR = path.resolve(__dirname, '../../../shared/data/asl-philips-pcasl3d-dcmqa/dicom');
const RAW = path.join(DIR, '402_SOURCE_-_3D_pCASL_6mm');
const PERF = path.join(DIR, '401_3D_pCASL_6mm');

async function load(dir: string): Promise<Volume> {
  const { parsed } = await scanPaths([dir]);
  const g = groupInstances(parsed);
  expect(g.series).toHaveLength(1);
  return loadSeriesVolume(g.instances[g.series[0]!.seriesInstanceUid]!);
}

function pearson(a: ArrayLike<number>, b: ArrayLike<number>, mask: (i: number) => boolean): number {
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
function correlationRatio(key: Int32Array, y: ArrayLike<number>, mask: (i: number) => boolean): number {
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

describe.skipIf(!existsSync(RAW) || !existsSync(PERF))(
  'Philips 3D pCASL (402 raw vs 401 scanner perfusion)',
  () => {
    it('label/control from the private tags through the host loader; control − label mean vs series 401 at the ceiling the rounded source data allow', async () => {
      const volume = await load(RAW);
      const perf = await load(PERF);
      expect(volume.frames).toBe(16);
      expect(volume.geometry.dimensions).toEqual([80, 80, 14]);
      expect(perf.geometry.dimensions).toEqual(volume.geometry.dimensions);
      // the private tag of every frame, read straight from the files (independent of the loader)
      const byInstance = new Map<number, string>();
      for (const f of readdirSync(RAW).filter((x) => x.endsWith('.dcm'))) {
        const a = readAttributes(new Uint8Array(readFileSync(path.join(RAW, f)))) as Record<string, unknown>;
        byInstance.set(Number(a.InstanceNumber), String(a.x20051429).trim().toLowerCase());
      }
      expect([...byInstance.values()].filter((t) => t === 'control')).toHaveLength(112);
      expect([...byInstance.values()].filter((t) => t === 'label')).toHaveLength(112);
      const info = volume.metadata.frameInfo!;
      const tags = info.map((fi) => byInstance.get(Number(fi.instanceNumber))!);
      const first = readdirSync(RAW).find((x) => x.endsWith('.dcm'))!;
      const input: AnalysisInput = {
        series: {
          asl: {
            role: 'asl',
            volume,
            dicom: readAttributes(new Uint8Array(readFileSync(path.join(RAW, first)))) as Record<
              string,
              unknown
            >,
          },
        },
        parameters: { pld: 2.0, labelDuration: 1.8, motionCorrection: false, outlierRejection: false },
      };
      const ctx = await createTestContext();
      const run = await runAsl(input, ctx);
      expect(run.ordering.source).toMatch(/2005,1429/);
      // every control/label the plugin uses is what the private tag of that frame says; the unsuppressed first
      // dynamic (one control + one label) became M0, and 7 pairs remain
      run.ordering.types.forEach((t, i) => (t === 'm0scan' ? undefined : expect(t).toBe(tags[i])));
      expect(run.ordering.m0Frames).toHaveLength(2);
      expect(run.ordering.m0Frames.map((f) => tags[f]).sort()).toEqual(['control', 'label']);
      expect(run.ordering.pairs).toHaveLength(7);
      for (const [c, l] of run.ordering.pairs) {
        expect(tags[c]).toBe('control');
        expect(tags[l]).toBe('label');
        expect(info[c]!.temporalPositionIdentifier).toBe(info[l]!.temporalPositionIdentifier);
      }

      const p = perf.data;
      const dm = run.meanDeltaM;
      const brain = (i: number): boolean => run.tissue.brain[i] === 1;
      const clipped = Float32Array.from(dm, (x) => Math.max(0, x));
      const rClipped = pearson(clipped, p, brain);
      const rBrain = pearson(dm, p, brain);
      const rPositive = pearson(dm, p, (i) => brain(i) && p[i]! > 0);
      // the integer control − label sum behind each voxel's ΔM: ΔM · pairs / (quantisation step of the frames)
      const f1 = Float64Array.from(volume.data.subarray(80 * 80 * 14 * 2, 80 * 80 * 14 * 3)).sort();
      let step = Infinity;
      for (let i = 1; i < f1.length; i++)
        if (f1[i]! - f1[i - 1]! > 1e-6) step = Math.min(step, f1[i]! - f1[i - 1]!);
      const pairs = run.pairsKept.length;
      const key = Int32Array.from(dm, (x) => Math.round((x * pairs) / step));
      // ΔM is exactly a multiple of step/pairs (the data are integers times RescaleSlope)
      let offGrid = 0;
      dm.forEach((x, i) => (offGrid = Math.max(offGrid, Math.abs((x * pairs) / step - key[i]!))));
      expect(offGrid).toBeLessThan(1e-3);
      const eta = correlationRatio(key, p, brain);
      const etaPositive = correlationRatio(key, p, (i) => brain(i) && p[i]! > 0);
      // scale between the scanner's values and ours, from the voxels the scanner did not clip
      let sxy = 0,
        sxx = 0;
      for (let i = 0; i < p.length; i++)
        if (brain(i) && p[i]! > 0) {
          sxy += dm[i]! * p[i]!;
          sxx += dm[i]! ** 2;
        }
      const out = {
        types: run.ordering.types.join(','),
        rClipped,
        rBrain,
        rPositive,
        eta,
        etaPositive,
        step,
        pairs,
        scale: sxy / sxx,
        brainVoxels: run.tissue.brain.reduce((a, b) => a + b, 0),
      };
      console.log(JSON.stringify(out));
      expect(step).toBeCloseTo(1.25788, 4); // one stored unit = RescaleSlope
      expect(rClipped).toBeGreaterThanOrEqual(eta - 0.005);
      expect(rPositive).toBeGreaterThanOrEqual(etaPositive - 0.02);
      expect(eta).toBeLessThan(0.99);
      expect(rClipped).toBeGreaterThan(0.95);
      expect(run.result.parameters!.find((x) => x.key === 'pld')!.source).toBe('user');
    });

    it('motion correction: the unsuppressed M0 dynamic is not moved by a contrast-biased registration', async () => {
      const volume = await load(RAW);
      const first = readdirSync(RAW).find((x) => x.endsWith('.dcm'))!;
      const dicom = readAttributes(new Uint8Array(readFileSync(path.join(RAW, first)))) as Record<
        string,
        unknown
      >;
      const go = async (m0Registration: string) =>
        runAsl(
          {
            series: { asl: { role: 'asl', volume, dicom } },
            parameters: { pld: 2.0, labelDuration: 1.8, m0Registration, selfCheck: false },
          },
          await createTestContext(),
        );
      const auto = await go('auto');
      const always = await go('always');
      const never = await go('never');
      const row = (r: Awaited<ReturnType<typeof go>>) =>
        r.result.parameters!.find((x) => x.key === 'm0Registration');
      console.log(
        JSON.stringify({
          fdAuto: auto.fd.map((x) => +x.toFixed(2)),
          fdAlways: always.fd.map((x) => +x.toFixed(2)),
          detail: row(auto)!.detail,
        }),
      );
      // forced SSD registration shifts the M0 dynamics by ~4 mm in z (+0.8° about z) against the suppressed pairs,
      // although the unmoved M0 correlates best with them (numpy: NCC 0.956 unmoved, 0.950 at -4 mm); the gate keeps
      // them where they were acquired and says why
      expect(always.fd[2]).toBeGreaterThan(3);
      expect(Math.max(...auto.fd)).toBeLessThan(1);
      expect(row(auto)).toMatchObject({ value: 'not applied', source: 'derived' });
      expect(row(always)).toMatchObject({ value: 'applied', source: 'user' });
      expect(row(never)).toMatchObject({ value: 'not applied', source: 'user' });
      expect(Array.from(never.m0)).toEqual(Array.from(auto.m0));
    }, 120_000);
  },
);
