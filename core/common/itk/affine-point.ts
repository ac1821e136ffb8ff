/**
 * Points through a 3 × 4 row-major affine [A | b] (the SDK's {@link SeriesRegistration.matrix} and
 * {@link RegistrationTransform.matrix}: moving = A·x + b, LPS mm), both ways: the viewer pairs a current CT slice with
 * the registered prior's (forward) and the prior's with the current's (inverse). Environment-neutral, no UI.
 *
 * @packageDocumentation
 */
import type { Vec3 } from '@qiview/sdk';

/** |det A| below which A is treated as singular (a rigid or usable affine transform has |det A| near 1). */
const MIN_DETERMINANT = 1e-6;

/** Why `m` is not a usable [A | b] (12 finite numbers, A invertible), or undefined when it is. */
export function affineProblem(m: unknown): string | undefined {
  if (!Array.isArray(m) || m.length !== 12) return 'must be 12 numbers ([A | b], 3 × 4 row-major)';
  if (!m.every((x) => typeof x === 'number' && Number.isFinite(x))) return 'has non-finite entries';
  if (Math.abs(determinant(m as number[])) < MIN_DETERMINANT) return 'has a singular A (det ≈ 0)';
  return undefined;
}

/** The 3 × 3 linear part A of [A | b], row-major. */
function linearPart(m: readonly number[]): number[] {
  return [m[0]!, m[1]!, m[2]!, m[4]!, m[5]!, m[6]!, m[8]!, m[9]!, m[10]!];
}

function determinant(m: readonly number[]): number {
  const [a, b, c, d, e, f, g, h, i] = linearPart(m);
  return a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g);
}

/** A·p + b. */
export function applyAffine(m: readonly number[], p: readonly number[]): Vec3 {
  return [0, 1, 2].map(
    (r) => m[r * 4]! * p[0]! + m[r * 4 + 1]! * p[1]! + m[r * 4 + 2]! * p[2]! + m[r * 4 + 3]!,
  ) as Vec3;
}

/**
 * The inverse mapping [A⁻¹ | −A⁻¹·b] (moving → fixed). Throws for a matrix {@link affineProblem} refuses.
 */
export function invertAffine(m: readonly number[]): number[] {
  const problem = affineProblem(m);
  if (problem) throw new Error(`affine matrix ${problem}`);
  const [a, b, c, d, e, f, g, h, i] = linearPart(m);
  const det = determinant(m);
  // adjugate / det
  const inv = [
    (e * i - f * h) / det,
    (c * h - b * i) / det,
    (b * f - c * e) / det,
    (f * g - d * i) / det,
    (a * i - c * g) / det,
    (c * d - a * f) / det,
    (d * h - e * g) / det,
    (b * g - a * h) / det,
    (a * e - b * d) / det,
  ];
  const t = [m[3]!, m[7]!, m[11]!];
  const out: number[] = [];
  for (let r = 0; r < 3; r++) {
    const row = [inv[r * 3]!, inv[r * 3 + 1]!, inv[r * 3 + 2]!];
    out.push(...row, -(row[0]! * t[0]! + row[1]! * t[1]! + row[2]! * t[2]!));
  }
  return out;
}
