/**
 * Rigid motion correction of ASL volumes: intensity-based registration of each volume to a reference by Gauss-Newton
 * on six rigid parameters (compositional small-angle updates, sum of squared differences after a global intensity
 * scale, steps halved until the cost decreases), trilinear interpolation, on a subsampled set of brain voxels. Framewise displacement after Power et al.,
 * NeuroImage 2012;59:2142 (sum of absolute translation differences + rotations as arc length on a 50 mm sphere).
 *
 * @packageDocumentation
 */
import type { Geometry } from '@qiview/sdk';
import { FD_HEAD_RADIUS_MM } from './constants';

/** A rigid transform in voxel-mm space (x = index·spacing): y = A·x + b. A row-major 3×3. */
export interface RigidTransform {
  A: number[];
  b: number[];
}

/** The identity transform. */
export const IDENTITY: RigidTransform = { A: [1, 0, 0, 0, 1, 0, 0, 0, 1], b: [0, 0, 0] };

/** Trilinear sample at continuous voxel index (x, y, z); outside the grid returns NaN. */
export function trilinear(
  d: ArrayLike<number>,
  dims: readonly number[],
  x: number,
  y: number,
  z: number,
): number {
  const [nx, ny, nz] = dims as [number, number, number];
  if (x < 0 || y < 0 || z < 0 || x > nx - 1 || y > ny - 1 || z > nz - 1) return NaN;
  const x0 = Math.min(Math.floor(x), nx - 2 < 0 ? 0 : nx - 2),
    y0 = Math.min(Math.floor(y), ny - 2 < 0 ? 0 : ny - 2),
    z0 = Math.min(Math.floor(z), nz - 2 < 0 ? 0 : nz - 2);
  const fx = x - x0,
    fy = y - y0,
    fz = z - z0;
  const x1 = Math.min(x0 + 1, nx - 1),
    y1 = Math.min(y0 + 1, ny - 1),
    z1 = Math.min(z0 + 1, nz - 1);
  const sxy = nx * ny;
  const c = (i: number, j: number, k: number): number => d[i + nx * j + sxy * k]!;
  const c00 = c(x0, y0, z0) * (1 - fx) + c(x1, y0, z0) * fx;
  const c10 = c(x0, y1, z0) * (1 - fx) + c(x1, y1, z0) * fx;
  const c01 = c(x0, y0, z1) * (1 - fx) + c(x1, y0, z1) * fx;
  const c11 = c(x0, y1, z1) * (1 - fx) + c(x1, y1, z1) * fx;
  return (c00 * (1 - fy) + c10 * fy) * (1 - fz) + (c01 * (1 - fy) + c11 * fy) * fz;
}

function rodrigues(w: number[]): number[] {
  const th = Math.hypot(w[0]!, w[1]!, w[2]!);
  if (th < 1e-12) return [1, 0, 0, 0, 1, 0, 0, 0, 1];
  const [kx, ky, kz] = [w[0]! / th, w[1]! / th, w[2]! / th];
  const c = Math.cos(th),
    s = Math.sin(th),
    v = 1 - c;
  return [
    c + kx * kx * v,
    kx * ky * v - kz * s,
    kx * kz * v + ky * s,
    ky * kx * v + kz * s,
    c + ky * ky * v,
    ky * kz * v - kx * s,
    kz * kx * v - ky * s,
    kz * ky * v + kx * s,
    c + kz * kz * v,
  ];
}

function mul3(a: number[], b: number[]): number[] {
  const o = new Array<number>(9).fill(0);
  for (let r = 0; r < 3; r++)
    for (let c = 0; c < 3; c++) for (let k = 0; k < 3; k++) o[r * 3 + c]! += a[r * 3 + k]! * b[k * 3 + c]!;
  return o;
}

function solve6(H: number[], g: number[]): number[] | undefined {
  const n = 6;
  const M = H.map((v) => v);
  const x = g.map((v) => v);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r * n + c]!) > Math.abs(M[p * n + c]!)) p = r;
    if (Math.abs(M[p * n + c]!) < 1e-20) return undefined;
    if (p !== c) {
      for (let k = 0; k < n; k++) [M[c * n + k], M[p * n + k]] = [M[p * n + k]!, M[c * n + k]!];
      [x[c], x[p]] = [x[p]!, x[c]!];
    }
    for (let r = c + 1; r < n; r++) {
      const f = M[r * n + c]! / M[c * n + c]!;
      for (let k = c; k < n; k++) M[r * n + k]! -= f * M[c * n + k]!;
      x[r]! -= f * x[c]!;
    }
  }
  for (let r = n - 1; r >= 0; r--) {
    let s = x[r]!;
    for (let k = r + 1; k < n; k++) s -= M[r * n + k]! * x[k]!;
    x[r] = s / M[r * n + r]!;
  }
  return x;
}

/** Binomial [1 2 1]/4 smoothing applied `passes` times along each axis (replicated borders). */
export function smoothBinomial(d: ArrayLike<number>, dims: readonly number[], passes = 2): Float32Array {
  const [nx, ny, nz] = dims as [number, number, number];
  let a = Float32Array.from(d as ArrayLike<number>);
  let b = new Float32Array(a.length);
  const strides = [1, nx, nx * ny];
  const sizes = [nx, ny, nz];
  for (let axis = 0; axis < 3; axis++) {
    if (sizes[axis]! < 3) continue;
    const st = strides[axis]!,
      n = sizes[axis]!;
    for (let p = 0; p < passes; p++) {
      for (let v = 0; v < a.length; v++) {
        const pos = Math.floor(v / st) % n;
        const lo = pos > 0 ? a[v - st]! : a[v]!;
        const hi = pos < n - 1 ? a[v + st]! : a[v]!;
        b[v] = 0.25 * lo + 0.5 * a[v]! + 0.25 * hi;
      }
      [a, b] = [b, a];
    }
  }
  return a;
}

/** Options of {@link registerRigid}. */
export interface RigidOptions {
  /** Sample every `stride`-th voxel along each in-plane axis (default 2). */
  stride?: number;
  iterations?: number;
  /** Fixed-image voxels used: those with value above this (default: 20 % of the 98th percentile). */
  threshold?: number;
}

/**
 * Registers `moving` to `fixed` (same grid) with a rigid transform mapping fixed voxel-mm positions to moving
 * voxel-mm positions. Returns the transform, the final root-mean-square residual and that residual relative to the
 * mean fixed intensity at the sampled points (a contrast-mismatch measure: SSD is only trustworthy when it is small).
 */
export function registerRigid(
  fixed: ArrayLike<number>,
  moving: ArrayLike<number>,
  geometry: Geometry,
  options: RigidOptions = {},
): { transform: RigidTransform; rms: number; relativeRms: number } {
  const dims = geometry.dimensions;
  const [sx, sy, sz] = geometry.spacing;
  const [nx, ny, nz] = dims;
  const stride = options.stride ?? 2;
  // smooth both images: a smoother cost function and less interpolation error at sharp edges (as SPM realign does)
  fixed = smoothBinomial(fixed, dims);
  moving = smoothBinomial(moving, dims);
  let thr = options.threshold;
  if (thr === undefined) {
    const sample: number[] = [];
    for (let i = 0; i < fixed.length; i += 7) sample.push(fixed[i]!);
    sample.sort((a, b) => a - b);
    thr = 0.2 * (sample[Math.floor(0.98 * (sample.length - 1))] ?? 0);
  }
  const pts: number[] = [];
  const fv: number[] = [];
  for (let k = 0; k < nz; k++)
    for (let j = 1; j < ny - 1; j += stride)
      for (let i = 1; i < nx - 1; i += stride) {
        const v = fixed[i + nx * (j + ny * k)]!;
        if (v > thr) {
          pts.push(i * sx, j * sy, k * sz);
          fv.push(v);
        }
      }
  const np = fv.length;
  const c = [((nx - 1) * sx) / 2, ((ny - 1) * sy) / 2, ((nz - 1) * sz) / 2];
  // Samples of the moving image at clamped positions: every fixed point always contributes (nearest edge value
  // outside the grid). Dropping points that leave the grid would let the cost fall just by sliding badly matching
  // edge slices out of view (a thick-slab 3D volume of 14 slices moved by one 6 mm slice).
  const at = (x: number, y: number, z: number): number => {
    const v = trilinear(moving, dims, x, y, z);
    return Number.isNaN(v)
      ? trilinear(
          moving,
          dims,
          Math.min(Math.max(x, 0), nx - 1),
          Math.min(Math.max(y, 0), ny - 1),
          Math.min(Math.max(z, 0), nz - 1),
        )
      : v;
  };
  /** Cost (RMS residual after the global intensity scale), gradient and Gauss-Newton Hessian at (A, b). */
  const evaluate = (A: number[], b: number[]): { rms: number; H: number[]; g: number[] } => {
    // intensity scale so that contrast differences (e.g. label vs control, M0) do not bias SSD
    const mv = new Float64Array(np);
    const qx = new Float64Array(np),
      qy = new Float64Array(np),
      qz = new Float64Array(np);
    let sf = 0,
      sm = 0;
    for (let p = 0; p < np; p++) {
      const x = pts[3 * p]!,
        y = pts[3 * p + 1]!,
        z = pts[3 * p + 2]!;
      qx[p] = A[0]! * x + A[1]! * y + A[2]! * z + b[0]!;
      qy[p] = A[3]! * x + A[4]! * y + A[5]! * z + b[1]!;
      qz[p] = A[6]! * x + A[7]! * y + A[8]! * z + b[2]!;
      mv[p] = at(qx[p]! / sx, qy[p]! / sy, qz[p]! / sz);
      sf += fv[p]!;
      sm += mv[p]!;
    }
    const scale = sm > 0 ? sf / sm : 1;
    const H = new Array<number>(36).fill(0);
    const g = new Array<number>(6).fill(0);
    let sse = 0,
      used = 0;
    for (let p = 0; p < np; p++) {
      const m = mv[p]!;
      const X = qx[p]! / sx,
        Y = qy[p]! / sy,
        Z = qz[p]! / sz;
      const gx = ((at(X + 0.5, Y, Z) - at(X - 0.5, Y, Z)) * scale) / sx;
      const gy = ((at(X, Y + 0.5, Z) - at(X, Y - 0.5, Z)) * scale) / sy;
      const gz = nz > 1 ? ((at(X, Y, Z + 0.5) - at(X, Y, Z - 0.5)) * scale) / sz : 0;
      if (Number.isNaN(m + gx + gy + gz)) continue;
      const r = m * scale - fv[p]!;
      const dx = qx[p]! - c[0]!,
        dy = qy[p]! - c[1]!,
        dz = qz[p]! - c[2]!;
      // d/dω of ∇M·(ω×d) = ω·(d×∇M)
      const J = [dy * gz - dz * gy, dz * gx - dx * gz, dx * gy - dy * gx, gx, gy, gz];
      for (let a = 0; a < 6; a++) {
        g[a]! += J[a]! * r;
        for (let e = a; e < 6; e++) H[a * 6 + e]! += J[a]! * J[e]!;
      }
      sse += r * r;
      used++;
    }
    for (let a = 0; a < 6; a++) for (let e = 0; e < a; e++) H[a * 6 + e] = H[e * 6 + a]!;
    for (let a = 0; a < 6; a++) H[a * 6 + a]! *= 1.001;
    // too few overlapping points: not a usable position
    return { rms: used > np / 4 ? Math.sqrt(sse / used) : Infinity, H, g };
  };
  /** (A, b) after a compositional small-angle step [ω, t] about the grid centre. */
  const applyStep = (A: number[], b: number[], step: number[]): { A: number[]; b: number[] } => {
    const R = rodrigues(step.slice(0, 3));
    const bc = [b[0]! - c[0]!, b[1]! - c[1]!, b[2]! - c[2]!];
    return {
      A: mul3(R, A),
      b: [0, 1, 2].map(
        (r) => R[r * 3]! * bc[0]! + R[r * 3 + 1]! * bc[1]! + R[r * 3 + 2]! * bc[2]! + c[r]! + step[3 + r]!,
      ),
    };
  };
  let A = [...IDENTITY.A];
  let b = [...IDENTITY.b];
  if (np <= 20) return { transform: { A, b }, rms: Infinity, relativeRms: Infinity };
  const fixedMean = fv.reduce((a, v) => a + v, 0) / np;
  let cur = evaluate(A, b);
  const iterations = options.iterations ?? 15;
  // Gauss-Newton with step halving: a step is taken only when it lowers the cost, so the estimate never walks away
  // from a good start into a far local minimum (images of different contrast, e.g. an unsuppressed M0 against
  // background-suppressed controls, make full Gauss-Newton steps overshoot).
  for (let it = 0; it < iterations; it++) {
    const step = solve6(
      cur.H,
      cur.g.map((v) => -v),
    );
    if (!step) break;
    if (Math.hypot(step[3]!, step[4]!, step[5]!) < 1e-3 && Math.hypot(step[0]!, step[1]!, step[2]!) < 1e-5) {
      // converged: a step this small (< 1 µm) is taken without another evaluation
      ({ A, b } = applyStep(A, b, step));
      break;
    }
    let t = 1;
    let accepted: number[] | undefined;
    for (let h = 0; h < 3; h++, t /= 2) {
      const tried = step.map((v) => v * t);
      const next = applyStep(A, b, tried);
      const e = evaluate(next.A, next.b);
      if (e.rms <= cur.rms) {
        A = next.A;
        b = next.b;
        cur = e;
        accepted = tried;
        break;
      }
    }
    if (!accepted) break;
  }
  return { transform: { A, b }, rms: cur.rms, relativeRms: fixedMean > 0 ? cur.rms / fixedMean : Infinity };
}

/** Resamples `moving` through a transform onto the fixed grid (trilinear; outside → nearest valid value 0). */
export function applyRigid(moving: ArrayLike<number>, geometry: Geometry, t: RigidTransform): Float32Array {
  const [nx, ny, nz] = geometry.dimensions;
  const [sx, sy, sz] = geometry.spacing;
  const out = new Float32Array(nx * ny * nz);
  const { A, b } = t;
  let o = 0;
  for (let k = 0; k < nz; k++)
    for (let j = 0; j < ny; j++)
      for (let i = 0; i < nx; i++, o++) {
        const x = i * sx,
          y = j * sy,
          z = k * sz;
        const X = (A[0]! * x + A[1]! * y + A[2]! * z + b[0]!) / sx;
        const Y = (A[3]! * x + A[4]! * y + A[5]! * z + b[1]!) / sy;
        const Z = (A[6]! * x + A[7]! * y + A[8]! * z + b[2]!) / sz;
        const Zc = Math.min(Math.max(Z, 0), nz - 1);
        const v = trilinear(moving, geometry.dimensions, X, Y, Zc);
        out[o] = Number.isNaN(v) ? 0 : v;
      }
  return out;
}

/** Six motion parameters of a transform: translations (mm, about the grid centre) and rotations (rad, XYZ). */
export function motionParameters(t: RigidTransform, geometry: Geometry): number[] {
  const A = t.A;
  const [nx, ny, nz] = geometry.dimensions;
  const [sx, sy, sz] = geometry.spacing;
  const c = [((nx - 1) * sx) / 2, ((ny - 1) * sy) / 2, ((nz - 1) * sz) / 2];
  const tc = [0, 1, 2].map(
    (r) => A[r * 3]! * c[0]! + A[r * 3 + 1]! * c[1]! + A[r * 3 + 2]! * c[2]! + t.b[r]! - c[r]!,
  );
  const rx = Math.atan2(A[7]!, A[8]!);
  const ry = -Math.asin(Math.max(-1, Math.min(1, A[6]!)));
  const rz = Math.atan2(A[3]!, A[0]!);
  return [tc[0]!, tc[1]!, tc[2]!, rx, ry, rz];
}

/** Framewise displacement (mm) of a sequence of motion parameters (first frame 0). */
export function framewiseDisplacement(params: number[][]): number[] {
  return params.map((p, f) => {
    if (f === 0) return 0;
    const q = params[f - 1]!;
    let fd = 0;
    for (let a = 0; a < 3; a++) fd += Math.abs(p[a]! - q[a]!);
    for (let a = 3; a < 6; a++) fd += FD_HEAD_RADIUS_MM * Math.abs(p[a]! - q[a]!);
    return fd;
  });
}

/** Largest displacement (mm) of any grid corner under a transform: used to skip resampling of still volumes. */
export function maxDisplacement(t: RigidTransform, geometry: Geometry): number {
  const [nx, ny, nz] = geometry.dimensions;
  const [sx, sy, sz] = geometry.spacing;
  let m = 0;
  for (const i of [0, nx - 1])
    for (const j of [0, ny - 1])
      for (const k of [0, nz - 1]) {
        const x = i * sx,
          y = j * sy,
          z = k * sz;
        for (let r = 0; r < 3; r++) {
          const v = t.A[r * 3]! * x + t.A[r * 3 + 1]! * y + t.A[r * 3 + 2]! * z + t.b[r]!;
          m = Math.max(m, Math.abs(v - [x, y, z][r]!));
        }
      }
  return m;
}
