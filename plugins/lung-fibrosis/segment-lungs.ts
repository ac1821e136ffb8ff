/**
 * Lung segmentation with the WASM kernels, built to keep dense pathology (fibrosis, honeycombing, ground glass)
 * inside the mask:
 * 1. smooth (Gaussian σ 1 mm), body = largest component above −500 HU with holes filled slice by slice;
 * 2. air inside the body below −400 HU (Hu, Hoffman & Reinhardt, IEEE TMI 2001 use an optimal threshold near
 *    −400..−500 HU between lung and soft tissue);
 * 3. trachea found on the highest slices as a round central air region, grown through the airways with an explosion
 *    guard (region growing in [−1100, T] HU for T = −975..−900, stopping when the volume jumps), then removed;
 * 4. lungs = the largest air components with a lung-like mean density; joined lungs are split by erosion + nearest
 *    core, otherwise along the body midline; right/left by the LPS x of their centroids;
 * 5. dense pathology: per lung, region growing from the air lung (plus small subpleural air cysts) through voxels
 *    ≤ −200 HU (smoothed) inside a 25 mm pleural rind, then closing (4 mm) restricted to voxels below −50 HU and
 *    3D + 2D hole filling. The rind keeps the growth next to the lung, the −200 HU bound keeps it out of fat and
 *    muscle (fat ≈ −100 HU);
 * 6. trachea/bronchi (lumen plus a 3 mm wall shell) are removed from the final mask.
 *
 * @packageDocumentation
 */
import type { Geometry, Kernels, Vec3, Volume } from '@qiview/sdk';
import { boundingBox, boxDims, crop, mmToVox, paste, sliceUp, type Box } from './grid';

/** Thresholds of the kernel pipeline (HU and mm), with the reason for each. */
export const SEGMENTATION_THRESHOLDS = {
  /** Body vs outside air. */
  bodyHu: -500,
  /** Air-filled lung vs soft tissue (Hu et al., IEEE TMI 2001: optimal threshold ≈ −400..−500 HU). */
  airHu: -400,
  /** Dense lung that may be grown into from the air lung; above fat (−100 HU) with a 100 HU margin. */
  denseGrowHu: -200,
  /** Closing additions must stay below this (excludes muscle, vessels, bone ≥ 0 HU). */
  closingMaxHu: -50,
  /** Pleural rind the dense growth may occupy, mm (subpleural fibrosis is up to 2–3 cm thick). */
  rindMm: 25,
  /** Closing radius for septa and cyst walls, mm. */
  closingMm: 4,
  /** Subpleural cyst walls within this distance of a small air cyst are lung, mm (honeycomb walls are 1–3 mm). */
  cystWallMm: 2.5,
  /**
   * In-slice holes up to this area are lung (vessel and septum cross-sections, ≤ ~2 cm across); larger ones are not
   * (the dome of the liver or the heart seen as an island in an axial slice), mm².
   */
  maxHole2dMm2: 300,
  /** Raw HU below which a voxel is gas (bowel, airway lumen), not parenchyma. */
  gasHu: -950,
  /**
   * An air component with more than this fraction of gas voxels is bowel or airway, not lung: lung parenchyma is
   * about −850 HU, and even severe emphysema rarely exceeds 50 % LAA-950.
   */
  maxGasFraction: 0.5,
  /** An air component whose mean (smoothed) HU is above this is a partial-volume gap (table, skin folds), not lung. */
  lungMeanMaxHu: -680,
  /** A boundary voxel denser than this (the air threshold) next to aerated lung is partial volume with the chest wall. */
  partialVolumeHu: -400,
  /** "Aerated" neighbour: an in-mask 6-neighbour between the gas bound (−950 HU) and this (normal parenchyma). */
  aeratedNeighbourHu: -700,
  /** Airway wall shell removed around the airway lumen, mm. */
  airwayWallMm: 3,
} as const;

/** Result of {@link segmentLungs}. */
export interface LungSegmentation {
  /** 0 = not lung, 1 = right lung, 2 = left lung (full grid). */
  labels: Uint8Array;
  /** 1 on the detected trachea/bronchi lumen (full grid). */
  airway: Uint8Array;
  /** Volumes in ml. */
  volumeMl: { right: number; left: number };
  /** Whether the trachea was found (false e.g. on abdominal scans with lung bases only). */
  tracheaFound: boolean;
  /** Whether the lungs touch the first or last slice (not fully in the field of view). */
  truncated: boolean;
  /** Plain-language notes (e.g. "lungs were joined and split at the midline"). */
  notes: string[];
}

/** Converts any voxel array to something the kernels accept. */
export function toKernelData(v: Volume): Int16Array | Float32Array {
  if (v.data instanceof Int16Array || v.data instanceof Float32Array) return v.data;
  return Float32Array.from(v.data as ArrayLike<number>);
}

function floodSlice2d(
  mask: Uint8Array,
  nx: number,
  ny: number,
  start: number,
  out: Int32Array,
  label: number,
): number[] {
  const stack = [start];
  const members: number[] = [];
  out[start] = label;
  while (stack.length) {
    const q = stack.pop()!;
    members.push(q);
    const i = q % nx,
      j = (q - i) / nx;
    const nb = [i > 0 ? q - 1 : -1, i < nx - 1 ? q + 1 : -1, j > 0 ? q - nx : -1, j < ny - 1 ? q + nx : -1];
    for (const r of nb)
      if (r >= 0 && mask[r] && !out[r]) {
        out[r] = label;
        stack.push(r);
      }
  }
  return members;
}

/** Finds a trachea seed: a round, central air region on the highest slices. Returns a linear index or -1. */
function findTracheaSeed(sm: Float32Array, body: Uint8Array, dims: Vec3, spacing: Vec3, up: number): number {
  const [nx, ny, nz] = dims;
  const px = spacing[0] * spacing[1];
  const slice = new Uint8Array(nx * ny);
  const lab = new Int32Array(nx * ny);
  const maxSlices = Math.min(nz, Math.ceil(60 / spacing[2]));
  for (let s = 0; s < maxSlices; s++) {
    const k = up >= 0 ? nz - 1 - s : s;
    const off = k * nx * ny;
    let bodyN = 0,
      bx = 0,
      by = 0;
    for (let q = 0; q < nx * ny; q++) {
      slice[q] = body[off + q] && sm[off + q] < -900 ? 1 : 0;
      if (body[off + q]) {
        bodyN++;
        bx += q % nx;
        by += Math.floor(q / nx);
      }
    }
    if (bodyN < 100) continue;
    const cx = bx / bodyN,
      cy = by / bodyN;
    lab.fill(0);
    let label = 0;
    let best = -1,
      bestD = Infinity;
    for (let q = 0; q < nx * ny; q++) {
      if (!slice[q] || lab[q]) continue;
      const m = floodSlice2d(slice, nx, ny, q, lab, ++label);
      const area = m.length * px;
      if (area < 50 || area > 900) continue;
      let si = 0,
        sj = 0;
      for (const r of m) {
        si += r % nx;
        sj += Math.floor(r / nx);
      }
      const ci = si / m.length,
        cj = sj / m.length;
      // roundness: bounding extent vs area of a disc
      let maxR2 = 0;
      for (const r of m) {
        const di = ((r % nx) - ci) * spacing[0],
          dj = (Math.floor(r / nx) - cj) * spacing[1];
        maxR2 = Math.max(maxR2, di * di + dj * dj);
      }
      if (area < 0.35 * Math.PI * maxR2) continue;
      const dx = Math.abs(ci - cx) * spacing[0];
      // the trachea is central: within 40 mm of the body centre left-right and 60 mm front-back
      if (dx > 40 || Math.abs(cj - cy) * spacing[1] > 60) continue;
      if (dx < bestD) {
        bestD = dx;
        best = off + Math.round(ci) + nx * Math.round(cj);
      }
    }
    if (best >= 0 && sm[best] < -900) return best;
  }
  return -1;
}

/**
 * Segments left and right lungs on a CT volume (HU). Throws nothing: an empty result (both volumes 0) means no lungs.
 */
export function segmentLungs(volume: Volume, kernels: Kernels): LungSegmentation {
  const T = SEGMENTATION_THRESHOLDS;
  const g = volume.geometry;
  const dims = g.dimensions;
  const sp = g.spacing;
  const n = dims[0] * dims[1] * dims[2];
  const notes: string[] = [];
  const hu = toKernelData(volume);
  const sm = kernels.gaussian(hu, dims, sp, [1, 1, Math.min(1, sp[2] / 2)]);

  // 1. body
  const hi = new Uint8Array(n);
  for (let q = 0; q < n; q++) hi[q] = sm[q] > T.bodyHu ? 1 : 0;
  let body = kernels.keepLargestComponents(hi, dims, { connectivity: 6 });
  body = kernels.fillHoles(body, dims, { mode: '2d', axis: 2 });

  // 2. air inside the body
  const air = new Uint8Array(n);
  for (let q = 0; q < n; q++) air[q] = body[q] && sm[q] < T.airHu ? 1 : 0;

  // 3. trachea and main bronchi
  const up = sliceUp(g);
  const seed = findTracheaSeed(sm, body, dims, sp, up);
  let airway: Uint8Array = new Uint8Array(n);
  if (seed >= 0) {
    let prevN = 0;
    for (const t of [-975, -950, -925, -900]) {
      const grown = kernels.regionGrow(sm, dims, [seed], [-1100, t]);
      let c = 0;
      for (let q = 0; q < n; q++) c += grown[q];
      const ml = (c * sp[0] * sp[1] * sp[2]) / 1000;
      if (ml > 400 || (prevN > 0 && c > 2.5 * prevN)) break;
      airway = grown;
      prevN = c;
    }
  } else {
    notes.push('trachea not found on the upper slices: no airway exclusion');
  }
  const airwayShell = new Uint8Array(n);
  const airwayBox = boundingBox(airway, dims, mmToVox(g, T.airwayWallMm + 1));
  if (airwayBox) {
    const shell = kernels.dilate(crop(airway, dims, airwayBox), boxDims(airwayBox), sp, {
      mm: T.airwayWallMm,
    });
    paste(airwayShell, dims, shell, airwayBox);
  }

  // 4. lung components
  const lungAir = new Uint8Array(n);
  for (let q = 0; q < n; q++) lungAir[q] = air[q] && !airwayShell[q] ? 1 : 0;
  const cc = kernels.connectedComponents(lungAir, dims, 6);
  const voxMl = (sp[0] * sp[1] * sp[2]) / 1000;
  const sum = new Float64Array(cc.count + 1);
  const gas = new Float64Array(cc.count + 1);
  const sumX = new Float64Array(cc.count + 1);
  const [nx, ny] = dims;
  for (let q = 0; q < n; q++) {
    const l = cc.labels[q];
    if (!l) continue;
    sum[l] += sm[q];
    sumX[l] += q % nx;
    if (hu[q] < T.gasHu) gas[l]++;
  }
  const candidates: number[] = [];
  for (let l = 1; l <= cc.count; l++) {
    const ml = cc.sizes[l] * voxMl;
    const mean = sum[l] / cc.sizes[l];
    if (ml >= 15 && mean < T.lungMeanMaxHu && gas[l] / cc.sizes[l] <= T.maxGasFraction) candidates.push(l);
  }
  candidates.sort((a, b) => cc.sizes[b] - cc.sizes[a]);
  const labels = new Uint8Array(n);
  if (candidates.length === 0) {
    return {
      labels,
      airway,
      volumeMl: { right: 0, left: 0 },
      tracheaFound: seed >= 0,
      truncated: false,
      notes,
    };
  }
  const c1 = candidates[0];
  const parts: Uint8Array[] = [];
  const keepSecond = candidates.length > 1 && cc.sizes[candidates[1]] >= 0.1 * cc.sizes[c1];
  const m1 = new Uint8Array(n);
  for (let q = 0; q < n; q++) m1[q] = cc.labels[q] === c1 ? 1 : 0;
  if (keepSecond) {
    const m2 = new Uint8Array(n);
    for (let q = 0; q < n; q++) m2[q] = cc.labels[q] === candidates[1] ? 1 : 0;
    parts.push(m1, m2);
  } else {
    // one component: joined lungs (crosses the body midline substantially) or a single lung
    let bodyX = 0,
      bodyN = 0;
    for (let q = 0; q < n; q++)
      if (body[q]) {
        bodyX += q % nx;
        bodyN++;
      }
    const mid = bodyX / bodyN;
    let leftN = 0,
      rightN = 0;
    const margin = 20 / sp[0];
    for (let q = 0; q < n; q++) {
      if (!m1[q]) continue;
      const i = q % nx;
      if (i < mid - margin) leftN++;
      else if (i > mid + margin) rightN++;
    }
    const size = cc.sizes[c1];
    if (Math.min(leftN, rightN) > 0.15 * size) {
      parts.push(...splitJoined(m1, dims, sp, kernels, mid, notes));
    } else parts.push(m1);
  }

  // side by LPS x of the centroid (x grows towards patient left)
  const d = g.direction;
  const sideOf = (m: Uint8Array) => {
    let si = 0,
      sj = 0,
      sk = 0,
      c = 0;
    let q = 0;
    for (let k = 0; k < dims[2]; k++)
      for (let j = 0; j < ny; j++)
        for (let i = 0; i < nx; i++, q++) {
          if (!m[q]) continue;
          si += i;
          sj += j;
          sk += k;
          c++;
        }
    const x = g.origin[0] + (si / c) * sp[0] * d[0] + (sj / c) * sp[1] * d[3] + (sk / c) * sp[2] * d[6];
    return x;
  };
  const xs = parts.map(sideOf);
  let order: Array<1 | 2>;
  if (parts.length === 2) order = xs[0] < xs[1] ? [1, 2] : [2, 1];
  else {
    // one lung only: side by its position relative to the body centre
    let bx = 0,
      bc = 0;
    for (let q = 0; q < n; q++)
      if (body[q]) {
        const i = q % nx,
          j = Math.floor(q / nx) % ny,
          k = Math.floor(q / (nx * ny));
        bx += g.origin[0] + i * sp[0] * d[0] + j * sp[1] * d[3] + k * sp[2] * d[6];
        bc++;
      }
    order = [xs[0] < bx / bc ? 1 : 2];
    notes.push('only one lung found');
  }

  // 5. dense pathology, per lung, inside a pleural rind
  const all = new Uint8Array(n);
  for (const m of parts) for (let q = 0; q < n; q++) all[q] |= m[q];
  const smallAir = new Uint8Array(n); // cysts: small air components that are not airway
  for (let q = 0; q < n; q++) {
    const l = cc.labels[q];
    if (l && !all[q] && cc.sizes[l] * voxMl < 2) smallAir[q] = 1;
  }
  // large non-lung air (bowel, oesophagus) blocks the growth
  const blocked = new Uint8Array(n);
  for (let q = 0; q < n; q++) {
    const l = cc.labels[q];
    if ((l && !all[q] && !smallAir[q]) || airwayShell[q]) blocked[q] = 1;
  }
  const margin = mmToVox(g, T.rindMm + 2);
  parts.forEach((m, p) => {
    const box = boundingBox(m, dims, margin)!;
    const bd = boxDims(box);
    const mC = crop(m, dims, box);
    const smC = crop(sm, dims, box);
    const blockedC = crop(blocked, dims, box);
    const otherC = crop(all, dims, box);
    const cystC = crop(smallAir, dims, box);
    const bodyC = crop(body, dims, box);
    const rind = kernels.dilate(mC, bd, sp, { mm: T.rindMm });
    const nb = mC.length;
    const gImg = new Float32Array(nb);
    // one seed inside the (connected) air lung, plus every cyst voxel (cysts are separate small components)
    const seeds: number[] = [];
    let anyCyst = false;
    let lungSeeded = false;
    for (let q = 0; q < nb; q++) {
      const isCyst = cystC[q] && rind[q] && !mC[q];
      const isSeed = mC[q] || isCyst;
      if ((mC[q] && !lungSeeded) || isCyst) seeds.push(q);
      if (mC[q]) lungSeeded = true;
      if (isCyst) anyCyst = true;
      const ok = rind[q] && bodyC[q] && !blockedC[q] && !(otherC[q] && !mC[q]);
      gImg[q] = isSeed ? -1000 : ok ? smC[q] : 1000;
    }
    const grown = kernels.regionGrow(gImg, bd, seeds, [-1100, T.denseGrowHu]);
    let closed = kernels.close(grown, bd, sp, { mm: T.closingMm });
    // walls of subpleural cysts (honeycombing) lie between the cysts and the chest wall, where closing cannot reach
    const cystSeed = new Uint8Array(nb);
    for (let q = 0; q < nb; q++) cystSeed[q] = cystC[q] && rind[q] ? 1 : 0;
    const nearCyst = anyCyst ? kernels.dilate(cystSeed, bd, sp, { mm: T.cystWallMm }) : cystSeed;
    for (let q = 0; q < nb; q++) {
      const soft = smC[q] < T.closingMaxHu && !blockedC[q];
      closed[q] = grown[q] || (soft && (closed[q] || nearCyst[q])) ? 1 : 0;
    }
    closed = kernels.fillHoles(closed, bd, { mode: '3d' });
    closed = fillSmallHoles2d(
      closed,
      kernels.fillHoles(closed, bd, { mode: '2d', axis: 2 }),
      bd,
      sp,
      T.maxHole2dMm2,
    );
    // peel boundary voxels that are soft tissue in the unsmoothed image (partial-volume shell of the smoothed growth)
    const huC = crop(hu, dims, box);
    const inner = kernels.erode(closed, bd, sp, { voxels: 1 });
    peelBoundary(closed, inner, huC, bd);
    closed = kernels.keepLargestComponents(closed, bd, { connectivity: 26 });
    const lab = order[p];
    const full = crop(labels, dims, box);
    const airwayC = crop(airway, dims, box);
    const shellC = crop(airwayShell, dims, box);
    for (let q = 0; q < nb; q++) {
      if (!closed[q] || full[q]) continue;
      if (airwayC[q] || (shellC[q] && (smC[q] > T.airHu || huC[q] < T.gasHu))) continue;
      full[q] = lab;
    }
    paste(labels, dims, full, box);
  });

  let right = 0,
    left = 0,
    firstLast = false;
  const slice = dims[0] * dims[1];
  for (let q = 0; q < n; q++) {
    if (!labels[q]) continue;
    if (labels[q] === 1) right++;
    else left++;
    if (q < slice || q >= n - slice) firstLast = true;
  }
  return {
    labels,
    airway,
    volumeMl: { right: right * voxMl, left: left * voxMl },
    tracheaFound: seed >= 0,
    truncated: firstLast,
    notes,
  };
}

/** Splits one component holding both lungs: erosion until two cores appear, then nearest core; else the midline. */
function splitJoined(
  m: Uint8Array,
  dims: Vec3,
  sp: Vec3,
  kernels: Kernels,
  midI: number,
  notes: string[],
): Uint8Array[] {
  const n = m.length;
  const box: Box = boundingBox(m, dims, [1, 1, 1])!;
  const bd = boxDims(box);
  const mC = crop(m, dims, box);
  for (const r of [2, 4, 6, 9, 12]) {
    const er = kernels.erode(mC, bd, sp, { mm: r });
    const cc = kernels.connectedComponents(er, bd, 6);
    if (cc.count < 2) continue;
    const idx = Array.from({ length: cc.count }, (_, i) => i + 1).sort((a, b) => cc.sizes[b] - cc.sizes[a]);
    const total = cc.sizes.reduce((s, v) => s + v, 0);
    if (cc.sizes[idx[1]] < 0.15 * total) continue;
    const a = new Uint8Array(mC.length),
      b = new Uint8Array(mC.length);
    for (let q = 0; q < mC.length; q++) {
      if (cc.labels[q] === idx[0]) a[q] = 1;
      else if (cc.labels[q] === idx[1]) b[q] = 1;
    }
    const da = kernels.distanceTransform(a, bd, sp),
      db = kernels.distanceTransform(b, bd, sp);
    const pa = new Uint8Array(mC.length),
      pb = new Uint8Array(mC.length);
    for (let q = 0; q < mC.length; q++) {
      if (!mC[q]) continue;
      if (da[q] <= db[q]) pa[q] = 1;
      else pb[q] = 1;
    }
    const fa = new Uint8Array(n),
      fb = new Uint8Array(n);
    paste(fa, dims, pa, box);
    paste(fb, dims, pb, box);
    notes.push(`lungs were joined; split after a ${r} mm erosion`);
    return [fa, fb];
  }
  const fa = new Uint8Array(n),
    fb = new Uint8Array(n);
  for (let q = 0; q < n; q++) {
    if (!m[q]) continue;
    if (q % dims[0] < midI) fa[q] = 1;
    else fb[q] = 1;
  }
  notes.push('lungs were joined; split at the body midline');
  return [fa, fb];
}

/** Adds the in-slice holes (`filled` minus `mask`, axial) whose area is at most `maxAreaMm2`. */
function fillSmallHoles2d(
  mask: Uint8Array,
  filled: Uint8Array,
  dims: Vec3,
  sp: Vec3,
  maxAreaMm2: number,
): Uint8Array {
  const [nx, ny, nz] = dims;
  const out = mask.slice();
  const plane = nx * ny;
  const hole = new Uint8Array(plane);
  const lab = new Int32Array(plane);
  const maxVox = maxAreaMm2 / (sp[0] * sp[1]);
  for (let k = 0; k < nz; k++) {
    const off = k * plane;
    let any = false;
    for (let q = 0; q < plane; q++) {
      hole[q] = filled[off + q] && !mask[off + q] ? 1 : 0;
      if (hole[q]) any = true;
    }
    if (!any) continue;
    lab.fill(0);
    let label = 0;
    for (let q = 0; q < plane; q++) {
      if (!hole[q] || lab[q]) continue;
      const members = floodSlice2d(hole, nx, ny, q, lab, ++label);
      if (members.length <= maxVox) for (const r of members) out[off + r] = 1;
    }
  }
  return out;
}

/**
 * Removes the boundary shell left by growing on a smoothed image: boundary voxels that are soft tissue (> −50 HU), and
 * boundary voxels denser than −400 HU (the air threshold) with an aerated in-mask neighbour (−950..−700 HU), i.e. partial volume of
 * normal lung with the chest wall. Boundary voxels next to dense lung (fibrosis against the pleura) stay.
 */
function peelBoundary(mask: Uint8Array, inner: Uint8Array, hu: Int16Array | Float32Array, dims: Vec3): void {
  const T = SEGMENTATION_THRESHOLDS;
  const [nx, ny, nz] = dims;
  const plane = nx * ny;
  const drop: number[] = [];
  for (let k = 0; k < nz; k++)
    for (let j = 0; j < ny; j++)
      for (let i = 0; i < nx; i++) {
        const q = i + nx * (j + ny * k);
        if (!mask[q] || inner[q]) continue;
        const v = hu[q];
        if (v > T.closingMaxHu) {
          drop.push(q);
          continue;
        }
        if (v <= T.partialVolumeHu) continue;
        let aerated = false;
        const look = (r: number) => {
          if (mask[r] && hu[r] < T.aeratedNeighbourHu && hu[r] >= T.gasHu) aerated = true;
        };
        if (i > 0) look(q - 1);
        if (i < nx - 1) look(q + 1);
        if (j > 0) look(q - nx);
        if (j < ny - 1) look(q + nx);
        if (k > 0) look(q - plane);
        if (k < nz - 1) look(q + plane);
        if (aerated) drop.push(q);
      }
  for (const q of drop) mask[q] = 0;
}

/**
 * In-plane spacing below which segmentation runs on a 2× in-plane downsampled grid (then labels are resampled back
 * with nearest neighbour): a 512² chest CT at 0.6–0.8 mm has 4× more voxels than the segmentation needs; texture and
 * densitometry still use every original voxel.
 */
export const DOWNSAMPLE_BELOW_MM = 0.9;

/** {@link segmentLungs}, on a 2× in-plane downsampled grid when the pixels are finer than {@link DOWNSAMPLE_BELOW_MM}. */
export function segmentLungsAuto(volume: Volume, kernels: Kernels): LungSegmentation {
  const g = volume.geometry;
  if (g.spacing[0] >= DOWNSAMPLE_BELOW_MM || g.spacing[1] >= DOWNSAMPLE_BELOW_MM)
    return segmentLungs(volume, kernels);
  const [nx, ny, nz] = g.dimensions;
  const d = g.direction;
  const sx = g.spacing[0] * 2,
    sy = g.spacing[1] * 2;
  const oi = (sx - g.spacing[0]) / 2,
    oj = (sy - g.spacing[1]) / 2;
  const cg: Geometry = {
    dimensions: [Math.ceil(nx / 2), Math.ceil(ny / 2), nz],
    spacing: [sx, sy, g.spacing[2]],
    direction: g.direction,
    origin: [
      g.origin[0] + oi * d[0] + oj * d[3],
      g.origin[1] + oi * d[1] + oj * d[4],
      g.origin[2] + oi * d[2] + oj * d[5],
    ],
  };
  const data = kernels.resample(toKernelData(volume), g, cg, {
    interpolation: 'linear',
    fill: -1024,
  }) as Float32Array;
  const coarse = segmentLungs({ ...volume, geometry: cg, data }, kernels);
  const labels = kernels.resample(coarse.labels, cg, g, { interpolation: 'nearest', fill: 0 }) as Uint8Array;
  const airway = kernels.resample(coarse.airway, cg, g, { interpolation: 'nearest', fill: 0 }) as Uint8Array;
  refineBoundary(labels, toKernelData(volume), g, kernels, sx);
  const voxMl = (g.spacing[0] * g.spacing[1] * g.spacing[2]) / 1000;
  let right = 0,
    left = 0;
  for (let q = 0; q < labels.length; q++) {
    if (labels[q] === 1) right++;
    else if (labels[q] === 2) left++;
  }
  return {
    ...coarse,
    labels,
    airway,
    volumeMl: { right: right * voxMl, left: left * voxMl },
    notes: [...coarse.notes, `segmented at ${sx.toFixed(2)} × ${sy.toFixed(2)} mm in-plane`],
  };
}

/**
 * Full-resolution boundary refinement after nearest-neighbour upsampling: within one coarse voxel outside each lung,
 * voxels below −50 HU that are not gas (airway lumen) join the lung; then the partial-volume peel of
 * {@link segmentLungs} runs on the fine boundary. Keeps dense subpleural lung that the coarse grid cut off.
 */
function refineBoundary(
  labels: Uint8Array,
  hu: Int16Array | Float32Array,
  g: Geometry,
  kernels: Kernels,
  bandMm: number,
): void {
  const T = SEGMENTATION_THRESHOLDS;
  const dims = g.dimensions;
  for (const lab of [1, 2]) {
    const m0 = new Uint8Array(labels.length);
    let any = false;
    for (let q = 0; q < labels.length; q++)
      if (labels[q] === lab) {
        m0[q] = 1;
        any = true;
      }
    if (!any) continue;
    const box = boundingBox(m0, dims, mmToVox(g, bandMm + 1))!;
    const bd = boxDims(box);
    const m = crop(m0, dims, box);
    const l = crop(labels, dims, box);
    const h = crop(hu, dims, box);
    const grow = kernels.dilate(m, bd, g.spacing, { mm: bandMm });
    for (let q = 0; q < m.length; q++)
      if (grow[q] && !m[q] && !l[q] && h[q] < T.closingMaxHu && h[q] >= T.gasHu) m[q] = 1;
    const inner = kernels.erode(m, bd, g.spacing, { voxels: 1 });
    peelBoundary(m, inner, h, bd);
    for (let q = 0; q < m.length; q++) {
      if (m[q] && !l[q]) l[q] = lab;
      else if (!m[q] && l[q] === lab) l[q] = 0;
    }
    paste(labels, dims, l, box);
  }
}
