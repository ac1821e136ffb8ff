/** Which slice shows a labelmap best when the plugin named no key image. */
import type { Labelmap } from '@qiview/sdk';

/**
 * The axial slice (k) with the most labelled voxels; on ties (e.g. a cylinder through every slice) the middle one
 * of the tied slices; the middle slice of the volume when nothing is labelled.
 */
export function chooseKeySlice(labelmap: Pick<Labelmap, 'data' | 'geometry'>): number {
  const [nx, ny, nz] = labelmap.geometry.dimensions;
  const plane = nx * ny;
  let best: number[] = [],
    bestCount = 0;
  for (let k = 0; k < nz; k++) {
    let n = 0;
    const end = (k + 1) * plane;
    for (let q = k * plane; q < end; q++) if (labelmap.data[q]) n++;
    if (n > bestCount) {
      best = [k];
      bestCount = n;
    } else if (n === bestCount && n > 0) best.push(k);
  }
  return best.length ? best[(best.length - 1) >> 1]! : Math.floor(nz / 2);
}
