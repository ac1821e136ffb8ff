import { describe, expect, it } from 'vitest';
import { opacityMapping } from './parametric-fusion';

/** Opacity at `v` of a piecewise-linear mapping (clamped at its ends, as vtk's table is). */
function at(points: { value: number; opacity: number }[], v: number): number {
  if (v <= points[0].value) return points[0].opacity;
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1],
      b = points[i];
    if (v <= b.value)
      return b.value > a.value
        ? a.opacity + ((v - a.value) / (b.value - a.value)) * (b.opacity - a.opacity)
        : b.opacity;
  }
  return points[points.length - 1].opacity;
}

describe('parametric map opacity mapping', () => {
  const data = { lower: 0, upper: 120 };
  const nan = -2.4;
  it('is transparent for NaN and values at or below the range lower end, the overlay opacity above', () => {
    const m = opacityMapping([20, 100], 0.6, nan, data);
    expect(at(m, nan)).toBe(0);
    expect(at(m, 0)).toBe(0);
    expect(at(m, 20)).toBe(0);
    expect(at(m, 21)).toBeCloseTo(0.6, 6);
    expect(at(m, 60)).toBeCloseTo(0.6, 6);
    expect(at(m, 120)).toBeCloseTo(0.6, 6);
    expect(at(m, 500)).toBeCloseTo(0.6, 6);
  });
  it('keeps NaN transparent when the range starts below the data', () => {
    const m = opacityMapping([-50, 100], 0.6, nan, data);
    expect(at(m, nan)).toBe(0);
    expect(at(m, 0)).toBeCloseTo(0.6, 6);
  });
  it('spans only the data and the range (vtk samples it into a fixed-size table)', () => {
    const m = opacityMapping([0, 400], 1, nan, data);
    expect(m[0].value).toBe(nan);
    expect(m[m.length - 1].value).toBe(400);
    expect(m.every((p, i) => i === 0 || p.value > m[i - 1].value)).toBe(true);
  });
  it('is all zero when hidden', () => {
    expect(opacityMapping([0, 100], 0, nan, data).every((p) => p.opacity === 0)).toBe(true);
  });
});
