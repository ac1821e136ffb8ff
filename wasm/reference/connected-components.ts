/**
 * Reference 3D connected-component labelling: classic voxel-by-voxel two-pass algorithm (Rosenfeld & Pfaltz 1966)
 * with union-find over provisional labels. Labels are renumbered 1..n by first voxel in raster order, the same
 * numbering as the WASM kernel, so results compare exactly.
 */
import type { ComponentLabels, Connectivity, Vec3 } from '../types';
import { checkConnectivity, checkData } from '../validate';

/** Neighbour offsets that come earlier in raster order (half of the neighbourhood). */
export function priorOffsets(connectivity: Connectivity): Vec3[] {
  const out: Vec3[] = [];
  for (let dz = -1; dz <= 0; dz++)
    for (let dy = -1; dy <= 1; dy++)
      for (let dx = -1; dx <= 1; dx++) {
        if (dz === 0 && (dy > 0 || (dy === 0 && dx >= 0))) continue;
        const nonzero = (dx ? 1 : 0) + (dy ? 1 : 0) + (dz ? 1 : 0);
        if (connectivity === 6 && nonzero > 1) continue;
        if (connectivity === 18 && nonzero > 2) continue;
        out.push([dx, dy, dz]);
      }
  return out;
}

/** Labels the nonzero voxels of `mask`. */
export function connectedComponentsReference(
  mask: Uint8Array,
  dims: Vec3,
  connectivity: Connectivity = 26,
): ComponentLabels {
  const n = checkData(mask, dims, 'mask');
  const offsets = priorOffsets(checkConnectivity(connectivity));
  const [nx, ny, nz] = dims;
  const labels = new Int32Array(n);
  let parent = new Int32Array(1024);
  let next = 1;
  const find = (a: number): number => {
    while (parent[a] !== a) {
      parent[a] = parent[parent[a]];
      a = parent[a];
    }
    return a;
  };
  const lin = offsets.map(([dx, dy, dz]) => dx + nx * (dy + ny * dz));
  let i = 0;
  for (let z = 0; z < nz; z++)
    for (let y = 0; y < ny; y++)
      for (let x = 0; x < nx; x++, i++) {
        if (mask[i] === 0) continue;
        let lab = 0;
        for (let o = 0; o < offsets.length; o++) {
          const [dx, dy, dz] = offsets[o];
          const xx = x + dx,
            yy = y + dy;
          if (xx < 0 || xx >= nx || yy < 0 || yy >= ny || z + dz < 0) continue;
          const other = labels[i + lin[o]];
          if (other === 0) continue;
          if (lab === 0) lab = find(other);
          else {
            const a = find(other);
            if (a < lab) {
              parent[lab] = a;
              lab = a;
            } else if (a > lab) parent[a] = lab;
          }
        }
        if (lab === 0) {
          if (next >= parent.length) {
            const grown = new Int32Array(parent.length * 2);
            grown.set(parent);
            parent = grown;
          }
          parent[next] = next;
          lab = next++;
        }
        labels[i] = lab;
      }
  // Provisional labels are created in raster order and merged towards the smaller one, so numbering the roots in
  // increasing order numbers the components by their first voxel.
  const final = new Int32Array(next);
  let count = 0;
  for (let l = 1; l < next; l++) {
    const r = find(l);
    final[l] = r === l ? ++count : final[r];
  }
  const sizes = new Uint32Array(count + 1);
  for (let k = 0; k < n; k++) {
    if (labels[k] !== 0) {
      labels[k] = final[labels[k]];
      sizes[labels[k]]++;
    }
  }
  return { labels, count, sizes };
}
