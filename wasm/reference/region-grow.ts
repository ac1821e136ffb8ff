/** Reference 6-connected region growing from seeds within an inclusive intensity range (breadth-first). */
import type { ScalarData, Vec3 } from '../types';
import { checkData } from '../validate';

/** Mask (0/1) of the voxels reachable from `seeds` (linear indices) through voxels with lo <= value <= hi. */
export function regionGrowReference(
  data: ScalarData,
  dims: Vec3,
  seeds: ArrayLike<number>,
  lo: number,
  hi: number,
): Uint8Array {
  const n = checkData(data, dims);
  const [nx, ny, nz] = dims;
  const out = new Uint8Array(n);
  const queue = new Int32Array(n);
  let head = 0,
    tail = 0;
  const flo = Math.fround(lo),
    fhi = Math.fround(hi);
  const visit = (i: number) => {
    if (out[i]) return;
    const v = Math.fround(data[i]);
    if (v >= flo && v <= fhi) {
      out[i] = 1;
      queue[tail++] = i;
    }
  };
  for (let s = 0; s < seeds.length; s++) if (seeds[s] >= 0 && seeds[s] < n) visit(seeds[s]);
  while (head < tail) {
    const i = queue[head++];
    const x = i % nx,
      y = Math.floor(i / nx) % ny,
      z = Math.floor(i / (nx * ny));
    if (x > 0) visit(i - 1);
    if (x < nx - 1) visit(i + 1);
    if (y > 0) visit(i - nx);
    if (y < ny - 1) visit(i + nx);
    if (z > 0) visit(i - nx * ny);
    if (z < nz - 1) visit(i + nx * ny);
  }
  return out;
}
