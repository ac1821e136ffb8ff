/**
 * Minimal NIfTI-1 writer for tests (single .nii, optionally gzip), with an explicit RAS affine written as both sform
 * and qform codes (sform only for non-rotations).
 *
 * @packageDocumentation
 */
import { gzipSync } from 'fflate';

/** Options of {@link writeNifti1}. */
export interface NiftiWriteOptions {
  /** [nx, ny, nz] or [nx, ny, nz, nt]. */
  dims: number[];
  /** Voxel values, i fastest. Int16Array → DT 4, Float32Array → 16, Uint8Array → 2, Int32Array → 8. */
  data: Int16Array | Float32Array | Uint8Array | Int32Array;
  /** 4×4 voxel → RAS affine (row-major rows x, y, z). Default diag(1,1,1). */
  affine?: number[][];
  sclSlope?: number;
  sclInter?: number;
  gzip?: boolean;
  /** Write sform_code (default 1). 0 leaves only pixdim. */
  sformCode?: number;
}

/** Encodes a NIfTI-1 single file. */
export function writeNifti1(o: NiftiWriteOptions): Uint8Array {
  const A = o.affine ?? [
    [1, 0, 0, 0],
    [0, 1, 0, 0],
    [0, 0, 1, 0],
  ];
  const dt =
    o.data instanceof Int16Array
      ? [4, 16]
      : o.data instanceof Float32Array
        ? [16, 32]
        : o.data instanceof Int32Array
          ? [8, 32]
          : [2, 8];
  const hdr = new ArrayBuffer(352);
  const v = new DataView(hdr);
  v.setInt32(0, 348, true);
  v.setInt16(40, o.dims.length, true);
  o.dims.forEach((d, i) => v.setInt16(42 + 2 * i, d, true));
  for (let i = o.dims.length; i < 7; i++) v.setInt16(42 + 2 * (i + 1), 1, true);
  v.setInt16(70, dt[0], true);
  v.setInt16(72, dt[1], true);
  v.setFloat32(76, 1, true); // qfac
  for (let a = 0; a < 3; a++) v.setFloat32(80 + 4 * a, Math.hypot(A[0][a], A[1][a], A[2][a]), true);
  v.setFloat32(92, 1, true);
  v.setFloat32(108, 352, true); // vox_offset
  v.setFloat32(112, o.sclSlope ?? 1, true);
  v.setFloat32(116, o.sclInter ?? 0, true);
  v.setUint8(123, 10); // xyzt_units mm + s
  v.setInt16(252, 0, true); // qform_code
  v.setInt16(254, o.sformCode ?? 1, true);
  for (let r = 0; r < 3; r++) for (let c = 0; c < 4; c++) v.setFloat32(280 + 16 * r + 4 * c, A[r][c], true);
  new Uint8Array(hdr).set(new TextEncoder().encode('n+1\0'), 344);
  const body = new Uint8Array(o.data.buffer, o.data.byteOffset, o.data.byteLength);
  const out = new Uint8Array(352 + body.length);
  out.set(new Uint8Array(hdr), 0);
  out.set(body, 352);
  return o.gzip ? gzipSync(out) : out;
}
