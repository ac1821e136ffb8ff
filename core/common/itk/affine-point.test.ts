import { describe, expect, it } from 'vitest';
import { affineProblem, applyAffine, invertAffine } from './affine-point';

/** [A | b] for a rotation about z by `deg`, then about x by `tilt`, plus a shift. */
function rigid(deg: number, tilt: number, b: [number, number, number]): number[] {
  const [c, s] = [Math.cos((deg * Math.PI) / 180), Math.sin((deg * Math.PI) / 180)];
  const [ct, st] = [Math.cos((tilt * Math.PI) / 180), Math.sin((tilt * Math.PI) / 180)];
  // Rz·Rx
  const a = [c, -s * ct, s * st, s, c * ct, -c * st, 0, st, ct];
  return [a[0]!, a[1]!, a[2]!, b[0], a[3]!, a[4]!, a[5]!, b[1], a[6]!, a[7]!, a[8]!, b[2]];
}

describe('affine point mapping', () => {
  it('maps a point fixed → moving as A·x + b (a prior table 30 mm further in z)', () => {
    const m = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 30];
    expect(applyAffine(m, [10, -20, 5])).toEqual([10, -20, 35]);
  });

  it('maps back moving → fixed with the inverse (rotation and shift)', () => {
    const m = rigid(4, 2, [6, -4, 30]);
    const inv = invertAffine(m);
    const x = [80, -60, 90];
    const y = applyAffine(m, x);
    // 90° about z would move (80, -60) by a lot: check the numbers, not only the round trip
    expect(y[2]).toBeCloseTo(
      -60 * Math.sin((2 * Math.PI) / 180) + 90 * Math.cos((2 * Math.PI) / 180) + 30,
      10,
    );
    const back = applyAffine(inv, y);
    for (let i = 0; i < 3; i++) expect(back[i]).toBeCloseTo(x[i]!, 10);
    // and the inverse of the inverse is the matrix
    invertAffine(inv).forEach((v, i) => expect(v).toBeCloseTo(m[i]!, 12));
  });

  it('inverts a general affine (scale and shear), not only rotations', () => {
    const m = [1.2, 0.1, 0, 3, 0, 0.9, 0.2, -1, 0.05, 0, 1.1, 7];
    const inv = invertAffine(m);
    for (const x of [
      [0, 0, 0],
      [-50, 20, 100],
    ]) {
      const back = applyAffine(m, applyAffine(inv, x));
      for (let i = 0; i < 3; i++) expect(back[i]).toBeCloseTo(x[i]!, 10);
    }
  });

  it('refuses matrices that are not 12 finite numbers with an invertible A', () => {
    expect(affineProblem(rigid(10, 5, [1, 2, 3]))).toBeUndefined();
    expect(affineProblem([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1])).toMatch(/12 numbers/);
    expect(affineProblem([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, NaN])).toMatch(/non-finite/);
    expect(affineProblem('x')).toMatch(/12 numbers/);
    expect(affineProblem([1, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0])).toMatch(/singular/);
    expect(() => invertAffine([0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1])).toThrow(/singular/);
  });
});
