/**
 * Compressed-frame codecs: the WASM builds Cornerstone3D uses (libjpeg-turbo, CharLS, OpenJPEG, OpenJPH) and the
 * JavaScript JPEG Lossless decoder. Loaded lazily, once. In Node the emscripten modules find their .wasm next to their
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
