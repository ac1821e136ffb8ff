/** Which slice shows a labelmap best when the plugin named no key image. */
import type { Labelmap } from '@qiview/sdk';

/**
 * The axial slice (k) with the most labelled voxels (the lowest k on ties), or the middle slice when nothing is
 * labelled.
 */
export function chooseKeySlice(labelmap: Pick<Labelmap, 'data' | 'geometry'>): number {
  const [nx, ny, nz] = labelmap.geometry.dimensions;
  const plane = nx * ny;
  let best = -1,
    bestCount = 0;
  for (let k = 0; k < nz; k++) {
    let n = 0;
    const end = (k + 1) * plane;
    for (let q = k * plane; q < end; q++) if (labelmap.data[q]) n++;
    if (n > bestCount) {
      best = k;
      bestCount = n;
    }
  }
  return best >= 0 ? best : Math.floor(nz / 2);
}
