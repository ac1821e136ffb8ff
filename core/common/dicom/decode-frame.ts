/**
 * Pixel data of one frame → typed stored values, for every transfer syntax Qiview reads: implicit/explicit little
 * endian, explicit big endian, deflated, encapsulated uncompressed, RLE, JPEG baseline (8-bit), extended (8- and
 * 12-bit) and lossless, JPEG-LS, JPEG 2000 and HTJ2K. Values are stored values (no rescale); colour comes back
 * interleaved RGB.
 *
 * @packageDocumentation
 */
import { dicomParser } from './dicom-parser-module';
import {
  decodeHtj2k,
  decodeJpeg12,
  decodeJpeg2000,
  decodeJpegBaseline8,
  decodeJpegLossless,
  decodeJpegLs,
  readJpegFrameHeader,
  type CodecOutput,
} from './codecs';
import { DicomReadError, guardReadAsync } from './dicom-read-error';
import { num, str, T, us } from './dataset-values';
import { isBigEndian, transferSyntaxOf, type DataSet } from './open-dataset';
import { rleDecode } from './rle-decode';

/** How stored pixel values are laid out. */
export interface PixelFormat {
  rows: number;
  columns: number;
  samplesPerPixel: number;
  bitsAllocated: number;
  bitsStored: number;
  /** 0 unsigned, 1 two's complement. */
  pixelRepresentation: number;
  /** 0 interleaved (RGBRGB), 1 planar (RR…GG…BB…) — native data only. */
  planarConfiguration: number;
  photometricInterpretation: string;
  transferSyntaxUid: string;
  numberOfFrames: number;
  /** Float (7FE0,0008) or double float (7FE0,0009) pixel data. */
  floatPixels?: 32 | 64;
}

/** Stored values of one frame. */
export type FramePixels =
  Uint8Array | Int8Array | Uint16Array | Int16Array | Uint32Array | Int32Array | Float32Array | Float64Array;

/** Transfer syntaxes whose pixel data are not encapsulated. */
const NATIVE = new Set([
  '1.2.840.10008.1.2',
  '1.2.840.10008.1.2.1',
  '1.2.840.10008.1.2.2',
  '1.2.840.10008.1.2.1.99',
]);

/** Reads the pixel format of a data set. */
export function pixelFormatOf(ds: DataSet): PixelFormat {
  const floatPixels = ds.elements[T.floatPixelData]
    ? 32
    : ds.elements[T.doubleFloatPixelData]
      ? 64
      : undefined;
  const bitsAllocated = us(ds, T.bitsAllocated) ?? floatPixels ?? 16;
  return {
    rows: us(ds, T.rows) ?? 0,
    columns: us(ds, T.columns) ?? 0,
    samplesPerPixel: us(ds, T.samplesPerPixel) ?? 1,
    bitsAllocated,
    bitsStored: us(ds, T.bitsStored) ?? bitsAllocated,
    pixelRepresentation: us(ds, T.pixelRepresentation) ?? 0,
    planarConfiguration: us(ds, T.planarConfiguration) ?? 0,
    photometricInterpretation: str(ds, T.photometricInterpretation) ?? 'MONOCHROME2',
    transferSyntaxUid: transferSyntaxOf(ds),
    numberOfFrames: Math.max(1, num(ds, T.numberOfFrames) ?? 1),
    ...(floatPixels ? { floatPixels } : {}),
  };
}

function typed(bytes: Uint8Array, f: PixelFormat): FramePixels {
  // copy when misaligned so typed views are legal
  const size = f.floatPixels ? f.floatPixels / 8 : f.bitsAllocated / 8;
  const b = bytes.byteOffset % size === 0 ? bytes : bytes.slice();
  const n = Math.floor(b.byteLength / size);
  const signed = f.pixelRepresentation === 1;
  if (f.floatPixels === 32) return new Float32Array(b.buffer, b.byteOffset, n);
  if (f.floatPixels === 64) return new Float64Array(b.buffer, b.byteOffset, n);
  if (f.bitsAllocated === 8) return signed ? new Int8Array(b.buffer, b.byteOffset, n) : b.subarray(0, n);
  if (f.bitsAllocated === 16)
    return signed ? new Int16Array(b.buffer, b.byteOffset, n) : new Uint16Array(b.buffer, b.byteOffset, n);
  if (f.bitsAllocated === 32)
    return signed ? new Int32Array(b.buffer, b.byteOffset, n) : new Uint32Array(b.buffer, b.byteOffset, n);
  throw new DicomReadError('unsupported', `BitsAllocated ${f.bitsAllocated} is not supported`);
}

/** Masks bits above BitsStored and sign-extends signed values (in place). */
function fixBitsStored(a: FramePixels, f: PixelFormat): FramePixels {
  if (f.floatPixels || f.bitsStored >= f.bitsAllocated || (f.bitsAllocated === 8 && f.bitsStored === 8))
    return a;
  const shift = f.bitsAllocated - f.bitsStored;
  if (a instanceof Int16Array || a instanceof Int32Array || a instanceof Int8Array) {
    // values are stored in the low bits: shift up then arithmetic-shift down
    const s = shift + (a instanceof Int32Array ? 0 : a instanceof Int16Array ? 16 : 24);
    for (let i = 0; i < a.length; i++) a[i] = (a[i] << s) >> s;
  } else {
    const mask = 2 ** f.bitsStored - 1;
    let dirty = false;
    for (let i = 0; i < a.length; i++)
      if (a[i] > mask) {
        dirty = true;
        break;
      }
    if (dirty) for (let i = 0; i < a.length; i++) a[i] = a[i] & mask;
  }
  return a;
}

function nativeFrameBytes(ds: DataSet, f: PixelFormat, frame: number): Uint8Array {
  const el = ds.elements[T.pixelData] ?? ds.elements[T.floatPixelData] ?? ds.elements[T.doubleFloatPixelData];
  const bits = f.floatPixels ?? f.bitsAllocated;
  const nSamples = f.rows * f.columns * f.samplesPerPixel;
  const frameBits = nSamples * bits;
  const all = ds.byteArray;
  if (bits === 1) {
    const out = new Uint8Array(nSamples);
    const startBit = frame * frameBits;
    if (
      el.dataOffset + Math.ceil((startBit + frameBits) / 8) > all.length ||
      (startBit + frameBits) / 8 > el.length
    ) {
      throw new DicomReadError('truncated', `frame ${frame + 1}: pixel data end early`);
    }
    for (let i = 0; i < nSamples; i++) {
      const b = startBit + i;
      out[i] = (all[el.dataOffset + (b >> 3)] >> (b & 7)) & 1;
    }
    return out;
  }
  const frameBytes = frameBits / 8;
  const start = el.dataOffset + frame * frameBytes;
  if ((frame + 1) * frameBytes > el.length || start + frameBytes > all.length) {
    throw new DicomReadError('truncated', `frame ${frame + 1}: pixel data end after ${el.length} bytes`);
  }
  const bytes = all.subarray(start, start + frameBytes);
  if (isBigEndian(ds) && bits > 8) {
    const size = bits / 8;
    const out = new Uint8Array(frameBytes);
    for (let i = 0; i < frameBytes; i += size)
      for (let q = 0; q < size; q++) out[i + q] = bytes[i + size - 1 - q];
    return out;
  }
  return bytes;
}

/** The compressed bytes of one frame of encapsulated pixel data. */
export function encapsulatedFrame(ds: DataSet, frame: number, numberOfFrames: number): Uint8Array {
  const el = ds.elements[T.pixelData];
  const fragments = el.fragments ?? [];
  if (!fragments.length) throw new DicomReadError('truncated', 'encapsulated pixel data without fragments');
  try {
    if (el.basicOffsetTable?.length) {
      return dicomParser.readEncapsulatedImageFrame(ds, el, frame) as Uint8Array;
    }
    if (numberOfFrames === 1) {
      return dicomParser.readEncapsulatedPixelDataFromFragments(ds, el, 0, fragments.length) as Uint8Array;
    }
    if (fragments.length === numberOfFrames) {
      return dicomParser.readEncapsulatedPixelDataFromFragments(ds, el, frame, 1) as Uint8Array;
    }
    const bot = dicomParser.createJPEGBasicOffsetTable(ds, el);
    return dicomParser.readEncapsulatedImageFrame(ds, el, frame, bot) as Uint8Array;
  } catch (e) {
    throw new DicomReadError(
      'corrupt',
      `frame ${frame + 1} not found in encapsulated pixel data: ${String(e)}`,
    );
  }
}

function codecBytes(out: CodecOutput, f: PixelFormat, what: string): Uint8Array {
  if (out.width !== f.columns || out.height !== f.rows) {
    throw new DicomReadError(
      'corrupt',
      `${what} frame is ${out.width}×${out.height}, header says ${f.columns}×${f.rows}`,
    );
  }
  return out.bytes;
}

/** Planar (RR…GG…BB…) → interleaved. */
function interleave(b: Uint8Array, f: PixelFormat): Uint8Array {
  const n = f.rows * f.columns;
  const out = new Uint8Array(b.length);
  for (let s = 0; s < f.samplesPerPixel; s++)
    for (let p = 0; p < n; p++) out[p * f.samplesPerPixel + s] = b[s * n + p];
  return out;
}

/**
 * Decodes already-extracted frame bytes (native or compressed, e.g. from a WADO-RS frame) with a known format.
 *
 * @throws DicomReadError `unsupported` transfer syntax or bit depth, `corrupt`/`truncated` data.
 */
export async function decodePixels(src: Uint8Array, f: PixelFormat): Promise<FramePixels> {
  return guardReadAsync('pixel data cannot be decoded', () => decodePixelsChecked(src, f));
}

async function decodePixelsChecked(src: Uint8Array, f: PixelFormat): Promise<FramePixels> {
  const ts = f.transferSyntaxUid;
  let bytes: Uint8Array;
  switch (ts) {
    case '1.2.840.10008.1.2':
    case '1.2.840.10008.1.2.1':
    case '1.2.840.10008.1.2.1.99':
    case '1.2.840.10008.1.2.1.98':
    case '1.2.840.10008.1.2.2':
      bytes = src;
      break;
    case '1.2.840.10008.1.2.5':
      bytes = rleDecode(src, f.rows, f.columns, f.samplesPerPixel, f.bitsAllocated);
      return fixBitsStored(typed(bytes, { ...f, planarConfiguration: 0 }), f);
    case '1.2.840.10008.1.2.4.50':
    case '1.2.840.10008.1.2.4.51':
      // the stream's own sample precision decides (8 or 12), not BitsStored
      if (readJpegFrameHeader(src).precision > 8) {
        if (f.bitsAllocated !== 16 || f.samplesPerPixel !== 1) {
          throw new DicomReadError(
            'unsupported',
            `12-bit JPEG needs BitsAllocated 16 and one sample per pixel (header: ${f.bitsAllocated}, ${f.samplesPerPixel})`,
          );
        }
        bytes = codecBytes(await decodeJpeg12(src), f, '12-bit JPEG');
        break;
      }
      bytes = codecBytes(await decodeJpegBaseline8(src), f, 'JPEG');
      return typed(bytes, { ...f, bitsAllocated: 8 });
    case '1.2.840.10008.1.2.4.57':
    case '1.2.840.10008.1.2.4.70':
      bytes = await decodeJpegLossless(src, f.bitsAllocated);
      break;
    case '1.2.840.10008.1.2.4.80':
    case '1.2.840.10008.1.2.4.81':
      bytes = codecBytes(await decodeJpegLs(src), f, 'JPEG-LS');
      break;
    case '1.2.840.10008.1.2.4.90':
    case '1.2.840.10008.1.2.4.91':
      bytes = codecBytes(await decodeJpeg2000(src), f, 'JPEG 2000');
      break;
    case '1.2.840.10008.1.2.4.201':
    case '1.2.840.10008.1.2.4.202':
    case '1.2.840.10008.1.2.4.203':
      bytes = codecBytes(await decodeHtj2k(src), f, 'HTJ2K');
      break;
    default:
      throw new DicomReadError('unsupported', `transfer syntax ${ts} is not supported`);
  }
  const isNative = NATIVE.has(ts) || ts === '1.2.840.10008.1.2.1.98';
  if (isNative && f.samplesPerPixel > 1 && f.planarConfiguration === 1 && f.bitsAllocated === 8) {
    bytes = interleave(bytes, f);
  }
  const a = typed(bytes, f);
  const expected = f.rows * f.columns * f.samplesPerPixel;
  if (a.length < expected) {
    throw new DicomReadError('truncated', `frame decodes to ${a.length} samples, ${expected} expected`);
  }
  const exact = a.length === expected ? a : (a.subarray(0, expected) as FramePixels);
  // codecs return fresh buffers; native data are views on the file, copy before masking
  const mustCopy = isNative && f.bitsStored < f.bitsAllocated && f.bitsAllocated > 1 && !f.floatPixels;
  return fixBitsStored(mustCopy ? (exact.slice() as FramePixels) : exact, f);
}

/**
 * Decodes frame `frame` (0-based) of a parsed DICOM data set into stored values (no rescale). Native data are
 * returned as views on the file's bytes where possible (no copy); compressed frames in fresh arrays.
 *
 * @throws DicomReadError (see {@link decodePixels}).
 */
export async function decodeFrame(ds: DataSet, frame: number, format?: PixelFormat): Promise<FramePixels> {
  return guardReadAsync(`frame ${frame + 1} cannot be decoded`, () =>
    decodeChecked(ds, frame, format ?? pixelFormatOf(ds)),
  );
}

async function decodeChecked(ds: DataSet, frame: number, format: PixelFormat): Promise<FramePixels> {
  if (frame < 0 || frame >= format.numberOfFrames) {
    throw new DicomReadError('corrupt', `frame ${frame + 1} outside 1..${format.numberOfFrames}`);
  }
  const el = ds.elements[T.pixelData] ?? ds.elements[T.floatPixelData] ?? ds.elements[T.doubleFloatPixelData];
  if (!el) throw new DicomReadError('missing-tags', 'missing required tag: Pixel Data (7FE0,0010)');
  if (el.encapsulatedPixelData) {
    const src = encapsulatedFrame(ds, frame, format.numberOfFrames);
    return decodePixels(src, format);
  }
  const bytes = nativeFrameBytes(ds, format, frame);
  if (format.bitsAllocated === 1) return bytes;
  return decodePixels(bytes, { ...format, transferSyntaxUid: '1.2.840.10008.1.2.1' });
}
