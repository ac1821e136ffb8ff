/// <reference lib="webworker" />
/**
 * Module worker that decodes one compressed single-frame 16-bit greyscale DICOM file (HTJ2K, JPEG 2000, JPEG-LS, RLE,
 * JPEG lossless, 12-bit JPEG extended) with Qiview's own codecs (core/common/dicom), rescales it in place and
 * transfers the pixels back: the decoded buffer leaves the worker without a copy and becomes the cached image's pixel
 * data. Started by slice-decode-pool.ts.
 */
import charlsWasm from '@cornerstonejs/codec-charls/decodewasm?url';
import openjpegWasm from '@cornerstonejs/codec-openjpeg/decodewasm?url';
import openjphWasm from '@cornerstonejs/codec-openjph/wasm?url';
import { configureCodecs, preloadCodec } from '../../../core/common/dicom/codecs';
import { dicomParser } from '../../../core/common/dicom/dicom-parser-module';
import { decodeFrame, pixelFormatOf } from '../../../core/common/dicom/decode-frame';
import { rescaleInPlace } from './rescale-in-place';
import type { FromSliceWorker, ToSliceWorker } from './slice-decode-messages';

const scope = self as unknown as DedicatedWorkerGlobalScope;

// The codecs' .wasm files are build assets with hashed names.
const WASM: Record<string, string> = { charls: charlsWasm, openjpeg: openjpegWasm, openjph: openjphWasm };
configureCodecs({ locateWasm: (codec, file) => (file.endsWith('.wasm') ? WASM[codec] : undefined) });

scope.onmessage = async (e: MessageEvent<ToSliceWorker>) => {
  if ('warm' in e.data) {
    for (const codec of e.data.warm) await preloadCodec(codec).catch(() => undefined);
    return;
  }
  const { id, file, slope, intercept, wantType } = e.data;
  const reply = (m: FromSliceWorker, transfer: Transferable[] = []) => scope.postMessage(m, transfer);
  try {
    const ds = dicomParser.parseDicom(new Uint8Array(await file.arrayBuffer()));
    const format = pixelFormatOf(ds);
    const px = await decodeFrame(ds, 0, format);
    if (!(px instanceof Int16Array || px instanceof Uint16Array)) {
      reply({ id, fallback: true });
      return;
    }
    const r = rescaleInPlace(px, slope, intercept, wantType);
    if (!r) {
      reply({ id, fallback: true });
      return;
    }
    const buffer = r.pixels.buffer as ArrayBuffer;
    reply(
      {
        id,
        buffer,
        byteOffset: r.pixels.byteOffset,
        length: r.pixels.length,
        signed: r.pixels instanceof Int16Array,
        min: r.min,
        max: r.max,
      },
      [buffer],
    );
  } catch (err) {
    reply({ id, error: err instanceof Error ? err.message : String(err) });
  }
};
