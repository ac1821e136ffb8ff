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
 * - The same code meets r ≥ 0.99 when the source frames are not rounding-limited: on the 2D pCASL series of the same
 *   upstream repository and scanner (neurolabusc/dcm_qa_philips_asl `In/Classic/202_SOURCE_-_pCASL` vs the scanner's
 *   `201_pCASL`, 30 pairs, no background suppression, control-frame noise 5.2 stored units against 1.3 here; not
 *   staged in ../shared/data), `npx tsx tools/philips-asl-agreement.ts <202> <201> pld=1.8` gives r = 0.9973
 *   (η = 0.9973) over 63,852 brain voxels, with the scanner averaging all 30 pairs and clipping at 0.
 * The test asserts the assignment, that the plugin is within 0.005 of η, and that η itself is below 0.99 (if
 * better-resolved source data ever replace these files, the last assertion will say so).
 * PLD 2.0 s comes from the exam card (user value); the label duration is not in the data (user value 1.8 s).
 * Skips when ../shared/data is absent.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readAttributes } from '../../core/common/dicom/read-attributes';
import { runAsl } from '../../plugins/asl-perfusion';
import { createTestContext } from '../support/node-context';
import { loadOneSeries as load, philipsPerfusionAgreement } from '../support/philips-perfusion-agreement';

const DIR = path.resolve(__dirname, '../../../shared/data/asl-philips-pcasl3d-dcmqa/dicom');
const RAW = path.join(DIR, '402_SOURCE_-_3D_pCASL_6mm');
const PERF = path.join(DIR, '401_3D_pCASL_6mm');

describe.skipIf(!existsSync(RAW) || !existsSync(PERF))(
  'Philips 3D pCASL (402 raw vs 401 scanner perfusion)',
  () => {
    it('label/control from the private tags through the host loader; control − label mean vs series 401 at the ceiling the rounded source data allow', async () => {
      const {
        agreement: out,
        run,
        volume,
      } = await philipsPerfusionAgreement(RAW, PERF, {
        pld: 2.0,
        labelDuration: 1.8,
      });
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
      console.log(JSON.stringify({ types: run.ordering.types.join(','), ...out }));
      // ΔM is exactly a multiple of step/pairs (the data are integers times RescaleSlope)
      expect(out.offGrid).toBeLessThan(1e-3);
      expect(out.step).toBeCloseTo(1.25788, 4); // one stored unit = RescaleSlope
      expect(out.pairs).toBe(7);
      expect(out.rClipped).toBeGreaterThanOrEqual(out.eta - 0.005);
      expect(out.rPositive).toBeGreaterThanOrEqual(out.etaPositive - 0.02);
      expect(out.eta).toBeLessThan(0.99);
      expect(out.rClipped).toBeGreaterThan(0.95);
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
