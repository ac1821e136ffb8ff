import { describe, expect, it } from 'vitest';
import { type Geometry, voxelToWorld, worldToVoxel, voxelIndex, frameOf, type Volume } from './volume';

const g: Geometry = {
  dimensions: [4, 3, 2],
  spacing: [0.5, 0.75, 2],
  origin: [10, -20, 30],
  // i along -Y, j along +X, k along +Z (a rotated in-plane orientation)
  direction: [0, -1, 0, 1, 0, 0, 0, 0, 1],
};

describe('volume geometry', () => {
  it('maps voxel to world and back', () => {
    const w = voxelToWorld(g, 2, 1, 1);
    expect(w).toEqual([10 + 0.75, -20 - 1, 32]);
    const v = worldToVoxel(g, w);
    expect(v[0]).toBeCloseTo(2);
    expect(v[1]).toBeCloseTo(1);
    expect(v[2]).toBeCloseTo(1);
  });
  it('indexes i fastest', () => {
    expect(voxelIndex(g, 1, 0, 0)).toBe(1);
    expect(voxelIndex(g, 0, 1, 0)).toBe(4);
    expect(voxelIndex(g, 0, 0, 1)).toBe(12);
  });
  it('frameOf returns views of a 4D volume and rejects bad frames', () => {
    const data = new Float32Array(24 * 3).map((_, i) => i);
    const v: Volume = { geometry: g, data, frames: 3, unit: '1', metadata: { modality: 'MR' }, warnings: [] };
    expect(frameOf(v, 2).data[0]).toBe(48);
    expect(() => frameOf(v, 3)).toThrow(RangeError);
  });
});
