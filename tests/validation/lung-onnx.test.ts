/**
 * The ONNX lung model (plugins/lung-fibrosis/models/lung-seg.onnx, trained by models/lung-seg/train.py) through
 * context.model(): hash matches the manifest, Dice on the held-out phantom (seed 7, never used in training) and, when
 * ../shared/data is present, on the TotalSegmentator lung bases and the 4DCT. Prints the numbers quoted in the model
 * card; the kernel pipeline stays the default while it is the more accurate one.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AnalysisInput, Volume } from '@qiview/sdk';
import plugin from '../../plugins/lung-fibrosis/index';
import { segmentLungsAuto } from '../../plugins/lung-fibrosis/segment-lungs';
import { chestPhantom } from '../phantoms/chest-phantom';
import { createTestContext } from '../support/node-context';
import { readNiftiVolume } from './lung-load-nifti';

const PLUGIN = path.resolve(__dirname, '../../plugins/lung-fibrosis');
const manifest = JSON.parse(readFileSync(path.join(PLUGIN, 'manifest.json'), 'utf8')) as {
  models: Array<{ id: string; file: string; sha256: string }>;
  parameters: Array<{ key: string; default: unknown }>;
};
const spec = manifest.models.find((m) => m.id === 'lung-seg');
const modelPath = spec ? path.join(PLUGIN, spec.file) : '';
const DATA = path.resolve(__dirname, '../../../shared/data');
const TS = path.join(DATA, 'ct-totalseg-abdomen');
const THORAX = path.join(DATA, 'ct-thorax-4dct-phase00-itkelastix/thorax_ct_phase00.nii.gz');

const input = (volume: Volume): AnalysisInput => ({
  series: { ct: { role: 'ct', volume, dicom: { Modality: 'CT' } } },
  parameters: { segmentation: 'onnx' },
});
const ctx = () => createTestContext({ models: { 'lung-seg': { path: modelPath, sha256: spec!.sha256 } } });

function dice(a: Uint8Array, b: (q: number) => boolean, slices?: (k: number) => boolean, plane = 1): number {
  let na = 0,
    nb = 0,
    nab = 0;
  for (let q = 0; q < a.length; q++) {
    if (slices && !slices(Math.floor(q / plane))) continue;
    const x = a[q] > 0,
      y = b(q);
    if (x) na++;
    if (y) nb++;
    if (x && y) nab++;
  }
  return (2 * nab) / (na + nb);
}

describe.skipIf(!spec || !existsSync(modelPath))('ONNX lung model', () => {
  it('matches the manifest hash; the kernel pipeline is the default', () => {
    expect(createHash('sha256').update(readFileSync(modelPath)).digest('hex')).toBe(spec!.sha256);
    expect(manifest.parameters.find((p) => p.key === 'segmentation')?.default).toBe('kernels');
  });

  it('segments the held-out phantom (seed 7) with Dice ≥ 0.9', async () => {
    const ph = chestPhantom();
    const r = await plugin.run(input(ph.volume), await ctx());
    const lungs = r.labelmaps[0].data;
    const d = dice(lungs, (q) => ph.truth.lungs[q] > 0);
    const dr = dice(
      lungs.map((v) => (v === 1 ? 1 : 0)),
      (q) => ph.truth.lungs[q] === 1,
    );
    console.log(`ONNX phantom Dice ${d.toFixed(4)} (right ${dr.toFixed(4)})`);
    expect(d).toBeGreaterThanOrEqual(0.9);
  }, 120_000);

  it.skipIf(!existsSync(path.join(TS, 'example_ct_sm.nii.gz')))(
    'reports Dice on the TotalSegmentator lung bases',
    async () => {
      const ct = readNiftiVolume(path.join(TS, 'example_ct_sm.nii.gz'));
      const ref = readNiftiVolume(path.join(TS, 'example_seg.nii.gz'), 'labels').data as Uint8Array;
      const [nx, ny, nz] = ct.geometry.dimensions;
      const has = new Array(nz).fill(false);
      for (let q = 0; q < ref.length; q++)
        if (ref[q] >= 10 && ref[q] <= 14) has[Math.floor(q / (nx * ny))] = true;
      const r = await plugin.run(input(ct), await ctx()).catch((e: Error) => e);
      const d =
        r instanceof Error
          ? 0
          : dice(
              r.labelmaps[0].data,
              (q) => ref[q] >= 10 && ref[q] <= 14,
              (k) => has[k],
              nx * ny,
            );
      console.log(
        `ONNX TotalSegmentator lung bases Dice ${d.toFixed(4)}${r instanceof Error ? ` (${r.message})` : ''}`,
      );
      expect(d).toBeGreaterThanOrEqual(0);
    },
    120_000,
  );

  it.skipIf(!existsSync(THORAX))(
    'reports volumes and sides on the 4DCT',
    async () => {
      const ct = readNiftiVolume(THORAX);
      const r = await plugin.run(input(ct), await ctx()).catch((e: Error) => e);
      if (r instanceof Error) {
        console.log(`ONNX 4DCT: refused (${r.message})`);
        return;
      }
      const m = (k: string) => r.measurements.find((x) => x.key === k)?.value ?? NaN;
      const kernel = segmentLungsAuto(ct, (await ctx()).kernels);
      const agree = dice(r.labelmaps[0].data, (q) => kernel.labels[q] > 0);
      console.log(
        `ONNX 4DCT: right ${m('right_volume').toFixed(0)} ml, left ${m('left_volume').toFixed(0)} ml, HAA ${m('lungs_haa').toFixed(2)} %, Dice vs kernel pipeline ${agree.toFixed(4)}`,
      );
      expect(r.labelmaps[0].data.length).toBe(ct.data.length);
    },
    240_000,
  );
});
