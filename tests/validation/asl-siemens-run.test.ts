/**
 * Siemens 2D pCASL mosaic end to end: the host's volumes (core buildVolume: one 360×360 mosaic per volume) go
 * through the plugin, which unpacks the mosaics (20 slices of 72×72) — the unpacked M0 matches dcm2niix's reference
 * NIfTI voxel for voxel at the same patient positions — and quantifies with PLD, label duration and slice timing from
 * the CSA header. The decoded PLD (0.2 s) is not physiological, so this checks parsing and arithmetic, not CBF truth.
 * Skips when ../shared/data is absent.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { voxelToWorld, worldToVoxel, type InputSeries } from '@qiview/sdk';
import { describe, expect, it } from 'vitest';
import { buildVolume } from '../../core/common/dicom/build-volume';
import { readAttributes } from '../../core/common/dicom/read-attributes';
import { readNifti } from '../../core/common/nifti/read-nifti';
import { runAsl } from '../../plugins/asl-perfusion';
import { unpackMosaic } from '../../plugins/asl-perfusion/vendor/siemens-mosaic';
import { createTestContext } from '../support/node-context';

const DIR = path.resolve(process.cwd(), '../shared/data/asl-siemens-pcasl2d-dcmqa');
const ASL = path.join(DIR, 'dicom', '9_pcasl_2d');
const M0 = path.join(DIR, 'dicom', '10_pcasl_2d_m0');
const REF_M0 = path.join(DIR, 'reference', 'pcasl_2d_m0_10.nii');

async function series(dir: string, role: string): Promise<InputSeries> {
  const names = readdirSync(dir)
    .filter((f) => f.endsWith('.dcm'))
    .sort();
  const bytes = names.map((f) => new Uint8Array(readFileSync(path.join(dir, f))));
  const volume = await buildVolume(bytes.map((b) => ({ bytes: b })));
  return { role, volume, dicom: readAttributes(bytes[0]!) as Record<string, unknown> };
}

describe.skipIf(!existsSync(ASL) || !existsSync(M0) || !existsSync(REF_M0))(
  'Siemens pCASL 2D mosaic end to end',
  () => {
    it('unpacks the M0 mosaic onto the same voxels as dcm2niix', async () => {
      const m0 = unpackMosaic(await series(M0, 'm0')).volume;
      expect(m0.geometry.dimensions).toEqual([72, 72, 20]);
      const ref = readNifti(new Uint8Array(readFileSync(REF_M0)));
      let compared = 0,
        maxDiff = 0,
        maxPos = 0;
      for (const [i, j, k] of [
        [0, 0, 0],
        [71, 0, 0],
        [0, 71, 19],
        [36, 40, 10],
        [20, 30, 5],
        [50, 25, 15],
      ] as const) {
        const w = voxelToWorld(m0.geometry, i, j, k);
        const q = worldToVoxel(ref.geometry, w);
        const qi = q.map(Math.round) as [number, number, number];
        maxPos = Math.max(maxPos, ...q.map((x, a) => Math.abs(x - qi[a]!)));
        const [nx, ny] = ref.geometry.dimensions;
        const a = Number(m0.data[i + 72 * (j + 72 * k)]);
        const b = Number(ref.data[qi[0] + nx * (qi[1] + ny * qi[2])]);
        maxDiff = Math.max(maxDiff, Math.abs(a - b));
        compared++;
      }
      // every voxel too
      let mismatches = 0;
      const [nx, ny] = ref.geometry.dimensions;
      for (let k = 0; k < 20; k++)
        for (let j = 0; j < 72; j++)
          for (let i = 0; i < 72; i++) {
            const q = worldToVoxel(ref.geometry, voxelToWorld(m0.geometry, i, j, k)).map(Math.round);
            if (
              Number(m0.data[i + 72 * (j + 72 * k)]) !== Number(ref.data[q[0]! + nx * (q[1]! + ny * q[2]!)])
            )
              mismatches++;
          }
      console.log(JSON.stringify({ compared, maxDiff, maxPos, mismatches }));
      expect(maxPos).toBeLessThan(0.05);
      expect(mismatches).toBe(0);
    });

    it('runs the pipeline with header parameters (51 pairs, slice timing, M0 series)', async () => {
      const asl = await series(ASL, 'asl');
      const m0 = await series(M0, 'm0');
      expect(asl.volume.frames).toBe(102);
      const t0 = performance.now();
      const run = await runAsl({ series: { asl, m0 }, parameters: {} }, await createTestContext());
      const ms = performance.now() - t0;
      const src = (k: string) => run.result.parameters!.find((p) => p.key === k);
      console.log(
        JSON.stringify({
          ms: Math.round(ms),
          ordering: run.ordering.source,
          qc: run.result.qc,
          gm: run.result.measurements.find((m) => m.key === 'cbf_gm_mean')!.value,
          fdMax: Math.max(...run.fd),
          m0Registration: src('m0Registration')?.detail ?? 'applied',
        }),
      );
      expect(src('pld')).toMatchObject({ source: 'header', value: [0.2] });
      expect(src('labelDuration')!.source).toBe('header');
      expect(src('sliceTiming')!.source).toBe('header');
      expect(run.ordering.pairs.length).toBe(51);
      expect(run.ordering.types[0]).toBe('label');
      expect(run.ordering.source).toMatch(/51 of 51/);
      expect(run.cbf.length).toBe(72 * 72 * 20);
      expect(run.result.maps[0]!.volume.geometry.dimensions).toEqual([72, 72, 20]);
    });
  },
);
