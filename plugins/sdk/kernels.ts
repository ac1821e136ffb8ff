/**
 * Compute kernels offered to plugins through {@link AnalysisContext.kernels}: typed signatures only. The
 * implementation is WebAssembly (C + SIMD128) in `wasm/`, with a plain TypeScript reference for every kernel.
 *
 * Volumes are passed as a flat typed array plus `dims` [nx, ny, nz] with i (x) fastest, exactly like
 * `Volume.data` / `Volume.geometry.dimensions`; spacing is in mm.
 *
 * @packageDocumentation
 */
import type { Geometry, Vec3 } from './volume';

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

/** Arrays that nearest-neighbour resampling can carry (1, 2 or 4 bytes per value). */
export type LabelData =
  Uint8Array | Int8Array | Uint16Array | Int16Array | Int32Array | Uint32Array | Float32Array;

/** The compute kernels. All volumes are flat arrays with i fastest and `dims` = [nx, ny, nz]; spacing in mm. */
export interface Kernels {
  /**
   * Separable 3D Gaussian smoothing. `sigmaMm` per axis (or one value); 0 leaves an axis alone. Borders replicate the
   * edge voxel. Kernel radius ceil(truncate·σ/spacing) voxels (default truncate 3). Returns Float32Array.
   */
  gaussian(
    data: ScalarData,
    dims: Vec3,
    spacing: Vec3,
    sigmaMm: number | Vec3,
    options?: { truncate?: number },
  ): Float32Array;
  /**
   * Connected components of the nonzero voxels (default 26-connectivity). Labels 1..count follow each component's
   * first voxel in raster order; `sizes[label]` counts voxels.
   */
  connectedComponents(mask: Uint8Array, dims: Vec3, connectivity?: Connectivity): ComponentLabels;
  /**
   * Keeps the `keep` largest components (default 1; ties go to the lower label). Returns a 0/1 mask; empty input
   * gives an empty mask.
   */
  keepLargestComponents(
    mask: Uint8Array,
    dims: Vec3,
    options?: { connectivity?: Connectivity; keep?: number },
  ): Uint8Array;
  /** Keeps components with at least `minVoxels` voxels; returns a 0/1 mask. */
  removeSmallComponents(
    mask: Uint8Array,
    dims: Vec3,
    minVoxels: number,
    connectivity?: Connectivity,
  ): Uint8Array;
  /** Binary dilation with an ellipsoidal element (see {@link StructuringRadius}); exact, O(N) for any radius. */
  dilate(mask: Uint8Array, dims: Vec3, spacing: Vec3, radius: StructuringRadius): Uint8Array;
  /** Binary erosion; voxels outside the volume do not erode (they count as neither foreground nor background). */
  erode(mask: Uint8Array, dims: Vec3, spacing: Vec3, radius: StructuringRadius): Uint8Array;
  /** Opening = dilate(erode(mask)). */
  open(mask: Uint8Array, dims: Vec3, spacing: Vec3, radius: StructuringRadius): Uint8Array;
  /** Closing = erode(dilate(mask)). */
  close(mask: Uint8Array, dims: Vec3, spacing: Vec3, radius: StructuringRadius): Uint8Array;
  /**
   * Fills holes. `'3d'` (default): background not 6-connected to the volume border. `'2d'`: per slice across `axis`
   * (default 2, axial), background not 4-connected to the slice border.
   */
  fillHoles(mask: Uint8Array, dims: Vec3, options?: { mode?: '3d' | '2d'; axis?: 0 | 1 | 2 }): Uint8Array;
  /**
   * Eigenvalues of the Hessian at scale σ (mm), sorted by magnitude. The Hessian is computed with central differences
   * (mm) of the Gaussian-smoothed volume and multiplied by σ² unless `normalize: false`.
   */
  hessianEigenvalues(
    data: ScalarData,
    dims: Vec3,
    spacing: Vec3,
    sigmaMm: number,
    options?: { normalize?: boolean; truncate?: number },
  ): HessianEigenvalues;
  /**
   * Multiscale Frangi vesselness (MICCAI 1998) for bright vessels on a dark background, values in [0, 1];
   * α = β = 0.5 and c = half the maximum Hessian norm (per scale) unless given. Scale-normalised by σ².
   */
  vesselness(data: ScalarData, dims: Vec3, spacing: Vec3, options: VesselnessOptions): Float32Array;
  /**
   * Resamples from grid `from` to grid `to` (LPS geometry as in `@qiview/sdk`). `'linear'` (default) accepts
   * Float32Array or Int16Array and returns Float32Array; `'nearest'` keeps the array type (use it for labels).
   * Points outside the input get `fill` (default 0).
   */
  resample<T extends LabelData>(
    data: T,
    from: Geometry,
    to: Geometry,
    options?: { interpolation?: Interpolation; fill?: number },
  ): T extends ScalarData ? Float32Array | T : T;
  /**
   * 6-connected region growing from `seeds` ([i, j, k] voxel triples or linear indices) through voxels with
   * lo ≤ value ≤ hi. Returns a 0/1 mask; seeds outside the range grow nothing.
   */
  regionGrow(data: ScalarData, dims: Vec3, seeds: Array<Vec3 | number>, range: [number, number]): Uint8Array;
  /**
   * Exact Euclidean distance (mm) from every voxel to the nearest nonzero voxel of `mask` (0 on the mask, Infinity
   * when the mask is empty). `squared: true` returns squared distances (mm²).
   */
  distanceTransform(
    mask: Uint8Array,
    dims: Vec3,
    spacing: Vec3,
    options?: { squared?: boolean },
  ): Float32Array;
  /** Current size of the module's linear memory, in bytes. */
  readonly memoryBytes: number;
}
