/**
 * DICOM RLE Lossless decoder (PS3.5 Annex G): a 64-byte header of segment offsets, one PackBits segment per byte
 * plane (most significant byte first, then per sample).
 *
 * @packageDocumentation
 */
import { DicomReadError } from './dicom-read-error';

/**
 * Decodes one RLE frame into little-endian, sample-interleaved bytes (`rows·columns·samples·bytesPerSample`).
 *
 * @param out optional destination (length at least the decoded size).
 * @throws DicomReadError `corrupt` for an invalid header, `truncated` when a segment ends early.
 */
export function rleDecode(
  src: Uint8Array,
  rows: number,
  columns: number,
  samplesPerPixel: number,
  bitsAllocated: number,
  out?: Uint8Array,
): Uint8Array {
  if (src.length < 64) throw new DicomReadError('truncated', 'RLE frame shorter than its 64-byte header');
  const dv = new DataView(src.buffer, src.byteOffset, src.byteLength);
  const nSeg = dv.getUint32(0, true);
  const bytesPerSample = bitsAllocated / 8;
  const expected = samplesPerPixel * bytesPerSample;
  if (nSeg !== expected || nSeg > 15) {
    throw new DicomReadError('corrupt', `RLE header lists ${nSeg} segments; ${expected} expected`);
  }
  const nPix = rows * columns;
  const stride = expected; // bytes per pixel in the output
  const dst = out ?? new Uint8Array(nPix * stride);
  for (let s = 0; s < nSeg; s++) {
    const start = dv.getUint32(4 + 4 * s, true);
    const end = s + 1 < nSeg ? dv.getUint32(8 + 4 * s, true) : src.length;
    if (start < 64 || start > src.length || end > src.length || end < start) {
      throw new DicomReadError('corrupt', `RLE segment ${s + 1} has an invalid offset`);
    }
    const sample = Math.floor(s / bytesPerSample);
    const byteInSample = bytesPerSample - 1 - (s % bytesPerSample); // MSB segment first → little-endian position
    let o = sample * bytesPerSample + byteInSample;
    let written = 0;
    let i = start;
    while (written < nPix && i < end) {
      const n = src[i++];
      if (n < 128) {
        const count = n + 1;
        if (i + count > end) break;
        for (let q = 0; q < count && written < nPix; q++, written++, o += stride) dst[o] = src[i + q];
        i += count;
      } else if (n > 128) {
        const count = 257 - n;
        const v = src[i++];
        for (let q = 0; q < count && written < nPix; q++, written++, o += stride) dst[o] = v;
      }
    }
    if (written < nPix) {
      throw new DicomReadError('truncated', `RLE segment ${s + 1} decodes to ${written} of ${nPix} pixels`);
    }
  }
  return dst;
}
