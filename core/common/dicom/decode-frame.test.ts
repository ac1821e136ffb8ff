import { describe, expect, it } from 'vitest';
import { decodeFrame, pixelFormatOf } from './decode-frame';
import { openDataSet } from './open-dataset';
import { rleDecode } from './rle-decode';
import { ctSeriesExpectedHu, ctSeriesFiles, packBits, rleEncode16 } from '../../../tests/phantoms/ct-series';
import { DicomReadError } from './dicom-read-error';

describe('decodeFrame', () => {
  const dims: [number, number, number] = [40, 30, 2];
  const hu = ctSeriesExpectedHu({ dims: [40, 30, 1] });
  for (const ts of [
    'explicitLE',
    'implicitLE',
    'explicitBE',
    'raw',
    'deflatedLE',
    'rle',
    'jpegLS',
    'htj2k',
  ] as const) {
    for (const signed of [false, true]) {
      it(`${ts} ${signed ? 'signed' : 'unsigned'}: stored values exactly as written`, async () => {
        const [f] = await ctSeriesFiles({ dims, transferSyntax: ts, signed });
        const ds = openDataSet(f.bytes);
        const fmt = pixelFormatOf(ds);
        const px = await decodeFrame(ds, 0, fmt);
        expect(px).toBeInstanceOf(signed ? Int16Array : Uint16Array);
        expect(px.length).toBe(40 * 30);
        let bad = 0;
        for (let p = 0; p < px.length; p++) if (px[p] !== hu[p] + (signed ? 0 : 1024)) bad++;
        expect(bad).toBe(0);
      });
    }
  }

  it('JPEG baseline 8-bit (lossy q100) decodes within 2 stored units of what was written', async () => {
    const [f] = await ctSeriesFiles({ dims, transferSyntax: 'jpegBaseline' });
    const px = await decodeFrame(openDataSet(f.bytes), 0);
    expect(px).toBeInstanceOf(Uint8Array);
    let worst = 0,
      sum = 0;
    for (let p = 0; p < px.length; p++) {
      const d = Math.abs(px[p] - Math.round((hu[p] + 1024) / 8));
      worst = Math.max(worst, d);
      sum += d;
    }
    expect(sum / px.length).toBeLessThan(0.5);
    expect(worst).toBeLessThanOrEqual(4);
  });

  it('rejects an out-of-range frame and a truncated RLE segment with DicomReadError', async () => {
    const [f] = await ctSeriesFiles({ dims: [8, 8, 1] });
    const ds = openDataSet(f.bytes);
    await expect(decodeFrame(ds, 1)).rejects.toBeInstanceOf(DicomReadError);
    const px = new Uint8Array(128).map((_, i) => i);
    const enc = rleEncode16(px);
    expect(() => rleDecode(enc.subarray(0, enc.length - 10), 8, 8, 1, 16)).toThrow(/RLE segment/);
  });

  it('RLE round-trips runs and literals of every length', () => {
    const src = new Uint8Array(1000);
    for (let i = 0; i < src.length; i++) src[i] = i < 300 ? 7 : i < 600 ? i & 255 : (i >> 5) & 1;
    const seg = packBits(src);
    const hdr = new Uint8Array(64 + seg.length);
    new DataView(hdr.buffer).setUint32(0, 1, true);
    new DataView(hdr.buffer).setUint32(4, 64, true);
    hdr.set(seg, 64);
    expect(Array.from(rleDecode(hdr, 1, 1000, 1, 8))).toEqual(Array.from(src));
  });
});
