/**
 * ONNX lung segmentation: the 2D U-Net trained by models/lung-seg/train.py, run slice by slice through
 * `context.model('lung-seg')`. Each axial slice is resampled to 128 × 128 over the full field of view, intensities are
 * clipped to [−1000, 500] HU and scaled to [−1, 1]; the model returns logits for background / right lung / left lung.
 * Labels go back to the CT grid by nearest-neighbour resampling and each lung keeps its largest component.
 *
 * @packageDocumentation
 */
import type { AnalysisContext, Geometry, Volume } from '@qiview/sdk';
import { toKernelData, type LungSegmentation } from './segment-lungs';

/** Model id in the manifest. */
export const LUNG_MODEL_ID = 'lung-seg';
/** In-plane size the model was trained at. */
export const MODEL_SIZE = 128;

/** Intensity normalisation shared with train.py. */
export function normaliseHu(v: number): number {
  const c = v < -1000 ? -1000 : v > 500 ? 500 : v;
  return (c + 250) / 750;
}

/** The model grid of a CT grid: each axial slice resampled to 128 × 128 over the same field of view. */
export function modelGeometry(g: Geometry): Geometry {
  const [nx, ny, nz] = g.dimensions;
  const S = MODEL_SIZE;
  const sx = (g.spacing[0] * nx) / S,
    sy = (g.spacing[1] * ny) / S;
  const d = g.direction;
  const oi = (sx - g.spacing[0]) / 2,
    oj = (sy - g.spacing[1]) / 2;
  return {
    dimensions: [S, S, nz],
    spacing: [sx, sy, g.spacing[2]],
    direction: g.direction,
    origin: [
      g.origin[0] + oi * d[0] + oj * d[3],
      g.origin[1] + oi * d[1] + oj * d[4],
      g.origin[2] + oi * d[2] + oj * d[5],
    ],
  };
}

/** Segments the lungs with the ONNX model. */
export async function segmentLungsOnnx(volume: Volume, context: AnalysisContext): Promise<LungSegmentation> {
  const k = context.kernels;
  const g = volume.geometry;
  const [nx, ny, nz] = g.dimensions;
  const S = MODEL_SIZE;
  const small = modelGeometry(g);
  const hu = toKernelData(volume);
  const img = k.resample(hu, g, small, { interpolation: 'linear', fill: -1024 }) as Float32Array;
  const session = await context.model(LUNG_MODEL_ID);
  const labelsSmall = new Uint8Array(S * S * nz);
  const batch = 16;
  try {
    for (let k0 = 0; k0 < nz; k0 += batch) {
      context.throwIfCancelled();
      const b = Math.min(batch, nz - k0);
      const x = new Float32Array(b * S * S);
      for (let q = 0; q < b * S * S; q++) x[q] = normaliseHu(img[k0 * S * S + q]);
      const out = await session.run({
        [session.inputNames[0]]: { type: 'float32', data: x, dims: [b, 1, S, S] },
      });
      const logits = out[session.outputNames[0]].data as Float32Array;
      for (let s = 0; s < b; s++)
        for (let p = 0; p < S * S; p++) {
          const base = s * 3 * S * S + p;
          const l0 = logits[base],
            l1 = logits[base + S * S],
            l2 = logits[base + 2 * S * S];
          labelsSmall[(k0 + s) * S * S + p] = l1 > l0 && l1 >= l2 ? 1 : l2 > l0 && l2 > l1 ? 2 : 0;
        }
      context.progress(0.05 + (0.4 * (k0 + b)) / nz, 'ONNX lung segmentation');
    }
  } finally {
    await session.release();
  }
  const back = k.resample(labelsSmall, small, g, { interpolation: 'nearest', fill: 0 }) as Uint8Array;
  const labels = new Uint8Array(back.length);
  const n = back.length;
  const voxMl = (g.spacing[0] * g.spacing[1] * g.spacing[2]) / 1000;
  const vol = [0, 0];
  for (const lab of [1, 2]) {
    const m = new Uint8Array(n);
    for (let q = 0; q < n; q++) m[q] = back[q] === lab ? 1 : 0;
    const kept = k.keepLargestComponents(m, g.dimensions, { connectivity: 26 });
    for (let q = 0; q < n; q++)
      if (kept[q]) {
        labels[q] = lab;
        vol[lab - 1]++;
      }
  }
  const plane = nx * ny;
  let truncated = false;
  for (let q = 0; q < plane && !truncated; q++) if (labels[q] || labels[n - plane + q]) truncated = true;
  return {
    labels,
    airway: new Uint8Array(n),
    volumeMl: { right: vol[0] * voxMl, left: vol[1] * voxMl },
    tracheaFound: true,
    truncated,
    notes: ['ONNX model (airways excluded by the model)'],
  };
}
