/**
 * The files of one DICOM series → the SDK {@link Volume}: geometry in LPS from ImagePositionPatient /
 * ImageOrientationPatient (classic or enhanced functional groups), slices ordered by geometry, real-world values
 * (rescale applied; HU for CT), 4D series as frames with per-frame info, and readable warnings.
 *
 * @packageDocumentation
 */
import type { Direction, Vec3, Volume, VoxelArray } from '../../../plugins/sdk/volume';
import { KEYWORDS } from './dicom-keywords';
import { DicomReadError, toDicomReadError } from './dicom-read-error';
import { functionalGroup, num, nums, perFrameCount, str, T } from './dataset-values';
import { decodeFrame, pixelFormatOf, type FramePixels, type PixelFormat } from './decode-frame';
import { openDataSet, type DataSet } from './open-dataset';
import { parseInstanceDataSet } from './parse-instance';
import { elementToJson, type DicomJson } from './read-attributes';
import type { InstanceLocation, InstanceRecord } from './records';
import { sortByGeometry } from './sort-by-geometry';
import { extractTile, mosaicLayout, mosaicSlicePosition, type MosaicLayout } from './siemens-mosaic';

/**
 * One file of the series: its bytes, or a `read` function. With `read`, the file is read once for its header and
 * again when its pixels are decoded, so only one file is held at a time (memory ≈ the volume + one file).
 */
export type VolumeSource =
  | { bytes: Uint8Array; location?: InstanceLocation }
  | { read: () => Promise<Uint8Array>; location?: InstanceLocation };

/** Options of {@link buildVolume}. */
export interface BuildVolumeOptions {
  /** Called after each decoded image with (done, total). */
  onProgress?: (done: number, total: number) => void;
  /** Aborts between images. */
  signal?: AbortSignal;
}

/** One 2D image (a file, or one frame of a multi-frame file) with its geometry and rescale. */
interface FrameItem {
  instance: InstanceRecord;
  /** The data set, kept only for in-memory sources (lazy ones are re-read when decoded). */
  ds?: DataSet;
  /** Index of the source. */
  source: number;
  /** Siemens mosaic tile: decode the whole frame with `fullFormat`, then cut out tile `tile`. */
  mosaic?: { layout: MosaicLayout; tile: number; fullFormat: PixelFormat };
  frame: number;
  format: PixelFormat;
  slope: number;
  intercept: number;
  info: Record<string, unknown>;
}

function frameItems(ds: DataSet, rec: InstanceRecord, source: number): FrameItem[] {
  const format = pixelFormatOf(ds);
  const nPerFrame = perFrameCount(ds);
  const baseSlope = num(ds, T.rescaleSlope) ?? 1;
  const baseIntercept = num(ds, T.rescaleIntercept) ?? 0;
  const mosaic = format.numberOfFrames === 1 && nPerFrame === 0 ? mosaicLayout(ds) : undefined;
  if (mosaic) {
    const items: FrameItem[] = [];
    for (let k = 0; k < mosaic.images; k++) {
      items.push({
        instance: {
          ...rec,
          sopInstanceUid: `${rec.sopInstanceUid}#s${k + 1}`,
          rows: mosaic.tileRows,
          columns: mosaic.tileColumns,
          imagePositionPatient: mosaicSlicePosition(ds, mosaic, k),
        },
        ds,
        source,
        frame: 0,
        format: { ...format, rows: mosaic.tileRows, columns: mosaic.tileColumns },
        mosaic: { layout: mosaic, tile: k, fullFormat: format },
        slope: baseSlope || 1,
        intercept: baseIntercept,
        info: {
          instanceNumber: rec.instanceNumber,
          acquisitionNumber: rec.acquisitionNumber,
          acquisitionTime: str(ds, 'x00080032'),
          echoTime: num(ds, 'x00180081'),
        },
      });
    }
    return items;
  }
  if (format.numberOfFrames === 1 && nPerFrame === 0) {
    return [
      {
        instance: rec,
        ds,
        source,
        frame: 0,
        format,
        slope: baseSlope || 1,
        intercept: baseIntercept,
        info: {
          instanceNumber: rec.instanceNumber,
          acquisitionNumber: rec.acquisitionNumber,
          temporalPositionIdentifier: rec.temporalPositionIdentifier,
          acquisitionTime: str(ds, 'x00080032'),
          triggerTime: num(ds, 'x00181060'),
          echoTime: num(ds, 'x00180081'),
          // Philips private MRImageLabelType (2005,1429): CONTROL / LABEL of an ASL image, per file
          ...(str(ds, 'x20051429') ? { MRImageLabelType: str(ds, 'x20051429') } : {}),
        },
      },
    ];
  }
  const items: FrameItem[] = [];
  for (let f = 0; f < format.numberOfFrames; f++) {
    const pos = nums(functionalGroup(ds, f, T.planePositionSeq), T.imagePositionPatient);
    const ori = nums(functionalGroup(ds, f, T.planeOrientationSeq), T.imageOrientationPatient);
    const meas = functionalGroup(ds, f, T.pixelMeasuresSeq);
    const pvt = functionalGroup(ds, f, T.pixelValueTransformSeq);
    const content = functionalGroup(ds, f, T.frameContentSeq);
    const temporal = content?.elements[T.temporalPositionIndex]
      ? content.uint32(T.temporalPositionIndex)
      : undefined;
    const stackPos = content?.elements.x00209057 ? content.uint32('x00209057') : undefined;
    const spacing = nums(meas, T.pixelSpacing);
    const hasPerFrameGeo = nPerFrame > 0 && pos && pos.length >= 3;
    items.push({
      instance: {
        ...rec,
        sopInstanceUid: `${rec.sopInstanceUid}#${f + 1}`,
        numberOfFrames: 1,
        instanceNumber: f + 1,
        imagePositionPatient: hasPerFrameGeo ? (pos.slice(0, 3) as Vec3) : undefined,
        imageOrientationPatient: (ori && ori.length >= 6 ? ori.slice(0, 6) : rec.imageOrientationPatient) as
          InstanceRecord['imageOrientationPatient'] | undefined,
        pixelSpacing: (spacing?.slice(0, 2) as [number, number] | undefined) ?? rec.pixelSpacing,
        acquisitionNumber: undefined,
        temporalPositionIdentifier: temporal,
      },
      ds,
      source,
      frame: f,
      format,
      slope: num(pvt, T.rescaleSlope) ?? baseSlope ?? 1,
      intercept: num(pvt, T.rescaleIntercept) ?? baseIntercept,
      info: { frameNumber: f + 1, temporalPositionIndex: temporal, inStackPositionNumber: stackPos },
    });
  }
  return items;
}

/** Scalar attributes by keyword (no sequences, no private tags) for `metadata.tags`. */
function keywordTags(ds: DataSet): Record<string, DicomJson> {
  const out: Record<string, DicomJson> = {};
  for (const [tag, el] of Object.entries(ds.elements)) {
    const k = KEYWORDS.get(tag);
    if (!k || k.vr === 'SQ' || el.items) continue;
    out[k.keyword] = elementToJson(ds, tag, el);
  }
  return out;
}

function unitOf(ds: DataSet, modality: string): string {
  const rescaleType =
    str(ds, T.rescaleType) ?? str(functionalGroup(ds, 0, T.pixelValueTransformSeq), T.rescaleType);
  if (modality === 'CT') return 'HU';
  if (rescaleType && rescaleType !== 'US') return rescaleType;
  return 'arbitrary';
}

/** Range of stored values a format can hold. */
function storedRange(f: PixelFormat): [number, number] {
  if (f.pixelRepresentation === 1) return [-(2 ** (f.bitsStored - 1)), 2 ** (f.bitsStored - 1) - 1];
  return [0, 2 ** f.bitsStored - 1];
}

/** Writes `slope·src + intercept` into dst at `offset`; returns false when a value does not fit an Int16 target. */
function rescaleInto(
  src: FramePixels,
  dst: VoxelArray,
  offset: number,
  slope: number,
  intercept: number,
): boolean {
  const n = src.length;
  if (dst instanceof Int16Array) {
    let ok = true;
    if (slope === 1) {
      for (let p = 0; p < n; p++) {
        const v = src[p] + intercept;
        dst[offset + p] = v;
        if (v < -32768 || v > 32767) ok = false;
      }
    } else {
      for (let p = 0; p < n; p++) {
        const v = src[p] * slope + intercept;
        dst[offset + p] = v;
        if (v < -32768 || v > 32767) ok = false;
      }
    }
    return ok;
  }
  if (slope === 1 && intercept === 0) {
    dst.set(src, offset);
    return true;
  }
  for (let p = 0; p < n; p++) dst[offset + p] = src[p] * slope + intercept;
  return true;
}

function cross(a: number[], b: number[]): Vec3 {
  return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}

/**
 * Builds a {@link Volume} from the files of one series (any order). Images are ordered by {@link sortByGeometry};
 * enhanced multi-frame objects contribute one image per frame (PlanePositionSequence, PixelMeasuresSequence and
 * PixelValueTransformationSequence per frame). Voxels are written once into a single preallocated array: Int16 when
 * the rescaled range fits (HU), Uint16 for unrescaled 16-bit unsigned data, else Float32.
 *
 * @throws DicomReadError when no file is usable (the first file's error), when images differ in size or are colour
 *   (`unsupported`), or for decoding failures (`corrupt`, `truncated`). Unusable files among usable ones are skipped
 *   with a warning.
 */
export async function buildVolume(
  sources: readonly VolumeSource[],
  options: BuildVolumeOptions = {},
): Promise<Volume> {
  const warnings: string[] = [];
  const items: FrameItem[] = [];
  let firstError: DicomReadError | undefined;
  let skipped = 0;
  const seriesUids = new Set<string>();
  const readSource = async (i: number): Promise<Uint8Array> => {
    const s = sources[i];
    return 'bytes' in s ? s.bytes : s.read();
  };
  for (let i = 0; i < sources.length; i++) {
    options.signal?.throwIfAborted();
    const location = sources[i].location ?? { kind: 'memory', id: `#${i}` };
    try {
      const ds = openDataSet(await readSource(i));
      const rec = parseInstanceDataSet(ds, location).instance;
      seriesUids.add(rec.seriesInstanceUid);
      const its = frameItems(ds, rec, i);
      if (!('bytes' in sources[i])) for (const it of its) it.ds = undefined;
      items.push(...its);
    } catch (e) {
      if (options.signal?.aborted) throw e;
      firstError ??= toDicomReadError(e, 'unreadable DICOM');
      skipped++;
    }
  }
  // mosaics: the last decoded full frame (all tiles of one file come from one decode)
  let lastMosaic: { source: number; frame: number; px: FramePixels } | undefined;
  const decodeItem = async (it: FrameItem): Promise<FramePixels> => {
    if (!it.mosaic) return decodeFrame(await dataSetOf(it), it.frame, it.format);
    if (lastMosaic?.source !== it.source || lastMosaic.frame !== it.frame) {
      const px = await decodeFrame(await dataSetOf(it), it.frame, it.mosaic.fullFormat);
      lastMosaic = { source: it.source, frame: it.frame, px };
    }
    return extractTile(lastMosaic.px, it.mosaic.layout, it.mosaic.tile);
  };
  // lazy sources: the last re-read data set (multi-frame files decode many frames from one read)
  let cached: { source: number; ds: DataSet } | undefined;
  const dataSetOf = async (it: FrameItem): Promise<DataSet> => {
    if (it.ds) return it.ds;
    if (cached?.source !== it.source)
      cached = { source: it.source, ds: openDataSet(await readSource(it.source)) };
    return cached.ds;
  };
  if (!items.length)
    throw firstError ?? new DicomReadError('missing-tags', 'no images to build a volume from');
  if (skipped)
    warnings.push(`${skipped} file(s) could not be read and were left out (${firstError!.reason})`);
  if (seriesUids.size > 1) warnings.push(`files from ${seriesUids.size} series were combined`);

  const f0 = items[0].format;
  if (f0.samplesPerPixel !== 1) {
    throw new DicomReadError(
      'unsupported',
      `colour images (${f0.photometricInterpretation}) cannot form a volume`,
    );
  }
  if (items.some((it) => it.format.rows !== f0.rows || it.format.columns !== f0.columns)) {
    throw new DicomReadError('unsupported', 'images of different sizes in one series cannot form a volume');
  }
  const sorted = sortByGeometry(items);
  warnings.push(...sorted.warnings);
  const nx = f0.columns,
    ny = f0.rows;
  const nz = sorted.frames[0].length;
  const nFrames = sorted.frames.length;
  const nVox = nx * ny * nz;

  // output type
  const slopes = new Set(items.map((i) => i.slope));
  const integral = items.every((i) => Number.isInteger(i.slope) && Number.isInteger(i.intercept));
  let lo = Infinity,
    hi = -Infinity;
  for (const it of items) {
    const [a, b] = storedRange(it.format);
    const x = a * it.slope + it.intercept,
      y = b * it.slope + it.intercept;
    lo = Math.min(lo, x, y);
    hi = Math.max(hi, x, y);
  }
  const isFloat = items.some((i) => i.format.floatPixels);
  let data: VoxelArray;
  if (
    !isFloat &&
    integral &&
    slopes.size === 1 &&
    items[0].slope === 1 &&
    items[0].intercept === 0 &&
    lo >= 0 &&
    hi <= 65535 &&
    f0.bitsAllocated === 16 &&
    f0.pixelRepresentation === 0 &&
    hi > 32767
  ) {
    data = new Uint16Array(nVox * nFrames);
  } else if (!isFloat && integral) {
    // Int16 when the rescaled values fit; checked per value below (bitsStored often overstates the range)
    data = new Int16Array(nVox * nFrames);
  } else {
    data = new Float32Array(nVox * nFrames);
  }

  let done = 0;
  const total = nz * nFrames;
  for (let f = 0; f < nFrames; f++) {
    for (let k = 0; k < nz; k++) {
      options.signal?.throwIfAborted();
      const it = sorted.frames[f][k];
      const px = await decodeItem(it);
      const offset = f * nVox + k * nx * ny;
      if (!rescaleInto(px, data, offset, it.slope, it.intercept)) {
        // out of Int16 range: switch to Float32 and redo this image
        const wide: Float32Array = new Float32Array(data.length);
        wide.set(data.subarray(0, offset));
        data = wide;
        rescaleInto(px, data, offset, it.slope, it.intercept);
      }
      options.onProgress?.(++done, total);
    }
  }

  // geometry
  const rec0 = sorted.frames[0][0].instance;
  const ps = rec0.pixelSpacing;
  if (!ps) warnings.push('no PixelSpacing: 1 mm assumed');
  let direction: Direction = [1, 0, 0, 0, 1, 0, 0, 0, 1];
  let origin: Vec3 = [0, 0, 0];
  let sliceSpacing = sorted.spacing ?? rec0.sliceThickness ?? 1;
  if (sorted.hasGeometry) {
    const iop = rec0.imageOrientationPatient!;
    const n = sorted.normal ?? cross(iop.slice(0, 3), iop.slice(3, 6));
    direction = [iop[0], iop[1], iop[2], iop[3], iop[4], iop[5], n[0], n[1], n[2]];
    origin = [...rec0.imagePositionPatient!] as Vec3;
    if (nz === 1) sliceSpacing = rec0.sliceThickness ?? 1;
  } else if (rec0.imageOrientationPatient) {
    const iop = rec0.imageOrientationPatient;
    const n = cross(iop.slice(0, 3), iop.slice(3, 6));
    direction = [iop[0], iop[1], iop[2], iop[3], iop[4], iop[5], n[0], n[1], n[2]];
    if (rec0.imagePositionPatient) origin = [...rec0.imagePositionPatient] as Vec3;
  }
  if (!(sliceSpacing > 0)) sliceSpacing = 1;

  const ds0 = await dataSetOf(sorted.frames[0][0]);
  const p0 = parseInstanceDataSet(ds0, rec0.location);
  const modality = p0.series.modality;
  const tags: Record<string, unknown> = keywordTags(ds0);
  tags.TransferSyntaxUID = rec0.transferSyntaxUid;
  if (sorted.unevenSpacing) tags.SlicePositions = sorted.positions;
  return {
    geometry: {
      dimensions: [nx, ny, nz],
      spacing: [ps?.[1] ?? 1, ps?.[0] ?? 1, sliceSpacing],
      origin,
      direction,
    },
    data,
    frames: nFrames,
    unit: unitOf(ds0, modality),
    metadata: {
      modality,
      patientId: p0.patient.patientId || undefined,
      patientName: p0.patient.patientName,
      patientBirthDate: p0.patient.patientBirthDate,
      patientSex: p0.patient.patientSex,
      studyInstanceUid: rec0.studyInstanceUid,
      seriesInstanceUid: rec0.seriesInstanceUid,
      studyDate: p0.study.studyDate,
      studyDescription: p0.study.studyDescription,
      seriesDescription: p0.series.seriesDescription,
      seriesNumber: p0.series.seriesNumber,
      bodyPartExamined: p0.series.bodyPartExamined,
      manufacturer: p0.series.manufacturer,
      sliceThickness: rec0.sliceThickness,
      tags,
      ...(nFrames > 1 ? { frameInfo: sorted.frames.map((fr) => ({ ...fr[0].info })) } : {}),
    },
    warnings,
  };
}
