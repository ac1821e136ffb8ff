/**
 * A CT phantom with exactly known answers for this example plugin and the plugin-host tests (not part of the bundle:
 * index.ts does not import it). Write one like it for your own plugin.
 * 24×20×10 voxels, spacing 0.8×0.8×2 mm, air (−1000 HU) everywhere except:
 * - the main blob: a 6×5×4 box (120 voxels) alternating 200 and 300 HU in raster order (even count: mean 250 exactly);
 * - a small blob: 2 voxels at 150 HU, separate from the main blob (removed by "largest component").
 */
import type { Volume } from '@qiview/sdk';

/** What the example plugin must report on {@link makeExamplePhantom} with its default 100..400 HU range. */
export const EXAMPLE_PHANTOM_EXPECTED = {
  voxels: 120,
  /** 120 × 0.8 × 0.8 × 2 mm³ = 153.6 mm³. */
  volumeMl: 0.1536,
  meanHu: 250,
  /** Sample SD of 60 × 200 and 60 × 300: sqrt(120 · 50² / 119). */
  sdHu: Math.sqrt((120 * 50 * 50) / 119),
} as const;

/** Builds the phantom (Int16 HU). */
export function makeExamplePhantom(): Volume {
  const [nx, ny, nz] = [24, 20, 10];
  const data = new Int16Array(nx * ny * nz).fill(-1000);
  let n = 0;
  for (let k = 3; k < 7; k++)
    for (let j = 4; j < 9; j++)
      for (let i = 5; i < 11; i++) data[i + nx * (j + ny * k)] = n++ % 2 === 0 ? 200 : 300;
  data[20 + nx * (15 + ny * 8)] = 150;
  data[21 + nx * (15 + ny * 8)] = 150;
  return {
    geometry: {
      dimensions: [nx, ny, nz],
      spacing: [0.8, 0.8, 2],
      origin: [-10, -8, 0],
      direction: [1, 0, 0, 0, 1, 0, 0, 0, 1],
    },
    data,
    frames: 1,
    unit: 'HU',
    metadata: {
      modality: 'CT',
      seriesInstanceUid: '1.2.826.0.1.3680043.8.498.1001',
      seriesDescription: 'phantom',
    },
    warnings: [],
  };
}
