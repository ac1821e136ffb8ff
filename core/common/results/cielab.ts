/**
 * sRGB ⇄ DICOM CIELab conversion for RecommendedDisplayCIELabValue (0062,000D).
 * DICOM PS3.3 C.10.7.1.1: L* scaled 0..100 → 0..65535, a* and b* −128..127 → 0..65535; D50 white point (ICC PCS).
 * sRGB companding and the Bradford-adapted D50 matrix from IEC 61966-2-1 / Lindbloom.
 *
 * @packageDocumentation
 */

const D50 = [0.96422, 1.0, 0.82521];
// sRGB (linear) → XYZ D50 (Bradford adapted), Lindbloom.
const M = [
  [0.4360747, 0.3850649, 0.1430804],
  [0.2225045, 0.7168786, 0.0606169],
  [0.0139322, 0.0971045, 0.7141733],
];
// Inverse of M.
const MI = [
  [3.1338561, -1.6168667, -0.4906146],
  [-0.9787684, 1.9161415, 0.033454],
  [0.0719453, -0.2289914, 1.4052427],
];
const EPS = 216 / 24389;
const KAPPA = 24389 / 27;

const toLinear = (c: number) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
const fromLinear = (c: number) => (c <= 0.0031308 ? 12.92 * c : 1.055 * c ** (1 / 2.4) - 0.055);

/** RGB 0-255 → DICOM-scaled CIELab (three integers 0..65535). */
export function rgbToDicomLab(rgb: [number, number, number]): [number, number, number] {
  const lin = rgb.map((c) => toLinear(Math.min(255, Math.max(0, c)) / 255));
  const xyz = M.map((row) => row[0] * lin[0] + row[1] * lin[1] + row[2] * lin[2]);
  const f = xyz.map((v, i) => {
    const r = v / D50[i];
    return r > EPS ? Math.cbrt(r) : (KAPPA * r + 16) / 116;
  });
  const L = 116 * f[1] - 16;
  const a = 500 * (f[0] - f[1]);
  const b = 200 * (f[1] - f[2]);
  const clamp = (v: number) => Math.min(65535, Math.max(0, Math.round(v)));
  return [clamp((L * 65535) / 100), clamp(((a + 128) * 65535) / 255), clamp(((b + 128) * 65535) / 255)];
}

/** DICOM-scaled CIELab → RGB 0-255 (rounded, clamped). */
export function dicomLabToRgb(lab: [number, number, number]): [number, number, number] {
  const L = (lab[0] * 100) / 65535;
  const a = (lab[1] * 255) / 65535 - 128;
  const b = (lab[2] * 255) / 65535 - 128;
  const fy = (L + 16) / 116;
  const fx = fy + a / 500;
  const fz = fy - b / 200;
  const inv = (f: number) => (f ** 3 > EPS ? f ** 3 : (116 * f - 16) / KAPPA);
  const xyz = [inv(fx) * D50[0], (L > KAPPA * EPS ? fy ** 3 : L / KAPPA) * D50[1], inv(fz) * D50[2]];
  const lin = MI.map((row) => row[0] * xyz[0] + row[1] * xyz[1] + row[2] * xyz[2]);
  return lin.map((c) => Math.min(255, Math.max(0, Math.round(fromLinear(Math.max(0, c)) * 255)))) as [
    number,
    number,
    number,
  ];
}
