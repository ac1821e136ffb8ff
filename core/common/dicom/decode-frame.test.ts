import { describe, expect, it } from 'vitest';
import { readJpegFrameHeader } from './codecs';
import { decodeFrame, decodePixels, pixelFormatOf, type PixelFormat } from './decode-frame';
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

/**
 * A 16×16 12-bit JPEG extended stream (SOF1, P = 12) made by DCMTK 3.6.7 `dcmcjpeg +ee` (IJG 12-bit libjpeg) from a
 * ramp over 0..4095 with a 4095 disc, and what `dcmdjpeg` decodes it to (Uint16 LE): lets the 12-bit decoder be
 * checked where DCMTK is not installed (tests/validation/dicom-jpeg12.test.ts runs DCMTK itself).
 */
const JPEG12_STREAM =
  '/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAMCAgMCAgMDAwMEAwMEBQgFBQQEBQoHBwYIDAoMDAsKCwsNDhIQDQ4RDgsLEBYQERMUFRUV' +
  'DA8XGBYUGBIUFRT/wQALDAAQABABAREA/8QAFgABAQEAAAAAAAAAAAAAAAAADAsN/8QAKxAAAAUDBAADCQAAAAAAAAAAAQMEBQYHCAoC' +
  'CRITABQWCwwNFSg0RVHi/9oACAEBAAA/ACT1tvu2z9r9Ln6/Bfx4p8b+Pw/LzjsMDGPo5kF7zWKxWWyTakqCEBE+q73M6dSeVU69Zo9K' +
  'mOBUOAMMhXy+ngmnGpWtQEuZmgW95cG9lX+UdlyRAdouWKt7BWmGPjv8bY+6VT2zD17P7ILmqZXMR2KdItHzpyhsqbZElReeBMeKTuOb' +
  'Cy+8CTevnz6zOPEUI2T2oO3xsXvcEsPpVbXVWpkxvktwmdujxAJFGVbEMXbZrGFzG6qnRWYQalMFAlcVAiQjMUgoP0FFaDNJJutYT//Z';
const JPEG12_DCMDJPEG =
  'AAAPACAAMABAAFAAYABwAIUAjQClAK8AwQDSAOAA8gABAREBIQExAUIBUQFiAXEBegGRAacBrQHBAdAB4wHzAQECEQIhAjECQQJRAmIC' +
  'cQKIApACngK/Ar4C0QLlAvUCBAMUAyQDNANEA1QDZQN0A4cDkAOmA7EDvwPbA+ID8QMDBBMEIwQzBEMEUwRkBHMEgQSWBKUEtATJBNIE' +
  '4wT4BAYFFgUmBTYFRgVWBWcFdgWIBZUFqAW0BcQF1wXmBfUFBgYWBiYGNgZGBlYGZgZ2BoQG/w/8D/wP+g/bBuMG+AYHBxcHKAc3B0gH' +
  'VwdoB3cH/w/8D/sP/w//D/sP5wf3BwkIFggsCDkIQghbCGYI/w/8D/8P/w/7D/8P/w/9D/cICQkbCSIJNglUCVsJYwn/D/8P/w/4D/8P' +
  '/Q/8D/8P9wkIChsKLAo8CkMKVgpwCvwP/w/6D/8P/g/5D/8P/A/6CgcLHQsoCzgLTwtbC2wL+Q/7D/8P/w/+D/8P+w//D/wLDgwZDCoM' +
  'OwxODFwMaQyBDP8P/A/9D/8P/A/+D/AM+QwKDR4NLg04DU4NXQ1wDXsNiA3/D/8P/w//D98N6Q0ADhEOFw4wDkAORg5iDmgOfw6NDp4O' +
  'tg64Ds0O4A7vDvwODg8fDy4PPg9MD18PcQ99D44PpQ+lD8QP0Q/aD/MP/w8=';
const b64 = (s: string) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));

describe('12-bit JPEG extended', () => {
  const f: PixelFormat = {
    rows: 16,
    columns: 16,
    samplesPerPixel: 1,
    bitsAllocated: 16,
    bitsStored: 12,
    pixelRepresentation: 0,
    planarConfiguration: 0,
    photometricInterpretation: 'MONOCHROME2',
    transferSyntaxUid: '1.2.840.10008.1.2.4.51',
    numberOfFrames: 1,
  };

  it('decodes to DCMTK’s pixels within ±1 (IDCT rounding), the top of the range kept', async () => {
    const px = await decodePixels(b64(JPEG12_STREAM), f);
    const ref = new Uint16Array(b64(JPEG12_DCMDJPEG).buffer);
    expect(px).toBeInstanceOf(Uint16Array);
    expect(px.length).toBe(256);
    let max = 0,
      sum = 0;
    for (let i = 0; i < 256; i++) {
      max = Math.max(max, Math.abs(px[i] - ref[i]));
      sum += Math.abs(px[i] - ref[i]);
    }
    // measured: max 1, mean 0.11; Cornerstone's decoder as-is reads +14/+15 and clips above 4080
    expect(max).toBeLessThanOrEqual(1);
    expect(sum / 256).toBeLessThan(0.25);
    expect(Math.max(...px)).toBe(4095);
  });

  it('reads the frame header; bad streams are errors with a reason', async () => {
    const s = b64(JPEG12_STREAM);
    expect(readJpegFrameHeader(s)).toMatchObject({
      marker: 0xc1,
      precision: 12,
      width: 16,
      height: 16,
      components: 1,
    });
    expect(() => readJpegFrameHeader(s.subarray(2))).toThrow(DicomReadError);
    expect(() => readJpegFrameHeader(Uint8Array.of(0xff, 0xd8, 0xff, 0xd9))).toThrow(/no frame header/);
    await expect(decodePixels(s.subarray(0, 200), f)).rejects.toMatchObject({ kind: 'corrupt' });
    await expect(decodePixels(s, { ...f, bitsAllocated: 8 })).rejects.toMatchObject({ kind: 'unsupported' });
    await expect(decodePixels(s, { ...f, columns: 8 })).rejects.toMatchObject({ kind: 'corrupt' });
    // signed data: the 12-bit samples are two's complement, as dcmdjpeg leaves them
    const signed = await decodePixels(s, { ...f, pixelRepresentation: 1 });
    expect(signed).toBeInstanceOf(Int16Array);
    expect(Math.min(...signed)).toBeLessThan(-2000);
  });
});
