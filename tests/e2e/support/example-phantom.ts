/**
 * The generated CT phantom the e2e specs run the example plugin on (tests/phantoms/ct-series.ts: air −1000 HU, body
 * 40 HU, a 300 HU insert on the patient's left), and its truth: how many voxels hold a given HU.
 */
import { ctSeriesExpectedHu, ctSeriesGeometry, type CtSeriesOptions } from '../../phantoms/ct-series';

/** The built-in example plugin (threshold + largest component; 100..400 HU by default). */
export const EXAMPLE_PLUGIN = 'org.qiview.example-threshold';

/** 96×96×24 voxels of 1.2×1.2×2.5 mm, with its own series UID (and any other option given). */
export const exampleCt = (seriesUid: string, extra: Partial<CtSeriesOptions> = {}): CtSeriesOptions => ({
  dims: [96, 96, 24],
  spacing: [1.2, 1.2, 2.5],
  seriesUid,
  ...extra,
});

/** Phantom voxels with exactly this HU, and their volume in ml. */
export function phantomVoxels(phantom: CtSeriesOptions, hu: number): { count: number; ml: number } {
  const g = ctSeriesGeometry(phantom);
  const count = ctSeriesExpectedHu(phantom).filter((v) => v === hu).length;
  return { count, ml: (count * g.spacing[0] * g.spacing[1] * g.spacing[2]) / 1000 };
}
