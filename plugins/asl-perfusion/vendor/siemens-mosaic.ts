/**
 * Siemens mosaic unpacking: a Siemens EPI "MOSAIC" image holds all slices of one volume as tiles of one large image.
 * The number of slices is NumberOfImagesInMosaic in the CSA image header (0029,1010); tiles are laid out row-major in
 * a ceil(√n) grid; the slice normal is the CSA SliceNormalVector. ImagePositionPatient of a mosaic refers to the
 * top-left of the whole mosaic, so the first slice's position is IPP + row·(cols − tileCols)/2·Δx +
 * col·(rows − tileRows)/2·Δy (the correction dcm2niix applies, nii_dicom.cpp).
 *
 * @packageDocumentation
 */
import type { InputSeries, Vec3, Volume } from '@qiview/sdk';
import { parseCsa } from './siemens';

function bytesOf(v: unknown): Uint8Array | undefined {
  if (typeof v !== 'string' || v.length === 0) return undefined;
  try {
    const bin = atob(v);
    return Uint8Array.from(bin, (c) => c.charCodeAt(0));
  } catch {
    return undefined;
  }
}

function isMosaic(dicom: Record<string, unknown>, vol: Volume): boolean {
  const it = dicom.ImageType ?? vol.metadata.tags?.ImageType;
  const s = Array.isArray(it) ? it.join('\\') : String(it ?? '');
  return /MOSAIC/i.test(s) && vol.geometry.dimensions[2] === 1;
}

/**
 * Returns the series with its mosaic frames unpacked into 3D volumes (unchanged when it is not a mosaic or the CSA
 * header lacks NumberOfImagesInMosaic).
 */
export function unpackMosaic(series: InputSeries): InputSeries {
  const vol = series.volume;
  if (!isMosaic(series.dicom, vol)) return series;
  const csa = bytesOf(series.dicom.x00291010);
  const elems = csa ? parseCsa(csa) : [];
  const n = Number(elems.find((e) => e.name === 'NumberOfImagesInMosaic')?.items[0]);
  if (!Number.isInteger(n) || n < 1) return series;
  const normal = elems.find((e) => e.name === 'SliceNormalVector')?.items.map(Number);
  const [cols, rows] = vol.geometry.dimensions;
  const grid = Math.ceil(Math.sqrt(n));
  const tx = Math.floor(cols / grid),
    ty = Math.floor(rows / grid);
  const d = vol.geometry.direction;
  const [sx, sy] = vol.geometry.spacing;
  const r: Vec3 = [d[0], d[1], d[2]],
    c: Vec3 = [d[3], d[4], d[5]];
  const k: Vec3 =
    normal && normal.length === 3 && normal.every(Number.isFinite)
      ? (normal as Vec3)
      : [r[1] * c[2] - r[2] * c[1], r[2] * c[0] - r[0] * c[2], r[0] * c[1] - r[1] * c[0]];
  const spacingZ =
    Number(series.dicom.SpacingBetweenSlices ?? vol.metadata.tags?.SpacingBetweenSlices) ||
    Number(series.dicom.SliceThickness ?? vol.metadata.sliceThickness) ||
    1;
  const o = vol.geometry.origin;
  const ox = ((cols - tx) / 2) * sx,
    oy = ((rows - ty) / 2) * sy;
  const origin: Vec3 = [0, 1, 2].map((a) => o[a]! + r[a]! * ox + c[a]! * oy) as Vec3;
  const nIn = cols * rows,
    nOut = tx * ty * n;
  const data = new Float32Array(nOut * vol.frames);
  for (let f = 0; f < vol.frames; f++)
    for (let z = 0; z < n; z++) {
      const gx = (z % grid) * tx,
        gy = Math.floor(z / grid) * ty;
      for (let j = 0; j < ty; j++)
        for (let i = 0; i < tx; i++)
          data[f * nOut + z * tx * ty + j * tx + i] = vol.data[f * nIn + (gy + j) * cols + gx + i]!;
    }
  return {
    ...series,
    volume: {
      ...vol,
      data,
      geometry: {
        dimensions: [tx, ty, n],
        spacing: [sx, sy, spacingZ],
        origin,
        direction: [r[0], r[1], r[2], c[0], c[1], c[2], k[0], k[1], k[2]],
      },
      warnings: [...vol.warnings, `Siemens mosaic unpacked: ${n} slices of ${tx}×${ty}`],
    },
  };
}
