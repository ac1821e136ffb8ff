/**
 * The one image type of Qiview. A study becomes a {@link Volume} once (at the edge: DICOM, NIfTI, DICOMweb) and
 * everything else (viewer, plugins, exporters) consumes that type.
 *
 * Conventions (fixed, so nobody has to guess):
 * - Patient coordinates are DICOM LPS, in millimetres.
 * - Voxel (i, j, k): i runs along a row (columns, fastest), j down the rows, k across slices (slowest in 3D).
 * - `geometry.origin` is the centre of voxel (0, 0, 0) in LPS (DICOM ImagePositionPatient of the first slice).
 * - `geometry.direction` is row-major [iX, iY, iZ, jX, jY, jZ, kX, kY, kZ]: the unit LPS vectors of the i, j and k
 *   axes (DICOM row cosine, column cosine, slice normal), as in Cornerstone3D.
 * - Voxel values are real-world values: rescale slope/intercept are already applied (HU for CT).
 * - A 4D series (e.g. ASL control/label pairs) keeps `frames > 1`; frame f occupies
 *   `data.subarray(f * nVoxels, (f + 1) * nVoxels)` where `nVoxels = nx * ny * nz`.
 *
 * @packageDocumentation
 */

/** A 3-vector (x, y, z) or (i, j, k). */
export type Vec3 = [number, number, number];

/** Row-major 3×3 matrix whose rows are the unit LPS directions of the i, j and k voxel axes. */
export type Direction = [number, number, number, number, number, number, number, number, number];

/** Typed arrays a volume may hold. Float32 for derived maps, Int16/Uint16 for most CT/MR. */
export type VoxelArray =
  Float32Array | Float64Array | Int16Array | Uint16Array | Int8Array | Uint8Array | Int32Array | Uint32Array;

/** Where a volume's voxels are in the patient. */
export interface Geometry {
  /** Voxel counts [nx, ny, nz]. */
  dimensions: Vec3;
  /** Voxel spacing in mm along i, j, k (k = centre-to-centre distance between slices, not slice thickness). */
  spacing: Vec3;
  /** LPS position (mm) of the centre of voxel (0,0,0). */
  origin: Vec3;
  /** See {@link Direction}. */
  direction: Direction;
}

/** Physical unit of the voxel values, as UCUM-like strings. */
export type VoxelUnit =
  'HU' | 'mg/cm3' | 'ml/100g/min' | 's' | 'ms' | 'mm' | '1' | '%' | 'arbitrary' | (string & {});

/** Identifying and acquisition metadata carried with a volume (a subset of DICOM, by keyword). */
export interface VolumeMetadata {
  /** DICOM Modality (CT, MR, PT, SEG…) or 'OT' when unknown. */
  modality: string;
  patientId?: string;
  patientName?: string;
  patientBirthDate?: string;
  patientSex?: string;
  studyInstanceUid?: string;
  seriesInstanceUid?: string;
  studyDate?: string;
  studyDescription?: string;
  seriesDescription?: string;
  seriesNumber?: number;
  bodyPartExamined?: string;
  manufacturer?: string;
  /** Slice thickness (mm) as acquired; may differ from `geometry.spacing[2]`. */
  sliceThickness?: number;
  /** Further DICOM attributes by keyword (e.g. `RepetitionTime`, `ConvolutionKernel`). JSON-serialisable values only. */
  tags?: Record<string, unknown>;
  /** Per-frame metadata for 4D volumes (e.g. ASL `volume_type`, per-frame PLD), length `frames`. */
  frameInfo?: Array<Record<string, unknown>>;
}

/** An image volume with full geometry and real-world voxel values. */
export interface Volume {
  geometry: Geometry;
  /** Voxel values, i fastest; length nx·ny·nz·frames. */
  data: VoxelArray;
  /** Number of 3D frames (1 for an ordinary volume). */
  frames: number;
  /** Unit of the voxel values. */
  unit: VoxelUnit;
  metadata: VolumeMetadata;
  /** Non-fatal problems found while building the volume (e.g. uneven slice spacing). Shown to the user. */
  warnings: string[];
}

/** Number of voxels in one 3D frame. */
export function voxelCount(g: Geometry): number {
  return g.dimensions[0] * g.dimensions[1] * g.dimensions[2];
}

/** Linear index of voxel (i, j, k) in frame 0. */
export function voxelIndex(g: Geometry, i: number, j: number, k: number): number {
  return i + g.dimensions[0] * (j + g.dimensions[1] * k);
}

/** LPS position (mm) of the centre of voxel (i, j, k). Fractional indices are allowed. */
export function voxelToWorld(g: Geometry, i: number, j: number, k: number): Vec3 {
  const [sx, sy, sz] = g.spacing;
  const d = g.direction;
  const a = i * sx,
    b = j * sy,
    c = k * sz;
  return [
    g.origin[0] + a * d[0] + b * d[3] + c * d[6],
    g.origin[1] + a * d[1] + b * d[4] + c * d[7],
    g.origin[2] + a * d[2] + b * d[5] + c * d[8],
  ];
}

/** Continuous voxel index of an LPS point. Assumes an orthonormal direction matrix (true for DICOM/NIfTI volumes). */
export function worldToVoxel(g: Geometry, p: Vec3): Vec3 {
  const d = g.direction;
  const x = p[0] - g.origin[0],
    y = p[1] - g.origin[1],
    z = p[2] - g.origin[2];
  return [
    (x * d[0] + y * d[1] + z * d[2]) / g.spacing[0],
    (x * d[3] + y * d[4] + z * d[5]) / g.spacing[1],
    (x * d[6] + y * d[7] + z * d[8]) / g.spacing[2],
  ];
}

/** Returns one 3D frame of a (possibly 4D) volume as a view (no copy). */
export function frameOf(v: Volume, f: number): Volume {
  if (f < 0 || f >= v.frames) throw new RangeError(`frame ${f} outside 0..${v.frames - 1}`);
  const n = voxelCount(v.geometry);
  return {
    ...v,
    data: v.data.subarray(f * n, (f + 1) * n) as typeof v.data,
    frames: 1,
    metadata: { ...v.metadata, frameInfo: v.metadata.frameInfo ? [v.metadata.frameInfo[f]] : undefined },
  };
}
