/**
 * SCORE-like outlier rejection (after Dolui et al., JCBFM 2017;37:3223, "Structural Correlation-based Outlier
 * REjection"): each pair's mean GM ΔM is compared with the median over pairs; pairs further than
 * {@link SCORE_THRESHOLD_SD} robust SDs (1.4826·MAD) are rejected, iteratively, never more than half of the pairs.
 *
 * @packageDocumentation
 */
import { SCORE_THRESHOLD_SD } from './constants';
import { median } from './median';

/** Returns the indices of the pairs to keep, given each pair's mean GM ΔM. */
export function rejectOutliers(
  pairMeans: readonly number[],
  threshold: number = SCORE_THRESHOLD_SD,
): number[] {
  let keep = pairMeans.map((_, i) => i);
  const minKeep = Math.ceil(pairMeans.length / 2);
  for (let it = 0; it < pairMeans.length && keep.length > Math.max(2, minKeep); it++) {
    const vals = keep.map((i) => pairMeans[i]!);
    const med = median(vals);
    const sd = 1.4826 * median(vals.map((v) => Math.abs(v - med)));
    if (!(sd > 0)) break;
    let worst = -1,
      wd = 0;
    for (const i of keep) {
      const d = Math.abs(pairMeans[i]! - med) / sd;
      if (d > threshold && d > wd) {
        wd = d;
        worst = i;
      }
    }
    if (worst < 0) break;
    keep = keep.filter((i) => i !== worst);
  }
  return keep;
}
