/**
 * NIfTI-1 single-file writer (`.nii`, optionally gzipped to `.nii.gz` with fflate) for a {@link Volume}.
 * LPS (Qiview) is converted to the RAS world of NIfTI; the sform holds the exact affine and the qform the same
 * rotation as a quaternion (both code 1, scanner anatomical). Header layout: NIfTI-1 (nifti1.h, NIfTI DFWG 2004).
 *
 * @packageDocumentation
 */
import { gzipSync } from 'fflate';
import type { Volume } from '@qiview/sdk';

const DATATYPES: Array<[new (...a: any[]) => ArrayBufferView, number, number]> = [
  [Uint8Array, 2, 8],
  [Int16Array, 4, 16],
  [Int32Array, 8, 32],
  [Float32Array, 16, 32],
  [Float64Array, 64, 64],
  [Int8Array, 256, 8],
  [Uint16Array, 512, 16],
  [Uint32Array, 768, 32],
];

/** The 4×4 RAS affine (row-major) of a volume's LPS geometry. */
export function rasAffine(v: Pick<Volume, 'geometry'>): number[][] {
  const { spacing: s, origin: o, direction: d } = v.geometry;
  const flip = [-1, -1, 1];
  return [0, 1, 2].map((r) => [
    d[r] * s[0] * flip[r],
    d[3 + r] * s[1] * flip[r],
    d[6 + r] * s[2] * flip[r],
    o[r] * flip[r],
  ]);
}

/** nifti_mat44_to_quatern for an orthonormal rotation R (columns = axis directions). */
function quatern(R: number[][]): { b: number; c: number; d: number; qfac: number } {
  const r = R.map((row) => [...row]);
  const det =
    r[0][0] * (r[1][1] * r[2][2] - r[2][1] * r[1][2]) -
    r[0][1] * (r[1][0] * r[2][2] - r[2][0] * r[1][2]) +
    r[0][2] * (r[1][0] * r[2][1] - r[2][0] * r[1][1]);
  let qfac = 1;
  if (det < 0) {
    qfac = -1;
    for (let i = 0; i < 3; i++) r[i][2] = -r[i][2];
  }
  let a = r[0][0] + r[1][1] + r[2][2] + 1;
  let b: number, c: number, d: number;
  if (a > 0.5) {
    a = 0.5 * Math.sqrt(a);
    b = (0.25 * (r[2][1] - r[1][2])) / a;
    c = (0.25 * (r[0][2] - r[2][0])) / a;
    d = (0.25 * (r[1][0] - r[0][1])) / a;
  } else {
    const xd = 1 + r[0][0] - (r[1][1] + r[2][2]);
    const yd = 1 + r[1][1] - (r[0][0] + r[2][2]);
    const zd = 1 + r[2][2] - (r[0][0] + r[1][1]);
    if (xd > 1) {
      b = 0.5 * Math.sqrt(xd);
      c = (0.25 * (r[0][1] + r[1][0])) / b;
      d = (0.25 * (r[0][2] + r[2][0])) / b;
      a = (0.25 * (r[2][1] - r[1][2])) / b;
    } else if (yd > 1) {
      c = 0.5 * Math.sqrt(yd);
      b = (0.25 * (r[0][1] + r[1][0])) / c;
      d = (0.25 * (r[1][2] + r[2][1])) / c;
      a = (0.25 * (r[0][2] - r[2][0])) / c;
    } else {
      d = 0.5 * Math.sqrt(zd);
      b = (0.25 * (r[0][2] + r[2][0])) / d;
      c = (0.25 * (r[1][2] + r[2][1])) / d;
      a = (0.25 * (r[1][0] - r[0][1])) / d;
    }
    if (a < 0) {
      b = -b;
      c = -c;
      d = -d;
    }
  }
  return { b, c, d, qfac };
}

/** Options of {@link writeNifti}. */
export interface WriteNiftiOptions {
  /** Gzip the file (`.nii.gz`). Default true. */
  gzip?: boolean;
  /** Header description (80 ASCII characters at most are kept). */
  description?: string;
}

/**
 * Encodes a volume (3D, or 4D with `frames > 1`) as NIfTI-1. Voxel values are written as stored (scl_slope 1);
 * cal_min/cal_max hold the finite value range. Throws for a data length that does not match the geometry.
 */
export function writeNifti(v: Volume, options: WriteNiftiOptions = {}): Uint8Array {
  const [nx, ny, nz] = v.geometry.dimensions;
  const nVox = nx * ny * nz * v.frames;
  if (v.data.length !== nVox)
    throw new Error(`volume data has ${v.data.length} values, geometry needs ${nVox}`);
  const dt = DATATYPES.find(([C]) => v.data instanceof C);
  if (!dt) throw new Error('unsupported voxel array type');
  const [, datatype, bitpix] = dt;
  const header = new ArrayBuffer(352);
  const h = new DataView(header);
  const le = true;
  h.setInt32(0, 348, le);
  h.setUint8(38, 'r'.charCodeAt(0));
  const dims = v.frames > 1 ? [4, nx, ny, nz, v.frames, 1, 1, 1] : [3, nx, ny, nz, 1, 1, 1, 1];
  dims.forEach((x, i) => h.setInt16(40 + 2 * i, x, le));
  h.setInt16(70, datatype, le);
  h.setInt16(72, bitpix, le);
  const A = rasAffine(v);
  const R = [0, 1, 2].map((r) => [0, 1, 2].map((c) => A[r][c] / v.geometry.spacing[c]));
  const q = quatern(R);
  const tr = Number(v.metadata.tags?.RepetitionTime ?? 0) / 1000;
  const pixdim = [q.qfac, ...v.geometry.spacing, v.frames > 1 && tr > 0 ? tr : 0, 0, 0, 0];
  pixdim.forEach((x, i) => h.setFloat32(76 + 4 * i, x, le));
  h.setFloat32(108, 352, le);
  h.setFloat32(112, 1, le);
  h.setFloat32(116, 0, le);
  h.setUint8(123, 2 | 8); // mm, s
  let min = Infinity,
    max = -Infinity;
  for (let i = 0; i < v.data.length; i++) {
    const x = v.data[i];
    if (x < min) min = x;
    if (x > max) max = x;
  }
  if (min <= max) {
    h.setFloat32(124, max, le);
    h.setFloat32(128, min, le);
  }
  const desc = (options.description ?? `qiview ${v.unit}`).slice(0, 79);
  for (let i = 0; i < desc.length; i++) h.setUint8(148 + i, desc.charCodeAt(i) & 0x7f);
  h.setInt16(252, 1, le);
  h.setInt16(254, 1, le);
  h.setFloat32(256, q.b, le);
  h.setFloat32(260, q.c, le);
  h.setFloat32(264, q.d, le);
  h.setFloat32(268, A[0][3], le);
  h.setFloat32(272, A[1][3], le);
  h.setFloat32(276, A[2][3], le);
  for (let r = 0; r < 3; r++) for (let c = 0; c < 4; c++) h.setFloat32(280 + 16 * r + 4 * c, A[r][c], le);
  'n+1\0'.split('').forEach((ch, i) => h.setUint8(344 + i, ch.charCodeAt(0)));
  const out = new Uint8Array(352 + v.data.byteLength);
  out.set(new Uint8Array(header), 0);
  out.set(new Uint8Array(v.data.buffer, v.data.byteOffset, v.data.byteLength), 352);
  return options.gzip === false ? out : gzipSync(out, { level: 6 });
}
