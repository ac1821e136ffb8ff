/** Pure helpers of the viewport overlay (orientation letters, scale bar length). */

/** The patient direction letter (LPS: +x left, +y posterior, +z superior) a world vector points to most. */
export function directionLetter(v: number[]): string {
  const labels: [string, string][] = [
    ['L', 'R'],
    ['P', 'A'],
    ['S', 'I'],
  ];
  const order = [0, 1, 2].sort((a, b) => Math.abs(v[b]) - Math.abs(v[a]));
  const norm = Math.hypot(v[0], v[1], v[2]) || 1;
  let s = '';
  for (const ax of order) {
    if (Math.abs(v[ax]) / norm < 0.25) break;
    s += v[ax] > 0 ? labels[ax][0] : labels[ax][1];
    if (s.length === 2) break;
  }
  return s;
}

/** A "nice" scale bar length (1, 2, 5 × 10^n mm) not longer than `maxMm`. */
export function niceLength(maxMm: number): number {
  if (!(maxMm > 0)) return 0;
  const p = Math.pow(10, Math.floor(Math.log10(maxMm)));
  for (const m of [5, 2, 1]) if (m * p <= maxMm) return m * p;
  return p;
}
