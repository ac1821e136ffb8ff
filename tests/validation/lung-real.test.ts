/**
 * Lung fibrosis plugin on real CT from ../shared/data (skipped cleanly when absent):
 * - ct-totalseg-abdomen: lung bases, Dice ≥ 0.95 against the union of TotalSegmentator lobe labels 10–14 in the slices
 *   where they exist (left = 10, 11; right = 12, 13, 14);
 * - ct-thorax-4dct-phase00-itkelastix: full lungs, right/left by LPS x, trachea found and excluded, HAA % < 10 %;
 * - ct-chest-covid19-ny-sbu-slices: single DICOM slices are refused with a clear reason.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AnalysisError, type AnalysisInput, type Volume } from '@qiview/sdk';
import plugin, { analyseLungs } from '../../plugins/lung-fibrosis/index';
import { segmentLungs } from '../../plugins/lung-fibrosis/segment-lungs';
import { buildVolume } from '../../core/common/dicom/build-volume';
import { createTestContext } from '../support/node-context';
import { readNiftiVolume } from './lung-load-nifti';

const DATA = path.resolve(__dirname, '../../../shared/data');
const TS = path.join(DATA, 'ct-totalseg-abdomen');
const THORAX = path.join(DATA, 'ct-thorax-4dct-phase00-itkelastix/thorax_ct_phase00.nii.gz');
const COVID = path.join(DATA, 'ct-chest-covid19-ny-sbu-slices');

const input = (volume: Volume): AnalysisInput => ({
  series: { ct: { role: 'ct', volume, dicom: { Modality: 'CT' } } },
  parameters: {},
});

function centroidX(mask: Uint8Array, label: number, v: Volume): number {
  const g = v.geometry;
  const [nx, ny] = g.dimensions;
  let s = 0,
    c = 0;
  for (let q = 0; q < mask.length; q++) {
    if (mask[q] !== label) continue;
    const i = q % nx,
      j = Math.floor(q / nx) % ny,
      k = Math.floor(q / (nx * ny));
    s +=
      g.origin[0] +
      i * g.spacing[0] * g.direction[0] +
      j * g.spacing[1] * g.direction[3] +
      k * g.spacing[2] * g.direction[6];
    c++;
  }
  return s / c;
}

describe.skipIf(!existsSync(path.join(TS, 'example_ct_sm.nii.gz')))(
  'lung bases in ct-totalseg-abdomen',
  () => {
    it('Dice ≥ 0.95 against TotalSegmentator lobes 10–14 in the slices where they exist, sides correct', async () => {
      const ct = readNiftiVolume(path.join(TS, 'example_ct_sm.nii.gz'));
      const ref = readNiftiVolume(path.join(TS, 'example_seg.nii.gz'), 'labels').data as Uint8Array;
      const ctx = await createTestContext();
      const r = await plugin.run(input(ct), ctx);
      const lungs = r.labelmaps[0].data;
      const [nx, ny, nz] = ct.geometry.dimensions;
      const plane = nx * ny;
      let a = 0,
        b = 0,
        ab = 0,
        sideOk = 0;
      for (let k = 0; k < nz; k++) {
        let has = false;
        for (let q = k * plane; q < (k + 1) * plane && !has; q++) has = ref[q] >= 10 && ref[q] <= 14;
        if (!has) continue;
        for (let q = k * plane; q < (k + 1) * plane; q++) {
          const x = lungs[q] > 0,
            y = ref[q] >= 10 && ref[q] <= 14;
          if (x) a++;
          if (y) b++;
          if (x && y) {
            ab++;
            if ((ref[q] <= 11 ? 2 : 1) === lungs[q]) sideOk++;
          }
        }
      }
      const d = (2 * ab) / (a + b);
      console.log(
        `TotalSegmentator lung bases: Dice ${d.toFixed(4)}, side agreement ${(sideOk / ab).toFixed(4)}`,
      );
      expect(d).toBeGreaterThanOrEqual(0.95);
      expect(sideOk / ab).toBeGreaterThan(0.99);
      expect(r.qc?.reasons.join(' ')).toMatch(/not fully in the field of view/);
    }, 120_000);
  },
);

describe.skipIf(!existsSync(THORAX))('full lungs in ct-thorax-4dct-phase00', () => {
  it('segments both lungs, right/left correct, trachea excluded, HAA < 10 %', async () => {
    const ct = readNiftiVolume(THORAX);
    const ctx = await createTestContext();
    const a = await analyseLungs(ct, ctx);
    const seg = a.segmentation;
    const all = a.stats[0];
    console.log(
      `4DCT: right ${seg.volumeMl.right.toFixed(0)} ml, left ${seg.volumeMl.left.toFixed(0)} ml, MLD ${all.mld.toFixed(0)} HU, HAA ${all.haaPct.toFixed(2)} %, LAA ${all.laa950Pct.toFixed(2)} %, fibrosis ${all.fibrosisPct.toFixed(2)} %`,
    );
    expect(seg.volumeMl.right).toBeGreaterThan(1000);
    expect(seg.volumeMl.left).toBeGreaterThan(1000);
    expect(seg.volumeMl.right).toBeGreaterThan(seg.volumeMl.left * 0.9); // right lung usually the larger
    expect(centroidX(seg.labels, 1, ct)).toBeLessThan(centroidX(seg.labels, 2, ct)); // LPS: +x = patient left
    expect(seg.tracheaFound).toBe(true);
    let airway = 0,
      overlap = 0;
    for (let q = 0; q < seg.airway.length; q++)
      if (seg.airway[q]) {
        airway++;
        if (seg.labels[q]) overlap++;
      }
    const airwayMl =
      (airway * ct.geometry.spacing[0] * ct.geometry.spacing[1] * ct.geometry.spacing[2]) / 1000;
    console.log(`4DCT airway ${airwayMl.toFixed(1)} ml, overlap with lungs ${overlap} voxels`);
    expect(airwayMl).toBeGreaterThan(10);
    expect(overlap).toBe(0);
    expect(all.haaPct).toBeLessThan(10);
    expect(all.mld).toBeLessThan(-700);
    expect(all.mld).toBeGreaterThan(-950);
  }, 240_000);
});

describe.skipIf(!existsSync(COVID))('single slices of ct-chest-covid19-ny-sbu', () => {
  it('refuses every single slice with too-few-slices', async () => {
    const ctx = await createTestContext();
    const files = readdirSync(COVID)
      .filter((d) => !d.endsWith('.txt'))
      .flatMap((d) => readdirSync(path.join(COVID, d)).map((f) => path.join(COVID, d, f)))
      .filter((f) => f.endsWith('.dcm'));
    expect(files.length).toBeGreaterThanOrEqual(7);
    for (const f of files) {
      const v = await buildVolume([
        { bytes: new Uint8Array(readFileSync(f)), location: { kind: 'file', path: f } },
      ]);
      expect(v.geometry.dimensions[2]).toBe(1);
      const err = await plugin.run(input(v), ctx).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AnalysisError);
      expect((err as AnalysisError).code).toBe('too-few-slices');
      expect((err as AnalysisError).message).toMatch(/1 slice/);
    }
  }, 120_000);
});

describe('segmentLungs on an empty field', () => {
  it('returns no lungs for a volume of soft tissue only', async () => {
    const ctx = await createTestContext();
    const data = new Int16Array(64 * 64 * 20).fill(40);
    const v: Volume = {
      geometry: {
        dimensions: [64, 64, 20],
        spacing: [2, 2, 3],
        origin: [0, 0, 0],
        direction: [1, 0, 0, 0, 1, 0, 0, 0, 1],
      },
      data,
      frames: 1,
      unit: 'HU',
      metadata: { modality: 'CT' },
      warnings: [],
    };
    const s = segmentLungs(v, ctx.kernels);
    expect(s.volumeMl.right + s.volumeMl.left).toBe(0);
  });
});
