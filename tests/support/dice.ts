/**
 * Dice overlap of two labelmaps on the same grid: label `la` in `a` against label `lb` in `b`,
 * 2·|A∩B| / (|A| + |B|).
 */
export function dice(a: Uint8Array, la: number, b: Uint8Array, lb: number): number {
  let na = 0,
    nb = 0,
    nab = 0;
  for (let q = 0; q < a.length; q++) {
    const x = a[q] === la,
      y = b[q] === lb;
    if (x) na++;
    if (y) nb++;
    if (x && y) nab++;
  }
  return (2 * nab) / (na + nb);
}
