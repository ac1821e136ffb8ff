/**
 * Writes the training set of the lung U-Net: chest phantoms (varied seed, size, spacing, noise, healthy or diseased)
 * resampled exactly as the plugin does at inference (segment-onnx.ts: 128 × 128 per axial slice over the field of view,
 * HU normalised to [−1, 1]), with labels 0 background / 1 right lung / 2 left lung (airways are background).
 * Usage: `npx tsx models/lung-seg/export-phantoms.ts [outDir]` (default /tmp/lung-seg-data). Seed 7 (the validation
 * phantom) is never used here.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Vec3 } from '@qiview/sdk';
import { modelGeometry, normaliseHu } from '../../plugins/lung-fibrosis/segment-onnx';
import { chestPhantom } from '../../tests/phantoms/chest-phantom';
import { loadKernels } from '../../wasm/node/load-kernels';

const out = process.argv[2] ?? '/tmp/lung-seg-data';
mkdirSync(out, { recursive: true });
const k = await loadKernels();
const configs: Array<{ dims: Vec3; spacing: Vec3; noise: number; healthy: boolean; seed: number }> = [];
const shapes: Array<[Vec3, Vec3]> = [
  [
    [224, 168, 75],
    [1.6, 1.6, 3.2],
  ],
  [
    [200, 200, 60],
    [1.8, 1.8, 4],
  ],
  [
    [256, 192, 60],
    [1.5, 1.5, 4],
  ],
  [
    [180, 150, 60],
    [2.1, 2.0, 4],
  ],
  [
    [240, 240, 60],
    [1.7, 1.7, 4],
  ],
  [
    [210, 160, 60],
    [1.9, 1.8, 4],
  ],
];
let seed = 100;
for (const [dims, spacing] of shapes)
  for (const healthy of [false, true])
    for (const noise of [15, 40]) configs.push({ dims, spacing, noise, healthy, seed: seed++ });

const images: Float32Array[] = [];
const labels: Uint8Array[] = [];
let slices = 0;
for (const c of configs) {
  const ph = chestPhantom(c);
  const g = ph.volume.geometry;
  const mg = modelGeometry(g);
  const img = k.resample(ph.volume.data, g, mg, { interpolation: 'linear', fill: -1024 }) as Float32Array;
  const lab = k.resample(ph.truth.lungs, g, mg, { interpolation: 'nearest', fill: 0 }) as Uint8Array;
  const x = new Float32Array(img.length);
  for (let q = 0; q < img.length; q++) x[q] = normaliseHu(img[q]);
  images.push(x);
  labels.push(lab);
  slices += mg.dimensions[2];
  console.error(`phantom seed ${c.seed} ${c.dims.join('x')} → ${mg.dimensions[2]} slices`);
}
const cat = <T extends Float32Array | Uint8Array>(parts: T[], ctor: new (n: number) => T): T => {
  const o = new ctor(parts.reduce((s, p) => s + p.length, 0));
  let off = 0;
  for (const p of parts) {
    o.set(p, off);
    off += p.length;
  }
  return o;
};
writeFileSync(path.join(out, 'images.f32'), cat(images, Float32Array));
writeFileSync(path.join(out, 'labels.u8'), cat(labels, Uint8Array));
writeFileSync(path.join(out, 'meta.json'), JSON.stringify({ slices, size: 128, configs }, null, 1));
console.log(JSON.stringify({ out, slices }));
