/**
 * Compressed-frame codecs: the WASM builds Cornerstone3D uses (libjpeg-turbo, CharLS, OpenJPEG, OpenJPH), the
 * JavaScript JPEG Lossless decoder and Cornerstone's JavaScript JPEG decoder for 12-bit JPEG. Loaded lazily, once. In Node the emscripten modules find their .wasm next to their
 * .js; a browser build calls {@link configureCodecs} with the URLs of the .wasm assets.
 *
 * @packageDocumentation
 */
import { DicomReadError } from './dicom-read-error';

/** Which codec a .wasm belongs to. */
export type CodecName = 'libjpeg-turbo' | 'charls' | 'openjpeg' | 'openjph';

let locate: ((codec: CodecName, file: string) => string | undefined) | undefined;

/**
 * Tells the codecs where their .wasm files are (browser builds: e.g. Vite `?url` imports). Call before the first
 * decode. Not needed in Node.
 */
export function configureCodecs(options: {
  locateWasm?: (codec: CodecName, file: string) => string | undefined;
}): void {
  locate = options.locateWasm;
}

interface FrameInfo {
  width: number;
  height: number;
  bitsPerSample: number;
  componentCount: number;
  isSigned?: boolean;
}
interface WasmDecoder {
  getEncodedBuffer(n: number): Uint8Array;
  getDecodedBuffer(): Uint8Array;
  decode(): void;
  getFrameInfo(): FrameInfo;
  readHeader?(): void;
  delete?(): void;
}
interface CodecModule {
  JpegLSDecoder?: new () => WasmDecoder;
  J2KDecoder?: new () => WasmDecoder;
  HTJ2KDecoder?: new () => WasmDecoder;
  JPEGDecoder?: new () => WasmDecoder;
  getExceptionMessage?: (e: unknown) => string;
}

const modules = new Map<CodecName, Promise<CodecModule>>();

function load(name: CodecName): Promise<CodecModule> {
  let p = modules.get(name);
  if (!p) {
    const opts = {
      locateFile: (file: string, prefix: string) => locate?.(name, file) ?? prefix + file,
      // codecs log progress ('[INFO] Start to read j2k main header') on stdout: keep it quiet
      print: () => {},
      printErr: () => {},
    };
    const factory =
      name === 'charls'
        ? import('@cornerstonejs/codec-charls/decodewasmjs')
        : name === 'openjpeg'
          ? import('@cornerstonejs/codec-openjpeg/decodewasmjs')
          : name === 'openjph'
            ? import('@cornerstonejs/codec-openjph/wasmjs')
            : import('@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs');
    p = factory.then((m) => m.default(opts) as Promise<CodecModule>);
    p.catch(() => modules.delete(name));
    modules.set(name, p);
  }
  return p;
}

/** Loads (fetches and compiles) a codec ahead of its first frame, e.g. in an idle decode worker. */
export async function preloadCodec(name: CodecName): Promise<void> {
  await load(name);
}

/** Decoded samples: little-endian bytes, interleaved components, plus what the codec says about them. */
export interface CodecOutput {
  bytes: Uint8Array;
  width: number;
  height: number;
  bitsPerSample: number;
  components: number;
}

async function runWasm(name: CodecName, ctor: keyof CodecModule, src: Uint8Array): Promise<CodecOutput> {
  const m = await load(name);
  const C = m[ctor] as (new () => WasmDecoder) | undefined;
  if (!C) throw new DicomReadError('unsupported', `codec ${name} has no ${String(ctor)}`);
  const dec = new C();
  try {
    dec.getEncodedBuffer(src.length).set(src);
    dec.decode();
    const info = dec.getFrameInfo();
    const view = dec.getDecodedBuffer();
    const bytes = new Uint8Array(view.length);
    bytes.set(view);
    return {
      bytes,
      width: info.width,
      height: info.height,
      bitsPerSample: info.bitsPerSample,
      components: info.componentCount,
    };
  } catch (e) {
    const msg = typeof e === 'number' && m.getExceptionMessage ? m.getExceptionMessage(e) : String(e);
    throw new DicomReadError('corrupt', `${name} could not decode the frame: ${msg}`);
  } finally {
    dec.delete?.();
  }
}

/** JPEG-LS (lossless and near-lossless), via CharLS. */
export const decodeJpegLs = (src: Uint8Array) => runWasm('charls', 'JpegLSDecoder', src);
/** JPEG 2000 (Part 1), via OpenJPEG. */
export const decodeJpeg2000 = (src: Uint8Array) => runWasm('openjpeg', 'J2KDecoder', src);
/** High-Throughput JPEG 2000, via OpenJPH. */
export const decodeHtj2k = (src: Uint8Array) => runWasm('openjph', 'HTJ2KDecoder', src);
/** 8-bit JPEG baseline/extended, via libjpeg-turbo (YCbCr is returned as RGB). */
export const decodeJpegBaseline8 = (src: Uint8Array) => runWasm('libjpeg-turbo', 'JPEGDecoder', src);

/** JPEG Lossless (Process 14, incl. SV1), via jpeg-lossless-decoder-js. Returns LE bytes. */
export async function decodeJpegLossless(src: Uint8Array, bitsAllocated: number): Promise<Uint8Array> {
  const { Decoder } = await import('@cornerstonejs/jpeg-lossless-decoder-js');
  const out = new Decoder().decode(
    src.buffer as ArrayBuffer,
    src.byteOffset,
    src.length,
    bitsAllocated <= 8 ? 1 : 2,
  ) as ArrayBufferView;
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

/** What a JPEG stream's frame header (SOFn) says. */
export interface JpegFrameHeader {
  /** SOF marker code (0xc0 baseline, 0xc1 extended sequential, 0xc2 progressive, 0xc3 lossless, …). */
  marker: number;
  /** Sample precision P in bits (8 or 12 for the DCT processes). */
  precision: number;
  /** Byte offset of P in the stream. */
  precisionOffset: number;
  width: number;
  height: number;
  components: number;
}

/**
 * Reads the frame header of a JPEG stream (walks the marker segments from SOI to the first SOFn).
 *
 * @throws DicomReadError `corrupt` when the stream has no SOI or ends before a frame header.
 */
export function readJpegFrameHeader(src: Uint8Array): JpegFrameHeader {
  if (src.length < 4 || src[0] !== 0xff || src[1] !== 0xd8) {
    throw new DicomReadError('corrupt', 'JPEG stream does not start with SOI (FFD8)');
  }
  let o = 2;
  while (o + 3 < src.length) {
    if (src[o] !== 0xff) throw new DicomReadError('corrupt', `JPEG marker expected at byte ${o}`);
    let m = src[o + 1];
    while (m === 0xff && o + 2 < src.length) m = src[++o + 1]; // fill bytes
    o += 2;
    if (m === 0x01 || (m >= 0xd0 && m <= 0xd7)) continue; // TEM, RSTn: no length
    if (m === 0xda || m === 0xd9) break; // SOS/EOI before any SOF
    const len = (src[o] << 8) | src[o + 1];
    if (len < 2 || o + len > src.length) break;
    if (m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc) {
      if (len < 8) break;
      return {
        marker: m,
        precision: src[o + 2],
        precisionOffset: o + 2,
        height: (src[o + 3] << 8) | src[o + 4],
        width: (src[o + 5] << 8) | src[o + 6],
        components: src[o + 7],
      };
    }
    o += len;
  }
  throw new DicomReadError('corrupt', 'JPEG stream has no frame header (SOFn)');
}

/**
 * Offset of the 12-bit output of Cornerstone's JpegImage when the stream declares P = 16 (see {@link decodeJpeg12}).
 * Its output stage computes `(q + 2056 / c) >> 4` with c = 255 / (2^P − 1), the 8-bit level shift 128.5 scaled to P
 * bits; right for P = 8 only. With P = 12 that adds 15.06 to every sample (measured against DCMTK on
 * JPGExtended.dcm: +14/+15 on 99.8 % of pixels) and clips the top 16 values. With P declared 16, c = 255/65535, so
 * `2056 / c = 528392 = 16 × 33024 + 8` and the output is exactly `33024 + ((q + 8) >> 4)`, i.e. the correctly
 * rounded 12-bit sample `2048 + ((q + 8) >> 4)` plus 30976, far from both of its clamps.
 */
const JPEG12_OFFSET = 33024 - 2048;

interface JpegImageLike {
  parse(data: Uint8Array): void;
  getData16(width: number, height: number): Uint16Array;
  width: number;
  height: number;
}
let jpegImage: Promise<new () => JpegImageLike> | undefined;

/**
 * 12-bit JPEG (DCT, Huffman: baseline/extended sequential and progressive), via Cornerstone's JavaScript JPEG decoder
 * (`@cornerstonejs/dicom-image-loader` codecs/jpeg.js, derived from pdf.js; MIT), the one its own loader uses for
 * 12-bit JPEG. Its package does not export that file: `@qiview/cornerstone-jpeg` is an alias to it (tsconfig.json
 * `paths` for tsc, tsx and esbuild; `resolve.alias` in vite.config.ts and vitest.config.ts). Greyscale only. Returns
 * unsigned 12-bit samples as little-endian 16-bit bytes.
 *
 * @throws DicomReadError `unsupported` (not 12-bit, colour, lossless or arithmetic-coded), `corrupt`.
 */
export async function decodeJpeg12(src: Uint8Array): Promise<CodecOutput> {
  const h = readJpegFrameHeader(src);
  if (h.marker !== 0xc0 && h.marker !== 0xc1 && h.marker !== 0xc2) {
    throw new DicomReadError(
      'unsupported',
      `JPEG process with SOF marker FF${h.marker.toString(16).toUpperCase()} is not supported (only Huffman DCT)`,
    );
  }
  if (h.precision !== 12)
    throw new DicomReadError('unsupported', `JPEG precision ${h.precision} is not 12 bits`);
  if (h.components !== 1) {
    throw new DicomReadError('unsupported', `12-bit JPEG with ${h.components} components is not supported`);
  }
  if (!jpegImage) {
    jpegImage = import('@qiview/cornerstone-jpeg').then(
      (m) => m.default as unknown as new () => JpegImageLike,
    );
    jpegImage.catch(() => (jpegImage = undefined));
  }
  const JpegImage = await jpegImage;
  // see JPEG12_OFFSET: declare 16-bit samples so the decoder's output stage neither biases nor clips 12-bit values
  const data = src.slice();
  data[h.precisionOffset] = 16;
  let raw: Uint16Array;
  const img = new JpegImage();
  try {
    img.parse(data);
    raw = img.getData16(img.width, img.height);
  } catch (e) {
    throw new DicomReadError(
      'corrupt',
      `12-bit JPEG could not be decoded: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
  const out = new Uint16Array(raw.length);
  for (let i = 0; i < raw.length; i++) {
    const v = raw[i] - JPEG12_OFFSET;
    out[i] = v < 0 ? 0 : v > 4095 ? 4095 : v;
  }
  return {
    bytes: new Uint8Array(out.buffer),
    width: img.width,
    height: img.height,
    bitsPerSample: 12,
    components: 1,
  };
}
