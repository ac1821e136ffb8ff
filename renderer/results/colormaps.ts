/**
 * Colour maps for parametric overlays and colour bars, as RGB stops on [0, 1]. Stops: matplotlib `hot`, `jet` and
 * `viridis` (sampled), Moreland's diverging cool-warm (2009), plain gray.
 */
import type { ParametricMap } from '@qiview/sdk';

export type ColormapName = NonNullable<ParametricMap['display']>['colormap'];
type Stop = [number, [number, number, number]];

export const COLORMAP_STOPS: Record<ColormapName, Stop[]> = {
  gray: [
    [0, [0, 0, 0]],
    [1, [255, 255, 255]],
  ],
  hot: [
    [0, [0, 0, 0]],
    [0.375, [255, 0, 0]],
    [0.75, [255, 255, 0]],
    [1, [255, 255, 255]],
  ],
  jet: [
    [0, [0, 0, 143]],
    [0.125, [0, 0, 255]],
    [0.375, [0, 255, 255]],
    [0.625, [255, 255, 0]],
    [0.875, [255, 0, 0]],
    [1, [128, 0, 0]],
  ],
  viridis: [
    [0, [68, 1, 84]],
    [0.25, [59, 82, 139]],
    [0.5, [33, 145, 140]],
    [0.75, [94, 201, 98]],
    [1, [253, 231, 37]],
  ],
  'cool-warm': [
    [0, [59, 76, 192]],
    [0.5, [221, 221, 221]],
    [1, [180, 4, 38]],
  ],
};

/** The colour of `t` in [0, 1] (clamped), linearly interpolated between stops. */
export function colormapColor(name: ColormapName, t: number): [number, number, number] {
  const stops = COLORMAP_STOPS[name] ?? COLORMAP_STOPS.gray;
  const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0));
  for (let i = 1; i < stops.length; i++) {
    const [t1, c1] = stops[i];
    const [t0, c0] = stops[i - 1];
    if (x <= t1) {
      const f = t1 > t0 ? (x - t0) / (t1 - t0) : 0;
      return [0, 1, 2].map((c) => Math.round(c0[c] + f * (c1[c] - c0[c]))) as [number, number, number];
    }
  }
  return stops[stops.length - 1][1];
}

/** A CSS linear-gradient (left → right = low → high) for a colour bar. */
export function cssGradient(name: ColormapName, direction = 'to right'): string {
  const stops = COLORMAP_STOPS[name] ?? COLORMAP_STOPS.gray;
  return `linear-gradient(${direction}, ${stops.map(([t, [r, g, b]]) => `rgb(${r}, ${g}, ${b}) ${(t * 100).toFixed(1)}%`).join(', ')})`;
}

/** `#rrggbb` for an RGB triple. */
export function rgbToHex(c: [number, number, number]): string {
  return (
    '#' +
    c
      .map((v) =>
        Math.min(255, Math.max(0, Math.round(v)))
          .toString(16)
          .padStart(2, '0'),
      )
      .join('')
  );
}

/** RGB triple for `#rrggbb` (null when malformed). */
export function hexToRgb(hex: string): [number, number, number] | null {
  const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex.trim());
  return m ? [parseInt(m[1], 16), parseInt(m[2], 16), parseInt(m[3], 16)] : null;
}
