/**
 * Colour read-back for overlay e2e tests: how much of a region of a viewport's canvas is coloured (not grey) and
 * which hue it has. Regions are given as fractions of the image square (the largest centred square of the canvas,
 * where a square field of view is drawn when it fits the viewport's height or width).
 */
import type { Page } from '@playwright/test';

export interface RegionColour {
  pixels: number;
  /** Fraction of pixels whose channels differ by more than 25 (max − min): not grey. */
  coloured: number;
  /** Median hue (degrees, 0..360) of the coloured pixels; null when none. */
  hue: number | null;
  /** Mean R, G, B of the coloured pixels. */
  meanRgb: [number, number, number] | null;
}

/** Hue (degrees) of an RGB colour; null for grey. Blending with grey keeps the hue: (c·a + g·(1−a)). */
export function hueOf([r, g, b]: [number, number, number]): number | null {
  const max = Math.max(r, g, b),
    min = Math.min(r, g, b);
  if (max - min < 1e-9) return null;
  let h: number;
  if (max === r) h = ((g - b) / (max - min)) % 6;
  else if (max === g) h = (b - r) / (max - min) + 2;
  else h = (r - g) / (max - min) + 4;
  return (h * 60 + 360) % 360;
}

/** Colour summary of the region [x0, x1) × [y0, y1) (fractions of the image square) of a viewport's canvas. */
export async function regionColour(
  page: Page,
  viewportId: string,
  [x0, y0, x1, y1]: [number, number, number, number],
): Promise<RegionColour> {
  const raw = await page.evaluate(
    ({ viewportId, box }) => {
      const canvas = document.querySelector(
        `[data-viewport-id="${viewportId}"] canvas`,
      ) as HTMLCanvasElement | null;
      if (!canvas) throw new Error(`no canvas in viewport ${viewportId}`);
      const w = canvas.width,
        h = canvas.height;
      const tmp = document.createElement('canvas');
      tmp.width = w;
      tmp.height = h;
      const ctx = tmp.getContext('2d')!;
      ctx.drawImage(canvas, 0, 0);
      const d = ctx.getImageData(0, 0, w, h).data;
      const side = Math.min(w, h);
      const left = (w - side) / 2,
        top = (h - side) / 2;
      const px: [number, number, number][] = [];
      let total = 0;
      for (let y = Math.round(top + box[1] * side); y < Math.round(top + box[3] * side); y++) {
        for (let x = Math.round(left + box[0] * side); x < Math.round(left + box[2] * side); x++) {
          const i = 4 * (y * w + x);
          total++;
          const r = d[i],
            g = d[i + 1],
            b = d[i + 2];
          if (Math.max(r, g, b) - Math.min(r, g, b) > 25) px.push([r, g, b]);
        }
      }
      return { total, px };
    },
    { viewportId, box: [x0, y0, x1, y1] },
  );
  const hues = raw.px
    .map(hueOf)
    .filter((h): h is number => h !== null)
    .sort((a, b) => a - b);
  const mean = raw.px.length
    ? ([0, 1, 2].map((c) => raw.px.reduce((s, p) => s + p[c], 0) / raw.px.length) as [number, number, number])
    : null;
  return {
    pixels: raw.total,
    coloured: raw.total ? raw.px.length / raw.total : 0,
    hue: hues.length ? hues[Math.floor(hues.length / 2)] : null,
    meanRgb: mean,
  };
}

/** Smallest angle between two hues (degrees). */
export function hueDistance(a: number, b: number): number {
  const d = Math.abs(a - b) % 360;
  return Math.min(d, 360 - d);
}
