/**
 * Test-only NIfTI reader for the lung validation tests (the core NIfTI reader is being written in parallel): reads a
 * .nii/.nii.gz with nifti-reader-js into a {@link Volume} in LPS (RAS affine → LPS by negating x and y), scaled by
 * scl_slope/scl_inter, stored as Int16 (CT HU) or Uint8 (labels).
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import * as nifti from 'nifti-reader-js';
import type { Direction, Vec3, Volume } from '@qiview/sdk';

/** Reads a NIfTI file as a volume. `kind: 'labels'` keeps values as Uint8. */
export function readNiftiVolume(path: string, kind: 'ct' | 'labels' = 'ct'): Volume {
  let buf = readFileSync(path);
  if (buf[0] === 0x1f && buf[1] === 0x8b) buf = gunzipSync(buf);
  const ab = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;
  const header = nifti.readHeader(ab);
  const image = nifti.readImage(header, ab);
  const dims: Vec3 = [header.dims[1], header.dims[2], Math.max(1, header.dims[3])];
  const n = dims[0] * dims[1] * dims[2];
  const code = header.datatypeCode;
  const T = nifti.NIFTI1;
  const src =
    code === T.TYPE_INT16
      ? new Int16Array(image, 0, n)
      : code === T.TYPE_UINT8
        ? new Uint8Array(image, 0, n)
        : code === T.TYPE_INT32
          ? new Int32Array(image, 0, n)
          : code === T.TYPE_FLOAT32
            ? new Float32Array(image, 0, n)
            : code === T.TYPE_UINT16
              ? new Uint16Array(image, 0, n)
              : code === T.TYPE_FLOAT64
                ? new Float64Array(image, 0, n)
                : null;
  if (!src) throw new Error(`unsupported NIfTI datatype ${code}`);
  const slope = header.scl_slope && Number.isFinite(header.scl_slope) ? header.scl_slope : 1;
  const inter = Number.isFinite(header.scl_inter) ? header.scl_inter : 0;
  const data = kind === 'labels' ? new Uint8Array(n) : new Int16Array(n);
  for (let q = 0; q < n; q++) {
    const v = src[q] * slope + inter;
    data[q] = kind === 'labels' ? v : Math.max(-32768, Math.min(32767, Math.round(v)));
  }
  const A = header.affine;
  const col = (c: number): Vec3 => [-A[0][c], -A[1][c], A[2][c]];
  const norm = (v: Vec3) => Math.hypot(v[0], v[1], v[2]);
  const axes = [col(0), col(1), col(2)];
  const spacing = axes.map(norm) as Vec3;
  const direction = axes.flatMap((v, a) => v.map((x) => x / spacing[a])) as Direction;
  return {
    geometry: { dimensions: dims, spacing, origin: [-A[0][3], -A[1][3], A[2][3]], direction },
    data,
    frames: 1,
    unit: kind === 'labels' ? '1' : 'HU',
    metadata: { modality: kind === 'labels' ? 'SEG' : 'CT', sliceThickness: spacing[2] },
    warnings: [],
  };
}
