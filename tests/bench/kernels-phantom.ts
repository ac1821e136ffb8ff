/**
 * Synthetic CT-like int16 phantom for the kernel benchmark: air outside an elliptic body (soft tissue 40 HU), two
 * lungs (-850 HU), a spine-like bone column (700 HU) with a hollow canal, contrast-filled tubes (350 HU) of several
 * radii, and uniform noise (±30 HU). Deterministic.
 */
import type { Vec3 } from '../../wasm/types';

export function ctPhantom(dims: Vec3, spacing: Vec3, seed = 1): Int16Array {
  const [nx, ny, nz] = dims;
  const out = new Int16Array(nx * ny * nz);
  const cx = (nx * spacing[0]) / 2,
    cy = (ny * spacing[1]) / 2;
  const ax = 0.42 * nx * spacing[0],
    ay = 0.32 * ny * spacing[1];
  const tubes = [
    { x: cx - 0.12 * ax, y: cy + 0.2 * ay, r: 12, dx: 0.05, dy: 0 },
    { x: cx + 0.3 * ax, y: cy - 0.1 * ay, r: 4, dx: -0.08, dy: 0.05 },
    { x: cx - 0.3 * ax, y: cy - 0.15 * ay, r: 2.5, dx: 0.1, dy: 0.02 },
    { x: cx + 0.1 * ax, y: cy - 0.4 * ay, r: 1.5, dx: 0.02, dy: 0.12 },
  ];
  let s = seed >>> 0 || 1;
  let i = 0;
  for (let z = 0; z < nz; z++) {
    const Z = z * spacing[2];
    for (let y = 0; y < ny; y++) {
      const Y = y * spacing[1];
      for (let x = 0; x < nx; x++, i++) {
        const X = x * spacing[0];
        const e = ((X - cx) / ax) ** 2 + ((Y - cy) / ay) ** 2;
        let v = -1000;
        if (e <= 1) {
          v = 40;
          const lx = Math.abs(X - cx) - 0.45 * ax;
          if ((lx / (0.32 * ax)) ** 2 + ((Y - cy + 0.05 * ay) / (0.6 * ay)) ** 2 <= 1) v = -850;
          const br = Math.hypot(X - cx, Y - (cy + 0.6 * ay));
          if (br <= 0.16 * ay && br > 0.06 * ay) v = 700;
          for (const t of tubes) if (Math.hypot(X - (t.x + t.dx * Z), Y - (t.y + t.dy * Z)) <= t.r) v = 350;
        }
        s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
        out[i] = v + ((s >>> 16) % 61) - 30;
      }
    }
  }
  return out;
}
