/**
 * Image loader for local files (`dicomfile:` ids) that loads single-frame 16-bit greyscale slices straight into their
 * final pixel array, and hands every other file to the DICOM image loader unchanged.
 *
 * Why (issue 2, measured on a 512×512×300 CT): the DICOM image loader reads the whole file, parses all of it, clones
 * the file's buffer into a decode worker (its `transferPixelData` builds a transfer list that is never passed on),
 * copies the pixels into a new array there, clones that back, and copies it once more into the cached image: four
 * short-lived copies of every slice, so the renderer's memory peaked at 2.2-3.4× the volume above its baseline while
 * the garbage waited for collection. Here:
 * - uncompressed little endian: one read of exactly the slice's pixel bytes (the header, already parsed and kept by
 *   dicom-file-headers, gives their offset), rescaled in place (stored value × slope + intercept, as the loader's
 *   pre-scaling does); that buffer becomes the image's pixel data;
 * - compressed (HTJ2K, JPEG 2000, JPEG-LS, RLE, JPEG lossless, 12-bit JPEG extended): the file is decoded by Qiview's
 *   own codecs in a slice-decode worker, rescaled there in place and transferred back (no copy). For 12-bit JPEG this
 *   is also about the values: the DICOM image loader's own 12-bit decoder reads 14-15 stored values too high (its
 *   8-bit level shift; core/common/dicom/codecs.ts corrects it).
 * Anything else (colour, 8/32-bit, multi-frame, PET/RTDOSE scaling, non-integer rescale, a range that needs another
 * pixel type, a codec error) goes through the DICOM image loader.
 */
import { Enums, metaData, utilities, type Types } from '@cornerstonejs/core';
import { wadouri } from '@cornerstonejs/dicom-image-loader';
import { getDicomFileHeader } from '../../platform/dicom-file-headers';
import { rescaleInPlace } from './rescale-in-place';
import { decodeSliceInWorker, sliceWorkersUsable, warmSliceWorkers } from './slice-decode-pool';

const LITTLE_ENDIAN = new Set(['1.2.840.10008.1.2', '1.2.840.10008.1.2.1']);
/** Encapsulated syntaxes Qiview's own codecs decode (core/common/dicom/decode-frame.ts). */
const COMPRESSED = new Set([
  '1.2.840.10008.1.2.5',
  '1.2.840.10008.1.2.4.51',
  '1.2.840.10008.1.2.4.57',
  '1.2.840.10008.1.2.4.70',
  '1.2.840.10008.1.2.4.80',
  '1.2.840.10008.1.2.4.81',
  '1.2.840.10008.1.2.4.90',
  '1.2.840.10008.1.2.4.91',
  '1.2.840.10008.1.2.4.201',
  '1.2.840.10008.1.2.4.202',
  '1.2.840.10008.1.2.4.203',
]);

let decodeWorkers = 1;

/** How many decode workers compressed local slices may use (the DICOM image loader's count); starts them. */
export function setDicomFileDecodeWorkers(n: number): void {
  decodeWorkers = Math.max(1, n);
  warmSliceWorkers(decodeWorkers);
}

interface LoaderOptions {
  targetBuffer?: { type?: string };
}

interface FastSlice {
  /** native: read the pixel bytes here; compressed: decode the file in a slice-decode worker. */
  kind: 'native' | 'compressed';
  file: File;
  offset: number;
  rows: number;
  columns: number;
  signed: boolean;
  slope: number;
  intercept: number;
  photometric: string;
}

/** What the fast path needs, or undefined when the library must load this image. */
export function fastSliceOf(imageId: string): FastSlice | undefined {
  if (!imageId.startsWith('dicomfile:') || imageId.includes('&frame=')) return undefined;
  const ds = getDicomFileHeader(imageId);
  const pixel = ds?.elements.x7fe00010;
  if (!ds || !pixel) return undefined;
  const ts = ds.string('x00020010')?.trim() ?? '';
  const kind =
    LITTLE_ENDIAN.has(ts) && !pixel.hadUndefinedLength
      ? 'native'
      : COMPRESSED.has(ts)
        ? 'compressed'
        : undefined;
  if (!kind || (kind === 'compressed' && !sliceWorkersUsable())) return undefined;
  const rows = ds.uint16('x00280010') ?? 0;
  const columns = ds.uint16('x00280011') ?? 0;
  const photometric = ds.string('x00280004')?.trim() ?? '';
  if (
    ds.uint16('x00280100') !== 16 ||
    (ds.uint16('x00280002') ?? 1) !== 1 ||
    (ds.intString('x00280008') ?? 1) !== 1 ||
    !/^MONOCHROME[12]$/.test(photometric) ||
    (kind === 'native' && rows * columns * 2 !== pixel.length) ||
    rows === 0 ||
    columns === 0
  ) {
    return undefined;
  }
  const signed = ds.uint16('x00280103') === 1;
  // Signed values stored in fewer than 16 bits need sign extension: the library does that.
  if (signed && (ds.uint16('x00280101') ?? 16) !== 16) return undefined;
  const modality = ds.string('x00080060')?.trim();
  if (modality === 'PT' || modality === 'RTDOSE') return undefined;
  const slope = ds.floatString('x00281053') ?? 1;
  const intercept = ds.floatString('x00281052') ?? 0;
  if (!Number.isInteger(slope) || !Number.isInteger(intercept)) return undefined;
  const url = imageId.slice('dicomfile:'.length);
  const file = wadouri.fileManager.get(Number(url)) as File | undefined;
  if (!file) return undefined;
  return { kind, file, offset: pixel.dataOffset, rows, columns, signed, slope, intercept, photometric };
}

async function loadFast(
  imageId: string,
  s: FastSlice,
  options: LoaderOptions,
): Promise<Types.IImage | undefined> {
  const start = performance.now();
  let loaded = start;
  let scaled: { pixels: Int16Array | Uint16Array; min: number; max: number } | undefined;
  if (s.kind === 'compressed') {
    scaled = await decodeSliceInWorker(
      s.file,
      s.slope,
      s.intercept,
      options.targetBuffer?.type,
      decodeWorkers,
    );
    loaded = performance.now();
  } else {
    const buffer = await s.file.slice(s.offset, s.offset + s.rows * s.columns * 2).arrayBuffer();
    if (buffer.byteLength !== s.rows * s.columns * 2)
      throw new Error('pixel data shorter than Rows × Columns');
    loaded = performance.now();
    const raw = s.signed ? new Int16Array(buffer) : new Uint16Array(buffer);
    scaled = rescaleInPlace(raw, s.slope, s.intercept, options.targetBuffer?.type);
  }
  if (!scaled) return undefined;
  const { pixels, min, max } = scaled;
  const plane = (metaData.get('imagePlaneModule', imageId) ?? {}) as {
    rowPixelSpacing?: number;
    columnPixelSpacing?: number;
  };
  const voi = (metaData.get('voiLutModule', imageId) ?? {}) as {
    windowCenter?: number[];
    windowWidth?: number[];
    voiLUTFunction?: string;
  };
  const modalityLut = (metaData.get('modalityLutModule', imageId) ?? {}) as { modality?: string };
  const wl =
    voi.windowCenter?.length && voi.windowWidth?.length
      ? { windowCenter: voi.windowCenter[0], windowWidth: voi.windowWidth[0] }
      : utilities.windowLevel.toWindowLevel(min, max);
  const preScale = {
    enabled: true,
    scaled: true,
    scalingParameters: {
      rescaleSlope: s.slope,
      rescaleIntercept: s.intercept,
      modality: modalityLut.modality,
    },
  };
  const voxelManager = utilities.VoxelManager.createImageVoxelManager({
    scalarData: pixels,
    width: s.columns,
    height: s.rows,
    numberOfComponents: 1,
  });
  const image = {
    imageId,
    dataType: pixels.constructor.name,
    color: false,
    rgba: false,
    numberOfComponents: 1,
    calibration: metaData.get('calibrationModule', imageId) ?? {},
    columnPixelSpacing: plane.columnPixelSpacing,
    rowPixelSpacing: plane.rowPixelSpacing,
    columns: s.columns,
    rows: s.rows,
    width: s.columns,
    height: s.rows,
    preScale,
    intercept: s.intercept,
    slope: s.slope,
    invert: s.photometric === 'MONOCHROME1',
    minPixelValue: min,
    maxPixelValue: max,
    sizeInBytes: pixels.byteLength,
    windowCenter: wl.windowCenter,
    windowWidth: wl.windowWidth,
    voiLUTFunction: voi.voiLUTFunction,
    imageFrame: {
      rows: s.rows,
      columns: s.columns,
      samplesPerPixel: 1,
      bitsAllocated: 16,
      photometricInterpretation: s.photometric,
      pixelRepresentation: s.signed ? 1 : 0,
      smallestPixelValue: min,
      largestPixelValue: max,
      pixelDataLength: pixels.length,
      preScale,
    },
    voxelManager,
    getPixelData: () => pixels,
    getCanvas: undefined,
    imageQualityStatus: Enums.ImageQualityStatus.FULL_RESOLUTION,
    decodeTimeInMS: performance.now() - loaded,
    loadTimeInMS: loaded - start,
    totalTimeInMS: performance.now() - start,
    data: getDicomFileHeader(imageId),
  };
  return image as unknown as Types.IImage;
}

/** The `dicomfile:` image loader: fast path when it applies, else the DICOM image loader's own. */
export function loadDicomFileImage(imageId: string, options: LoaderOptions = {}): Types.IImageLoadObject {
  const fast = fastSliceOf(imageId);
  if (!fast) return wadouri.loadImage(imageId, options as never) as unknown as Types.IImageLoadObject;
  const library = () =>
    (wadouri.loadImage(imageId, options as never) as unknown as Types.IImageLoadObject).promise;
  return {
    promise: loadFast(imageId, fast, options).then(
      (image) => image ?? library(),
      // A slice our codecs or worker could not decode goes to the DICOM image loader, which reports its own error.
      (e: unknown) => (fast.kind === 'compressed' ? library() : Promise.reject(e)),
    ),
  };
}
