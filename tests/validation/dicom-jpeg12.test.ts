/**
 * 12-bit JPEG extended (1.2.840.10008.1.2.4.51, Process 4) against DCMTK, on phantoms the test makes itself: a 12-bit
 * CT series (full stored range 0-4095: a ramp, air, soft tissue with a texture, a dense insert) is compressed with
 * `dcmcjpeg +ee` (IJG's 12-bit libjpeg) and decompressed with `dcmdjpeg` as the independent reference. Our decoder
 * (core/common/dicom/codecs.ts, Cornerstone's JavaScript JPEG decoder) must agree with DCMTK's to ±1 stored value
 * (two IDCT implementations), and the batch import path (scanPaths + loadSeriesVolume) must give the phantom's HU
 * within the loss of the compression. Skips when DCMTK is not installed.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JPEG12_SELF_CHECK, readJpegFrameHeader } from '../../core/common/dicom/codecs';
import {
  decodeFrame,
  decodePixels,
  encapsulatedFrame,
  pixelFormatOf,
  type FramePixels,
} from '../../core/common/dicom/decode-frame';
import { groupInstances } from '../../core/common/dicom/group-instances';
import { openDataSet } from '../../core/common/dicom/open-dataset';
import { loadSeriesVolume } from '../../core/node/import/load-series-volume';
import { scanPaths } from '../../core/node/import/scan-paths';
import { TS, writePart10, type WriteElement } from '../phantoms/ct-part10-writer';

const hasDcmtk = ['dcmcjpeg', 'dcmdjpeg'].every((t) => spawnSync(t, ['--version']).status === 0);

const N = 64;
const SLICES = 4;

/**
 * HU of the phantom at pixel (i, j) of slice k. Signed phantoms clip to the 12-bit signed range −2048..2047; unsigned
 * ones store HU + 1024 (0..4095: the ramp reaches both ends, so a decoder that clips or biases the extremes fails).
 */
function phantomHu(i: number, j: number, k: number, signed: boolean): number {
  const x = i - (N - 1) / 2,
    y = j - (N - 1) / 2;
  let hu = -1000;
  if (j < 8) hu = -1024 + Math.round((4095 * i) / (N - 1));
  else if (Math.hypot(x, y) < 26)
    hu =
      Math.hypot(x - 10 + k, y) < 6
        ? 3071
        : 40 + Math.round(20 * Math.sin(i / 3) + 15 * Math.cos((j + k) / 4));
  return signed ? Math.max(-2048, Math.min(2047, hu)) : hu;
}

/** One slice of a 12-bit CT series (BitsAllocated 16, BitsStored 12), explicit VR little endian. */
function slice(k: number, signed: boolean): { bytes: Uint8Array; hu: Int16Array } {
  const px = new Uint8Array(N * N * 2);
  const dv = new DataView(px.buffer);
  const hu = new Int16Array(N * N);
  for (let j = 0; j < N; j++)
    for (let i = 0; i < N; i++) {
      const h = phantomHu(i, j, k, signed);
      hu[i + N * j] = h;
      if (signed) dv.setInt16(2 * (i + N * j), h, true);
      else dv.setUint16(2 * (i + N * j), h + 1024, true);
    }
  const series = `1.2.826.0.1.3680043.10.12.${signed ? 2 : 1}`;
  const el: WriteElement[] = [
    { tag: 0x00080016, vr: 'UI', value: '1.2.840.10008.5.1.4.1.1.2' },
    { tag: 0x00080018, vr: 'UI', value: `${series}.${k + 1}` },
    { tag: 0x00080020, vr: 'DA', value: '20240102' },
    { tag: 0x00080060, vr: 'CS', value: 'CT' },
    { tag: 0x0008103e, vr: 'LO', value: `12-bit CT phantom ${signed ? 'signed' : 'unsigned'}` },
    { tag: 0x00100010, vr: 'PN', value: 'Phantom^Jpeg12' },
    { tag: 0x00100020, vr: 'LO', value: 'PHANTOM-JPEG12' },
    { tag: 0x00180050, vr: 'DS', value: '2' },
    { tag: 0x0020000d, vr: 'UI', value: '1.2.826.0.1.3680043.10.12' },
    { tag: 0x0020000e, vr: 'UI', value: series },
    { tag: 0x00200013, vr: 'IS', value: String(SLICES - k) },
    { tag: 0x00200032, vr: 'DS', value: `-25.2\\-25.2\\${2 * k}` },
    { tag: 0x00200037, vr: 'DS', value: '1\\0\\0\\0\\1\\0' },
    { tag: 0x00280002, vr: 'US', value: 1 },
    { tag: 0x00280004, vr: 'CS', value: 'MONOCHROME2' },
    { tag: 0x00280010, vr: 'US', value: N },
    { tag: 0x00280011, vr: 'US', value: N },
    { tag: 0x00280030, vr: 'DS', value: '0.8\\0.8' },
    { tag: 0x00280100, vr: 'US', value: 16 },
    { tag: 0x00280101, vr: 'US', value: 12 },
    { tag: 0x00280102, vr: 'US', value: 11 },
    { tag: 0x00280103, vr: 'US', value: signed ? 1 : 0 },
    { tag: 0x00281052, vr: 'DS', value: signed ? '0' : '-1024' },
    { tag: 0x00281053, vr: 'DS', value: '1' },
    { tag: 0x7fe00010, vr: 'OW', value: px },
  ];
  return { bytes: writePart10(el, { transferSyntaxUid: TS.explicitLE }), hu };
}

function run(tool: string, args: string[]): void {
  const r = spawnSync(tool, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${tool} ${args.join(' ')} failed: ${r.stderr || r.stdout}`);
}

/** max and mean |a − b|, and the mean signed difference. */
function agreement(a: ArrayLike<number>, b: ArrayLike<number>): { max: number; mean: number; bias: number } {
  expect(a.length).toBe(b.length);
  let max = 0,
    sum = 0,
    signed = 0;
  for (let i = 0; i < b.length; i++) {
    const d = a[i] - b[i];
    max = Math.max(max, Math.abs(d));
    sum += Math.abs(d);
    signed += d;
  }
  return { max, mean: sum / b.length, bias: signed / b.length };
}

/** Two IDCTs (Cornerstone's, from pdf.js, and IJG's islow) round differently: ±1 stored value. Measured below. */
const VS_DCMTK = { max: 1, mean: 0.25 };

let dir: string;
const pixelsOf = async (file: string): Promise<FramePixels> =>
  decodeFrame(openDataSet(new Uint8Array(readFileSync(file))), 0);
const truth: Record<string, Int16Array> = {};

describe.skipIf(!hasDcmtk)('12-bit JPEG extended vs DCMTK (dcmcjpeg +ee / dcmdjpeg)', () => {
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'qiview-jpeg12-'));
    for (const sub of ['src', 'series', 'ref']) mkdirSync(path.join(dir, sub));
    for (const signed of [false, true]) {
      for (let k = 0; k < SLICES; k++) {
        const name = `${signed ? 's' : 'u'}${k}.dcm`;
        const s = slice(k, signed);
        truth[name] = s.hu;
        writeFileSync(path.join(dir, 'src', name), s.bytes);
        run('dcmcjpeg', ['+ee', path.join(dir, 'src', name), path.join(dir, 'series', name)]);
        run('dcmdjpeg', [path.join(dir, 'series', name), path.join(dir, 'ref', name)]);
      }
    }
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('every slice decodes to DCMTK’s pixels within ±1 stored value, the full 0..4095 range kept', async () => {
    const rows: string[] = [];
    for (const name of Object.keys(truth)) {
      const ds = openDataSet(new Uint8Array(readFileSync(path.join(dir, 'series', name))));
      expect(ds.string('x00020010')).toBe('1.2.840.10008.1.2.4.51');
      const ours = await decodeFrame(ds, 0);
      const ref = await pixelsOf(path.join(dir, 'ref', name));
      expect(ours).toBeInstanceOf(Uint16Array);
      const a = agreement(ours, ref);
      rows.push(`${name}: max ${a.max} mean ${a.mean.toFixed(4)} bias ${a.bias.toFixed(4)}`);
      // measured (dcmtk 3.6.7): max 1, mean 0.08-0.12 per slice; the bias is within it
      expect(a.max, name).toBeLessThanOrEqual(VS_DCMTK.max);
      expect(a.mean, name).toBeLessThan(VS_DCMTK.mean);
      expect(Math.abs(a.bias), name).toBeLessThan(VS_DCMTK.mean);
      let mn = Infinity,
        mx = -Infinity;
      for (const v of ours) {
        mn = Math.min(mn, v);
        mx = Math.max(mx, v);
      }
      let rmn = Infinity,
        rmx = -Infinity;
      for (const v of ref) {
        rmn = Math.min(rmn, v);
        rmx = Math.max(rmx, v);
      }
      expect([mn, mx], name).toEqual([rmn, rmx]);
      if (name.startsWith('u')) expect([mn, mx], name).toEqual([0, 4095]);
    }
    console.log(`12-bit JPEG vs dcmdjpeg:\n  ${rows.join('\n  ')}`);
  });

  it('the decoder’s self-check stream (codecs.ts) decodes to 2048 and 3048 in DCMTK too', async () => {
    const el: WriteElement[] = [
      { tag: 0x00080016, vr: 'UI', value: '1.2.840.10008.5.1.4.1.1.7' },
      { tag: 0x00080018, vr: 'UI', value: '1.2.826.0.1.3680043.10.12.9' },
      { tag: 0x00280002, vr: 'US', value: 1 },
      { tag: 0x00280004, vr: 'CS', value: 'MONOCHROME2' },
      { tag: 0x00280010, vr: 'US', value: 8 },
      { tag: 0x00280011, vr: 'US', value: 16 },
      { tag: 0x00280100, vr: 'US', value: 16 },
      { tag: 0x00280101, vr: 'US', value: 12 },
      { tag: 0x00280102, vr: 'US', value: 11 },
      { tag: 0x00280103, vr: 'US', value: 0 },
      { tag: 0x7fe00010, vr: 'OB', value: { fragments: [JPEG12_SELF_CHECK] } },
    ];
    const file = path.join(dir, 'self-check.dcm');
    writeFileSync(file, writePart10(el, { transferSyntaxUid: '1.2.840.10008.1.2.4.51' }));
    run('dcmdjpeg', [file, path.join(dir, 'self-check-ref.dcm')]);
    const expected = Array.from({ length: 128 }, (_, i) => ((i & 15) < 8 ? 2048 : 3048));
    expect(Array.from(await pixelsOf(path.join(dir, 'self-check-ref.dcm')))).toEqual(expected);
    expect(Array.from(await pixelsOf(file))).toEqual(expected);
  });

  it('the tolerance catches a wrong decode: byte order, bit shift, sign, Cornerstone’s +15 level shift', async () => {
    const ours = (await pixelsOf(path.join(dir, 'series', 'u0.dcm'))) as Uint16Array;
    const ref = await pixelsOf(path.join(dir, 'ref', 'u0.dcm'));
    const wrong: Record<string, ArrayLike<number>> = {
      'byte-swapped': ours.map((v) => ((v & 0xff) << 8) | (v >> 8)),
      'high bits (<<4)': ours.map((v) => (v << 4) & 0xffff),
      'sign-extended 12-bit': Int16Array.from(ours, (v) => (v << 20) >> 20),
      '+15 (8-bit level shift scaled to 12 bits)': ours.map((v) => Math.min(4095, v + 15)),
      'off by one everywhere': ours.map((v) => Math.min(4095, v + 1)),
    };
    for (const [what, px] of Object.entries(wrong)) {
      const a = agreement(px, ref);
      expect(a.max > VS_DCMTK.max || a.mean >= VS_DCMTK.mean, what).toBe(true);
    }
  });

  it('a truncated or mislabelled 12-bit JPEG frame is an error with a reason, never numbers', async () => {
    const ds = openDataSet(new Uint8Array(readFileSync(path.join(dir, 'series', 'u1.dcm'))));
    const f = pixelFormatOf(ds);
    const jpeg = encapsulatedFrame(ds, 0, 1);
    expect(readJpegFrameHeader(jpeg)).toMatchObject({ marker: 0xc1, precision: 12, width: N, height: N });
    for (const cut of [jpeg.length - 40, Math.floor(jpeg.length / 2), 20]) {
      await expect(decodePixels(jpeg.subarray(0, cut), f), `cut at ${cut}`).rejects.toMatchObject({
        kind: 'corrupt',
      });
    }
    await expect(decodePixels(jpeg, { ...f, bitsAllocated: 8 })).rejects.toMatchObject({
      kind: 'unsupported',
    });
    await expect(decodePixels(jpeg, { ...f, rows: N / 2 })).rejects.toMatchObject({ kind: 'corrupt' });
  });

  it('batch import (scanPaths + loadSeriesVolume) gives the phantom’s HU within the JPEG loss', async () => {
    const { parsed, report } = await scanPaths([path.join(dir, 'series')]);
    expect(report.skipped).toEqual([]);
    const g = groupInstances(parsed);
    expect(g.series).toHaveLength(2);
    const rows: string[] = [];
    for (const s of g.series) {
      const signed = s.seriesInstanceUid.endsWith('.2');
      const v = await loadSeriesVolume(g.instances[s.seriesInstanceUid]);
      expect(v.geometry.dimensions).toEqual([N, N, SLICES]);
      expect(v.unit).toBe('HU');
      const expected = new Float64Array(N * N * SLICES);
      for (let k = 0; k < SLICES; k++) expected.set(truth[`${signed ? 's' : 'u'}${k}.dcm`], k * N * N);
      const a = agreement(v.data, expected);
      rows.push(
        `${signed ? 'signed' : 'unsigned'}: max ${a.max} mean ${a.mean.toFixed(3)} bias ${a.bias.toFixed(3)}`,
      );
      // dcmcjpeg's default quality (90): measured max 16 HU, mean 1.49 HU (ringing at 4000 HU steps), bias -0.13
      expect(a.max).toBeLessThan(40);
      expect(a.mean).toBeLessThan(3);
      expect(Math.abs(a.bias)).toBeLessThan(0.5);
    }
    console.log(`12-bit JPEG CT through loadSeriesVolume vs phantom HU:\n  ${rows.join('\n  ')}`);
  });
});
