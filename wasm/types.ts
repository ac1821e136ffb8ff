/**
 * Types shared by the WASM kernel bindings ({@link ./kernels.ts}) and their TypeScript references (./reference).
 *
 * Volumes are passed as a flat typed array plus `dims` [nx, ny, nz] with i (x) fastest, exactly like
 * `Volume.data` / `Volume.geometry.dimensions` of `@qiview/sdk`; spacing is in mm.
 *
 * @packageDocumentation
 */
import type { Geometry, Vec3 } from '@qiview/sdk';

export type { Geometry, Vec3 };

/** Scalar input accepted by the filtering kernels (HU volumes are usually Int16). */
export type ScalarData = Float32Array | Int16Array;

/** Voxel connectivity in 3D: 6 = faces, 18 = faces + edges, 26 = faces + edges + corners. */
export type Connectivity = 6 | 18 | 26;

/**
 * Size of an ellipsoidal structuring element, per axis or one value for all axes. `mm` is physical (uses the spacing);
 * `voxels` counts voxels. A radius of 0 on an axis makes the element flat along it (e.g. `{ mm: [2, 2, 0] }` works
 * slice by slice). The element holds every voxel offset d with sum over axes (d_a / r_a)^2 <= 1 (distances in the
 * chosen unit), plus a relative tolerance of 1e-5 so lattice points exactly on the surface are included.
 */
export type StructuringRadius = { mm: number | Vec3 } | { voxels: number | Vec3 };

/** Result of connected-component labelling. */
export interface ComponentLabels {
  /** Label per voxel: 0 = background, 1..count = components numbered by their first voxel in raster order. */
  labels: Int32Array;
  /** Number of components. */
  count: number;
  /** Voxel count per label; `sizes[0]` is 0, length `count + 1`. */
  sizes: Uint32Array;
}

/** Hessian eigenvalues per voxel, sorted by magnitude: |lambda1| <= |lambda2| <= |lambda3|. */
export interface HessianEigenvalues {
  lambda1: Float32Array;
  lambda2: Float32Array;
  lambda3: Float32Array;
}

/** Options of multiscale Frangi vesselness. */
export interface VesselnessOptions {
  /** Scales (Gaussian sigma, mm): pick them over the expected vessel radii. */
  sigmasMm: number[];
  /** Plate-vs-line sensitivity (Frangi 1998); default 0.5. */
  alpha?: number;
  /** Blob-vs-line sensitivity; default 0.5. */
  beta?: number;
  /** Structureness scale. Default: half the maximum Hessian Frobenius norm, computed per scale. */
  c?: number;
  /** Gaussian truncation in sigmas; default 3. */
  truncate?: number;
}

/** Interpolation used by resampling: trilinear for images, nearest for labels. */
export type Interpolation = 'linear' | 'nearest';
