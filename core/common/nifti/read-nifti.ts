/**
 * NIfTI-1/NIfTI-2 (.nii, .nii.gz) → the SDK {@link Volume}. NIfTI world coordinates are RAS; Qiview's are DICOM LPS,
 * so the x and y rows of the affine are negated. Voxel order (i fastest) is the same in both.
 *
 * @packageDocumentation
 */
import { gunzipSync } from 'fflate';
import * as nifti from 'nifti-reader-js';
import type { Direction, Vec3, Volume, VoxelArray } from '../../../plugins/sdk/volume';
import { DicomReadError } from '../dicom/dicom-read-error';

/** Options of {@link readNifti}. */
export interface ReadNiftiOptions {
  /** Shown as the series description (e.g. the file name). */
  name?: string;
  /** Unit of the voxel values when known (e.g. 'HU' for a CT), else 'arbitrary'. */
  unit?: string;
  /** Modality when known (default 'OT'). */
  modality?: string;
}

/** True for gzip data (magic 1F 8B). */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length > 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Uncompresses .nii.gz bytes (returns the input when not gzip). */
export function niftiBytes(bytes: Uint8Array): Uint8Array {
  if (!isGzip(bytes)) return bytes;
  try {
    return gunzipSync(bytes);
  } catch (e) {
    throw new DicomReadError('corrupt', `gzip data could not be inflated: ${String(e)}`);
  }
}

/** The NIfTI header of (uncompressed) bytes, or a DicomReadError. */
export function readNiftiHeader(raw: Uint8Array): nifti.NIFTI1 | nifti.NIFTI2 {
  const buf = raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength) as ArrayBuffer;
  if (raw.length < 348 || !nifti.isNIFTI(buf)) throw new DicomReadError('not-dicom', 'not a NIfTI-1/2 file');
  try {
    return nifti.readHeader(buf);
  } catch (e) {
    throw new DicomReadError('corrupt', `unreadable NIfTI header: ${String(e)}`);
  }
}

const TYPES: Record<number, { size: number; make: (b: ArrayBuffer, n: number) => VoxelArray }> = {
  2: { size: 1, make: (b, n) => new Uint8Array(b, 0, n) },
  4: { size: 2, make: (b, n) => new Int16Array(b, 0, n) },
  8: { size: 4, make: (b, n) => new Int32Array(b, 0, n) },
  16: { size: 4, make: (b, n) => new Float32Array(b, 0, n) },
  64: { size: 8, make: (b, n) => new Float64Array(b, 0, n) },
  256: { size: 1, make: (b, n) => new Int8Array(b, 0, n) },
  512: { size: 2, make: (b, n) => new Uint16Array(b, 0, n) },
  768: { size: 4, make: (b, n) => new Uint32Array(b, 0, n) },
};

/**
 * Reads a NIfTI-1/2 file (optionally gzip-compressed) as a {@link Volume}.
 *
 * Geometry: the affine nifti-reader-js selects (qform when its code ≥ the sform code and > 0, else sform, else
 * pixdim only with a warning), converted RAS → LPS. Values: `scl_slope`/`scl_inter` applied when set (→ Float32);
 * float64 data become Float32. Dimensions 4…7 are flattened into frames.
 *
 * @throws DicomReadError `not-dicom` (not NIfTI), `truncated`, `unsupported` (data type), `corrupt`.
 */
export function readNifti(bytes: Uint8Array, options: ReadNiftiOptions = {}): Volume {
  const raw = niftiBytes(bytes);
  const h = readNiftiHeader(raw);
  const warnings: string[] = [];
  const nd = Math.max(1, Math.min(7, h.dims[0]));
  const dim = (i: number) => (i <= nd ? Math.max(1, h.dims[i]) : 1);
  const [nx, ny, nz] = [dim(1), dim(2), dim(3)];
  const frames = dim(4) * dim(5) * dim(6) * dim(7);
  const t = TYPES[h.datatypeCode];
  if (!t) throw new DicomReadError('unsupported', `NIfTI data type ${h.datatypeCode} is not supported`);
  const n = nx * ny * nz * frames;
  const start = Number(h.vox_offset) || 352;
  if (start + n * t.size > raw.length) {
    throw new DicomReadError(
      'truncated',
      `truncated: NIfTI image needs ${n * t.size} bytes after offset ${start}`,
    );
  }
  const copy = raw.slice(start, start + n * t.size);
  if (!h.littleEndian && t.size > 1) {
    for (let i = 0; i < copy.length; i += t.size) copy.subarray(i, i + t.size).reverse();
  }
  let data = t.make(copy.buffer as ArrayBuffer, n);
  const slope = h.scl_slope,
    inter = h.scl_inter;
  if (Number.isFinite(slope) && slope !== 0 && (slope !== 1 || (Number.isFinite(inter) && inter !== 0))) {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = data[i] * slope + inter;
    data = out;
  } else if (data instanceof Float64Array) {
    data = Float32Array.from(data);
  }

  const A = h.affine;
  if (!(h.qform_code > 0) && !(h.sform_code > 0)) {
    warnings.push('NIfTI has neither qform nor sform: orientation unknown, pixdim used with RAS axes');
  }
  // RAS → LPS: negate rows x and y
  const col = (c: number): Vec3 => [-A[0][c], -A[1][c], A[2][c]];
  const cols = [col(0), col(1), col(2)];
  const spacing = cols.map((v) => Math.hypot(v[0], v[1], v[2]) || 1) as Vec3;
  const direction = cols.flatMap((v, a) => v.map((x) => x / spacing[a] || 0)) as Direction;
  const origin: Vec3 = [-A[0][3] || 0, -A[1][3] || 0, A[2][3] || 0];
  const d = direction;
  const dot = (a: number, b: number) =>
    d[3 * a] * d[3 * b] + d[3 * a + 1] * d[3 * b + 1] + d[3 * a + 2] * d[3 * b + 2];
  if (Math.abs(dot(0, 1)) > 1e-3 || Math.abs(dot(0, 2)) > 1e-3 || Math.abs(dot(1, 2)) > 1e-3) {
    warnings.push('NIfTI affine has shear: directions are not orthogonal, geometry is approximate');
  }
  const tr = h.pixDims[4];
  return {
    geometry: { dimensions: [nx, ny, nz], spacing, origin, direction },
    data,
    frames,
    unit: options.unit ?? 'arbitrary',
    metadata: {
      modality: options.modality ?? 'OT',
      seriesDescription: options.name ?? (h.description?.trim() || undefined),
      tags: {
        NiftiDescription: h.description?.trim() ?? '',
        NiftiDatatype: h.datatypeCode,
        NiftiQformCode: h.qform_code,
        NiftiSformCode: h.sform_code,
        ...(frames > 1 && tr ? { NiftiTimeStep: tr } : {}),
      },
      ...(frames > 1 ? { frameInfo: Array.from({ length: frames }, (_, f) => ({ frameIndex: f })) } : {}),
    },
    warnings,
  };
}
