import type { Volume } from '@qiview/sdk';

/** A histogram: bin centres and counts. */
export interface Histogram {
  centres: number[];
  counts: number[];
}

/** Histogram of the masked values of frame 0 in bins of `binWidth` from `lower` to `upper` (inclusive). */
export function histogram(
  volume: Volume,
  mask: Uint8Array,
  lower: number,
  upper: number,
  binWidth: number,
): Histogram {
  const bins = Math.max(1, Math.ceil((upper - lower + 1e-9) / binWidth));
  const counts = new Array<number>(bins).fill(0);
  for (let i = 0; i < mask.length; i++) {
    if (!mask[i]) continue;
    const b = Math.min(bins - 1, Math.max(0, Math.floor((volume.data[i]! - lower) / binWidth)));
    counts[b]!++;
  }
  const centres = counts.map((_, b) => lower + (b + 0.5) * binWidth);
  return { centres, counts };
}
