import { describe, expect, it } from 'vitest';
import type { Geometry } from '@qiview/sdk';
import { chooseKeySlice } from './choose-key-slice';

const geometry = (nz: number): Geometry => ({
  dimensions: [4, 3, nz],
  spacing: [1, 1, 1],
  origin: [0, 0, 0],
  direction: [1, 0, 0, 0, 1, 0, 0, 0, 1],
});

describe('chooseKeySlice', () => {
  it('picks the axial slice with the most labelled voxels', () => {
    const data = new Uint8Array(4 * 3 * 5);
    data.fill(1, 12 * 1, 12 * 1 + 3); // k=1: 3 voxels
    data.fill(2, 12 * 3, 12 * 3 + 7); // k=3: 7 voxels
    data.fill(1, 12 * 4, 12 * 4 + 5); // k=4: 5 voxels
    expect(chooseKeySlice({ data, geometry: geometry(5) })).toBe(3);
  });
  it('takes the middle of tied slices (a cylinder through the volume gives its middle slice)', () => {
    const data = new Uint8Array(4 * 3 * 7);
    for (let k = 1; k < 7; k++) data.fill(1, 12 * k, 12 * k + 4); // k=1..6 tie
    expect(chooseKeySlice({ data, geometry: geometry(7) })).toBe(3);
  });
  it('falls back to the middle slice when nothing is labelled', () => {
    expect(chooseKeySlice({ data: new Uint8Array(4 * 3 * 6), geometry: geometry(6) })).toBe(3);
  });
});
