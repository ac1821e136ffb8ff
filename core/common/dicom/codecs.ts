/**
 * Compressed-frame codecs: the WASM builds Cornerstone3D uses (libjpeg-turbo, CharLS, OpenJPEG, OpenJPH), the
 * JavaScript JPEG Lossless decoder and Cornerstone's JavaScript JPEG decoder for 12-bit JPEG. Loaded lazily, once. In
 * Node the emscripten modules find their .wasm next to their .js; a browser build calls {@link configureCodecs} with
 * the URLs of the .wasm assets.
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

/*
 * Cornerstone's JpegImage has an output stage made for 8-bit samples: `(q + 2056 / c) >> 4` with
 * c = 255 / (2^P − 1), i.e. the 8-bit level shift 128.5 scaled to P bits. With P = 12 that adds 15.06 to every sample
 * (measured against DCMTK on JPGExtended.dcm: +14/+15 on 99.8 % of the pixels) and clips the top 16 values; the DICOM
 * image loader shows 12-bit JPEG that way. Declaring P = 16 in a copy of the frame header (precision only sets c)
 * gives c = 255/65535, `2056 / c = 528392 = 16 × 33024 + 8`, so each output is exactly `33024 + ((q + 8) >> 4)`: the
 * correctly rounded 12-bit sample `2048 + ((q + 8) >> 4)` plus 30976, far from both clamps. The offset is not taken
 * on trust: it is measured once on JPEG12_SELF_CHECK, which must decode to 2048 and 3048 as DCMTK's dcmdjpeg does.
 */

/**
 * A 16×8 12-bit JPEG (SOF1, unit quantisation, one DC table {00: 0, 01: 13}, one AC table {0: EOB}): block 1 has DC 0
 * (every sample 2048), block 2 DC +8000 (every sample 2048 + 8000 / 8 = 3048). dcmdjpeg (IJG 12-bit) decodes it to
 * exactly those values.
 */
export const JPEG12_SELF_CHECK = Uint8Array.from([
  ...[0xff, 0xd8, 0xff, 0xdb, 0x00, 0x43, 0x00, ...new Array<number>(64).fill(1)],
  ...[0xff, 0xc1, 0x00, 0x0b, 0x0c, 0x00, 0x08, 0x00, 0x10, 0x01, 0x01, 0x11, 0x00],
  ...[0xff, 0xc4, 0x00, 0x15, 0x00, 0x00, 0x02, ...new Array<number>(14).fill(0), 0x00, 0x0d],
  ...[0xff, 0xc4, 0x00, 0x14, 0x10, 0x01, ...new Array<number>(15).fill(0), 0x00],
  ...[0xff, 0xda, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3f, 0x00, 0x0f, 0xd0, 0x1f, 0xff, 0xd9],
]);

interface JpegImageLike {
  parse(data: Uint8Array): void;
  getData16(width: number, height: number): Uint16Array;
  width: number;
  height: number;
}
type JpegImageCtor = new () => JpegImageLike;
let jpegImage: Promise<{ JpegImage: JpegImageCtor; offset: number }> | undefined;

/** Runs JpegImage on a copy of a 12-bit stream declared 16-bit (see above); raw 16-bit output. */
function runJpegImage(
  JpegImage: JpegImageCtor,
  src: Uint8Array,
  h: JpegFrameHeader,
): JpegImageLike & { raw: Uint16Array } {
  const data = src.slice();
  data[h.precisionOffset] = 16;
  const img = new JpegImage();
  try {
    img.parse(data);
    return Object.assign(img, { raw: img.getData16(img.width, img.height) });
  } catch (e) {
    throw new DicomReadError(
      'corrupt',
      `12-bit JPEG could not be decoded: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
}

/** Loads JpegImage and measures its output offset on {@link JPEG12_SELF_CHECK}. */
async function loadJpegImage(): Promise<{ JpegImage: JpegImageCtor; offset: number }> {
  const JpegImage = (await import('@qiview/cornerstone-jpeg')).default as unknown as JpegImageCtor;
  const { raw } = runJpegImage(JpegImage, JPEG12_SELF_CHECK, readJpegFrameHeader(JPEG12_SELF_CHECK));
  const offset = raw[0] - 2048;
  const ok = raw.length === 128 && raw.every((v, i) => v - offset === ((i & 15) < 8 ? 2048 : 3048));
  if (!ok || offset < 0 || offset + 4095 > 65535) {
    throw new DicomReadError(
      'unsupported',
      '12-bit JPEG: the JavaScript JPEG decoder failed its self-check (its output stage changed); see codecs.ts',
    );
  }
  return { JpegImage, offset };
}

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
    jpegImage = loadJpegImage();
    jpegImage.catch(() => (jpegImage = undefined));
  }
  const { JpegImage, offset } = await jpegImage;
  const img = runJpegImage(JpegImage, src, h);
  const raw = img.raw;
  const out = new Uint16Array(raw.length);
  for (let i = 0; i < raw.length; i++) {
    const v = raw[i] - offset;
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
