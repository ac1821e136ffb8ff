/**
 * Siemens MR mosaics: one 2D image holding all slices of a volume as tiles (ImageType contains MOSAIC). This finds the
 * tile layout and the true position of each slice (ImagePositionPatient of a mosaic refers to the corner of the whole
 * mosaic; correction as in nibabel `MosaicWrapper.image_position` and dcm2niix).
 *
 * @packageDocumentation
 */
import type { Vec3 } from '../../../plugins/sdk/volume';
import { num, nums, str, strs, T } from './dataset-values';
import type { FramePixels } from './decode-frame';
import type { DataSet } from './open-dataset';
import { readCsaHeader } from './siemens-csa';

/** Layout of a mosaic. */
export interface MosaicLayout {
  /** Number of real slices (NumberOfImagesInMosaic). */
  images: number;
  /** Tiles per mosaic row and column (ceil(sqrt(images))). */
  tiles: number;
  tileRows: number;
  tileColumns: number;
  /** Unit slice normal from the CSA header (SliceNormalVector), when present. */
  normal?: Vec3;
  /** Distance between slice centres (SpacingBetweenSlices, else SliceThickness). */
  sliceSpacing: number;
}

/** Tag of a Siemens private element: finds the block reserved by `creator` in `group`. */
function privateTag(ds: DataSet, group: string, creator: string, elem: string): string | undefined {
  for (let b = 0x10; b <= 0xff; b++) {
    const hex = b.toString(16).padStart(2, '0');
    if (str(ds, `x${group}00${hex}`) === creator) return `x${group}${hex}${elem}`;
  }
  return undefined;
}

/** The mosaic layout of a data set, or undefined when it is not a Siemens mosaic. */
export function mosaicLayout(ds: DataSet): MosaicLayout | undefined {
  if (!strs(ds, T.imageType)?.includes('MOSAIC')) return undefined;
  const csaTag = privateTag(ds, '0029', 'SIEMENS CSA HEADER', '10');
  const csaEl = csaTag ? ds.elements[csaTag] : undefined;
  const csa =
    csaEl && csaEl.dataOffset + csaEl.length <= ds.byteArray.length
      ? readCsaHeader(ds.byteArray.subarray(csaEl.dataOffset, csaEl.dataOffset + csaEl.length))
      : undefined;
  let images = Number(csa?.NumberOfImagesInMosaic?.[0]);
  if (!(images > 0)) {
    const t = privateTag(ds, '0019', 'SIEMENS MR HEADER', '0a');
    images = t && ds.elements[t] ? (ds.uint16(t) ?? NaN) : NaN;
  }
  if (!(images > 1)) return undefined;
  const rows = ds.uint16(T.rows) ?? 0;
  const cols = ds.uint16(T.columns) ?? 0;
  const tiles = Math.ceil(Math.sqrt(images));
  if (rows % tiles !== 0 || cols % tiles !== 0) return undefined;
  const nv = csa?.SliceNormalVector?.map(Number);
  const normal = nv && nv.length === 3 && nv.every(Number.isFinite) ? (nv as Vec3) : undefined;
  const sliceSpacing = num(ds, 'x00180088') ?? num(ds, T.sliceThickness) ?? 1;
  return { images, tiles, tileRows: rows / tiles, tileColumns: cols / tiles, normal, sliceSpacing };
}

/**
 * LPS position of the first voxel of slice `k` of a mosaic: the mosaic's ImagePositionPatient moved from the mosaic
 * corner to the tile corner, then `k` slice spacings along the slice normal.
 */
export function mosaicSlicePosition(ds: DataSet, layout: MosaicLayout, k: number): Vec3 | undefined {
  const ipp = nums(ds, T.imagePositionPatient);
  const iop = nums(ds, T.imageOrientationPatient);
  const ps = nums(ds, T.pixelSpacing);
  if (!ipp || ipp.length < 3 || !iop || iop.length < 6 || !ps || ps.length < 2) return undefined;
  const rows = layout.tileRows * layout.tiles,
    cols = layout.tileColumns * layout.tiles;
  const dr = ((rows - layout.tileRows) / 2) * ps[0]; // along the column cosine (down the rows)
  const dc = ((cols - layout.tileColumns) / 2) * ps[1]; // along the row cosine
  const n: Vec3 = layout.normal ?? [
    iop[1] * iop[5] - iop[2] * iop[4],
    iop[2] * iop[3] - iop[0] * iop[5],
    iop[0] * iop[4] - iop[1] * iop[3],
  ];
  const dz = k * layout.sliceSpacing;
  return [0, 1, 2].map((a) => ipp[a] + iop[a] * dc + iop[3 + a] * dr + n[a] * dz) as Vec3;
}

/** Copies tile `k` (row-major tile order) out of a decoded mosaic frame. */
export function extractTile(src: FramePixels, layout: MosaicLayout, k: number): FramePixels {
  const { tiles, tileRows, tileColumns } = layout;
  const cols = tileColumns * tiles;
  const ty = Math.floor(k / tiles),
    tx = k % tiles;
  const out = new (src.constructor as new (n: number) => FramePixels)(tileRows * tileColumns);
  for (let y = 0; y < tileRows; y++) {
    const from = (ty * tileRows + y) * cols + tx * tileColumns;
    out.set(src.subarray(from, from + tileColumns) as ArrayLike<number> & FramePixels, y * tileColumns);
  }
  return out;
}
