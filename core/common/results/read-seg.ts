/**
 * Reads a binary (or fractional, thresholded at 50 %) DICOM SEG back into a {@link Labelmap}, on the source
 * geometry when given, else on a grid rebuilt from the frame positions.
 *
 * @packageDocumentation
 */
import type { Geometry, Labelmap, Segment } from '@qiview/sdk';
import { dicomLabToRgb } from './cielab';
import { conceptOf, items, num, nums, str } from './dataset-helpers';
import { readDataset, type NaturalDataset } from './dcmjs';
import { framePlanes, geometryFromPlanes, sliceIndices } from './geometry-from-frames';
import { SEG_SOP_CLASS_UID } from './write-seg';

/** Concatenated bytes of a PixelData value (dcmjs gives one ArrayBuffer per fragment). */
export function pixelBytes(v: unknown): Uint8Array {
  const parts = (Array.isArray(v) ? v : [v]).filter((x) => x instanceof ArrayBuffer || ArrayBuffer.isView(x));
  if (parts.length === 0) throw new Error('no pixel data');
  const arrays = parts.map((p) =>
    p instanceof ArrayBuffer ? new Uint8Array(p) : new Uint8Array(p.buffer, p.byteOffset, p.byteLength),
  );
  if (arrays.length === 1) return arrays[0];
  const out = new Uint8Array(arrays.reduce((s, a) => s + a.length, 0));
  let o = 0;
  for (const a of arrays) {
    out.set(a, o);
    o += a.length;
  }
  return out;
}

function labelFromTracking(trackingId: string | undefined): number | undefined {
  const m = trackingId ? /:(\d{1,3})$/.exec(trackingId) : null;
  const v = m ? Number(m[1]) : NaN;
  return v >= 1 && v <= 255 ? v : undefined;
}

/** Converts a parsed SEG dataset into a labelmap. See {@link readSeg}. */
export function segDatasetToLabelmap(ds: NaturalDataset, geometry?: Geometry): Labelmap {
  if (str(ds.SOPClassUID) !== SEG_SOP_CLASS_UID) {
    throw new Error(`not a DICOM SEG (SOPClassUID ${str(ds.SOPClassUID) ?? 'missing'})`);
  }
  const rows = num(ds.Rows) ?? 0;
  const columns = num(ds.Columns) ?? 0;
  const bits = num(ds.BitsAllocated);
  const type = str(ds.SegmentationType) ?? 'BINARY';
  if (!(rows > 0 && columns > 0)) throw new Error('SEG has no Rows/Columns');
  if (type === 'BINARY' ? bits !== 1 : bits !== 8) throw new Error(`SEG ${type} with BitsAllocated ${bits}`);
  const planes = framePlanes(ds);
  const g = geometry ?? geometryFromPlanes(planes, rows, columns);
  const ks = sliceIndices(planes, g, rows, columns);
  const perFrame = items(ds.PerFrameFunctionalGroupsSequence);
  const sharedSegment = num(
    items(items(ds.SharedFunctionalGroupsSequence)[0]?.SegmentIdentificationSequence)[0]
      ?.ReferencedSegmentNumber,
  );

  // Segments: label from our TrackingID when present and unique, else the segment number.
  const segItems = items(ds.SegmentSequence);
  const trackedLabels = segItems.map((s) => labelFromTracking(str(s.TrackingID)));
  const useTracked =
    trackedLabels.every((l) => l !== undefined) && new Set(trackedLabels).size === trackedLabels.length;
  const labelOfNumber = new Map<number, number>();
  const segments: Segment[] = segItems.map((s, i) => {
    const number = num(s.SegmentNumber) ?? i + 1;
    const label = useTracked ? (trackedLabels[i] as number) : number;
    if (label > 255)
      throw new Error(`SEG has segment number ${number}: more than 255 segments cannot be a labelmap`);
    labelOfNumber.set(number, label);
    const lab = nums(s.RecommendedDisplayCIELabValue);
    const algType = str(s.SegmentAlgorithmType) as 'AUTOMATIC' | 'SEMIAUTOMATIC' | 'MANUAL' | undefined;
    const seg: Segment = {
      label,
      name: str(s.SegmentLabel) ?? `Segment ${number}`,
      color: lab.length === 3 ? dicomLabToRgb(lab as [number, number, number]) : [255, 0, 0],
    };
    const category = conceptOf(s.SegmentedPropertyCategoryCodeSequence);
    const segType = conceptOf(s.SegmentedPropertyTypeCodeSequence);
    if (category) seg.category = category;
    if (segType) seg.type = segType;
    if (algType) seg.algorithm = { type: algType, name: str(s.SegmentAlgorithmName) ?? '' };
    return seg;
  });

  const n = rows * columns;
  const [nx, ny, nz] = g.dimensions;
  const data = new Uint8Array(nx * ny * nz);
  const px = pixelBytes(ds.PixelData);
  const needed = type === 'BINARY' ? Math.ceil((planes.length * n) / 8) : planes.length * n;
  if (px.length < needed) throw new Error(`SEG pixel data has ${px.length} bytes, ${needed} needed`);
  const maxFractional = num(ds.MaximumFractionalValue) ?? 255;
  planes.forEach((_, f) => {
    const number =
      num(items(perFrame[f]?.SegmentIdentificationSequence)[0]?.ReferencedSegmentNumber) ?? sharedSegment;
    const label = number === undefined ? undefined : labelOfNumber.get(number);
    if (label === undefined) throw new Error(`SEG frame ${f + 1} references an unknown segment ${number}`);
    const base = ks[f] * n;
    if (type === 'BINARY') {
      let bit = f * n;
      for (let p = 0; p < n; p++, bit++) if (px[bit >> 3] & (1 << (bit & 7))) data[base + p] = label;
    } else {
      const off = f * n;
      for (let p = 0; p < n; p++) if (px[off + p] * 2 >= maxFractional) data[base + p] = label;
    }
  });

  const refSeries = items(ds.ReferencedSeriesSequence)[0];
  const out: Labelmap = {
    id: str(ds.SeriesInstanceUID) ?? str(ds.SOPInstanceUID) ?? 'seg',
    name: str(ds.SeriesDescription) || str(ds.ContentDescription) || 'Segmentation',
    geometry: g,
    data,
    segments,
  };
  const refUid = str(refSeries?.SeriesInstanceUID);
  if (refUid) out.referencedSeriesUid = refUid;
  return out;
}

/**
 * Reads DICOM SEG bytes into a labelmap. With `geometry` (the source series' grid) every frame must lie on one of
 * its slices; without it the grid is rebuilt from the frames. Segment labels come back as written by
 * {@link writeSeg} (its TrackingID carries the label), or as segment numbers for other writers' SEGs.
 * Throws a clear error for non-SEG or inconsistent files.
 */
export function readSeg(bytes: Uint8Array | ArrayBuffer, geometry?: Geometry): Labelmap {
  return segDatasetToLabelmap(readDataset(bytes), geometry);
}
