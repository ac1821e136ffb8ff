import { describe, expect, it } from 'vitest';
import { buildVolume } from './build-volume';
import { readCsaHeader } from './siemens-csa';
import { TS, writePart10 } from '../../../tests/phantoms/ct-part10-writer';

/** A 2×2-tile mosaic (8×8) holding 3 slices of 4×4; slice k has value 100·(k+1) + pixel index. */
function mosaic(): Uint8Array {
  const px = new Uint16Array(64);
  for (let k = 0; k < 3; k++)
    for (let y = 0; y < 4; y++)
      for (let x = 0; x < 4; x++)
        px[(Math.floor(k / 2) * 4 + y) * 8 + (k % 2) * 4 + x] = 100 * (k + 1) + y * 4 + x;
  return writePart10(
    [
      { tag: 0x00080008, vr: 'CS', value: 'ORIGINAL\\PRIMARY\\M\\ND\\MOSAIC' },
      { tag: 0x00080018, vr: 'UI', value: '1.2.3.4.5' },
      { tag: 0x00080060, vr: 'CS', value: 'MR' },
      { tag: 0x00180088, vr: 'DS', value: '5' },
      { tag: 0x00190010, vr: 'LO', value: 'SIEMENS MR HEADER' },
      { tag: 0x0019100a, vr: 'US', value: 3 },
      { tag: 0x0020000d, vr: 'UI', value: '1.2.3' },
      { tag: 0x0020000e, vr: 'UI', value: '1.2.3.4' },
      { tag: 0x00200032, vr: 'DS', value: '-10\\-20\\30' },
      { tag: 0x00200037, vr: 'DS', value: '1\\0\\0\\0\\1\\0' },
      { tag: 0x00280010, vr: 'US', value: 8 },
      { tag: 0x00280011, vr: 'US', value: 8 },
      { tag: 0x00280030, vr: 'DS', value: '2\\2' },
      { tag: 0x00280100, vr: 'US', value: 16 },
      { tag: 0x00280101, vr: 'US', value: 16 },
      { tag: 0x00280103, vr: 'US', value: 0 },
      { tag: 0x7fe00010, vr: 'OW', value: new Uint8Array(px.buffer) },
    ],
    { transferSyntaxUid: TS.explicitLE },
  );
}

describe('Siemens mosaic', () => {
  it('splits tiles into slices, moves the position from the mosaic corner to the tile corner', async () => {
    const v = await buildVolume([{ bytes: mosaic() }]);
    expect(v.geometry.dimensions).toEqual([4, 4, 3]);
    expect(v.geometry.spacing).toEqual([2, 2, 5]);
    // corner shift = (8 − 4)/2 pixels × 2 mm along row and column directions
    expect(v.geometry.origin).toEqual([-6, -16, 30]);
    for (let k = 0; k < 3; k++)
      for (let p = 0; p < 16; p++) expect(v.data[k * 16 + p]).toBe(100 * (k + 1) + p);
    expect(v.frames).toBe(1);
  });

  it('reads a CSA2 header', () => {
    const name = (s: string) => {
      const b = new Uint8Array(64);
      b.set(new TextEncoder().encode(s));
      return b;
    };
    const parts: number[] = [];
    const u32 = (v: number) => parts.push(v & 255, (v >> 8) & 255, (v >> 16) & 255, (v >>> 24) & 255);
    parts.push(...new TextEncoder().encode('SV10'), 4, 3, 2, 1);
    u32(1);
    u32(77);
    parts.push(...name('SliceNormalVector'));
    u32(3); // vm
    parts.push(...new TextEncoder().encode('FD\0\0'));
    u32(3); // syngodt
    u32(3); // nitems
    u32(77);
    for (const v of ['0.1', '-0.2', '0.97']) {
      u32(4);
      u32(v.length);
      u32(77);
      u32(4);
      const b = new TextEncoder().encode(v);
      parts.push(...b, ...new Array((4 - (b.length % 4)) % 4).fill(0));
    }
    expect(readCsaHeader(Uint8Array.from(parts))).toEqual({ SliceNormalVector: ['0.1', '-0.2', '0.97'] });
  });
});
