/**
 * Helpers for viewer e2e tests: open files through the toolbar's file input, wait for rendering, read back the
 * pixels of a viewport's canvas (not a screenshot: overlay text must not count as image content).
 */
import { expect, type Page } from '@playwright/test';

/** Summary of a viewport canvas' pixels (luminance 0..255). */
export interface CanvasStats {
  width: number;
  height: number;
  /** Fraction of pixels with luminance > 10. */
  nonBlank: number;
  meanLum: number;
  /** Centroid (canvas CSS px) and count of pixels with luminance >= `bright`. */
  brightCentroid: [number, number] | null;
  brightCount: number;
  /** Luminance values on a coarse grid (for comparing renderings). */
  samples: number[];
}

export async function canvasStats(page: Page, viewportId: string, bright = 250): Promise<CanvasStats> {
  return page.evaluate(
    ({ viewportId, bright }) => {
      const el = document.querySelector(`[data-viewport-id="${viewportId}"]`);
      const canvas = el?.querySelector('canvas');
      if (!canvas) throw new Error(`no canvas in viewport ${viewportId}`);
      const w = canvas.width,
        h = canvas.height;
      const tmp = document.createElement('canvas');
      tmp.width = w;
      tmp.height = h;
      const ctx = tmp.getContext('2d')!;
      ctx.drawImage(canvas, 0, 0);
      const d = ctx.getImageData(0, 0, w, h).data;
      const scale = canvas.clientWidth ? w / canvas.clientWidth : 1;
      let non = 0,
        sum = 0,
        bx = 0,
        by = 0,
        bn = 0;
      const samples: number[] = [];
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
          const i = 4 * (y * w + x);
          const l = 0.299 * d[i] + 0.587 * d[i + 1] + 0.114 * d[i + 2];
          sum += l;
          if (l > 10) non++;
          if (l >= bright) {
            bx += x;
            by += y;
            bn++;
          }
          if (x % 16 === 0 && y % 16 === 0) samples.push(Math.round(l));
        }
      }
      return {
        width: w / scale,
        height: h / scale,
        nonBlank: non / (w * h),
        meanLum: sum / (w * h),
        brightCentroid: bn ? ([bx / bn / scale, by / bn / scale] as [number, number]) : null,
        brightCount: bn,
        samples,
      };
    },
    { viewportId, bright },
  );
}

/** Mean absolute difference between two renderings' samples. */
export function sampleDifference(a: CanvasStats, b: CanvasStats): number {
  const n = Math.min(a.samples.length, b.samples.length);
  let s = 0;
  for (let i = 0; i < n; i++) s += Math.abs(a.samples[i] - b.samples[i]);
  return n ? s / n : 0;
}

/** Poll until the viewport shows image content (fraction of non-black pixels above `min`). */
export async function waitForImage(
  page: Page,
  viewportId: string,
  min = 0.05,
  timeout = 60_000,
): Promise<CanvasStats> {
  let last: CanvasStats | null = null;
  await expect
    .poll(
      async () => {
        last = await canvasStats(page, viewportId).catch(() => null);
        return last?.nonBlank ?? 0;
      },
      { timeout, intervals: [250, 500, 1000] },
    )
    .toBeGreaterThan(min);
  return last!;
}

/** Open files through the toolbar file input (the real UI path). */
export async function openFiles(page: Page, paths: string[]): Promise<void> {
  await page.setInputFiles('[data-testid=open-files]', paths);
}

/** Page-space position of a viewport-relative CSS point. */
export async function viewportPoint(
  page: Page,
  viewportId: string,
  x: number,
  y: number,
): Promise<[number, number]> {
  const box = await page.locator(`[data-viewport-id="${viewportId}"]`).boundingBox();
  if (!box) throw new Error(`viewport ${viewportId} not visible`);
  return [box.x + x, box.y + y];
}

/** Drag with the primary button between two viewport-relative points. */
export async function dragInViewport(
  page: Page,
  viewportId: string,
  from: [number, number],
  to: [number, number],
): Promise<void> {
  const a = await viewportPoint(page, viewportId, from[0], from[1]);
  const b = await viewportPoint(page, viewportId, to[0], to[1]);
  await page.mouse.move(a[0], a[1]);
  await page.mouse.down();
  await page.mouse.move((a[0] + b[0]) / 2, (a[1] + b[1]) / 2, { steps: 5 });
  await page.mouse.move(b[0], b[1], { steps: 5 });
  await page.mouse.up();
}

/** Mean x (fraction of the width) of clearly red pixels (labelmap fill) in a viewport; -1 when fewer than 500. */
export async function redCentroidX(page: Page, viewportId: string): Promise<number> {
  return page.evaluate((viewportId) => {
    const canvas = document.querySelector(
      `[data-viewport-id="${viewportId}"] canvas`,
    ) as HTMLCanvasElement | null;
    if (!canvas) return -1;
    const tmp = document.createElement('canvas');
    tmp.width = canvas.width;
    tmp.height = canvas.height;
    const ctx = tmp.getContext('2d')!;
    ctx.drawImage(canvas, 0, 0);
    const d = ctx.getImageData(0, 0, tmp.width, tmp.height).data;
    let n = 0,
      sx = 0;
    for (let p = 0; p < d.length; p += 4) {
      if (d[p] > d[p + 1] + 60 && d[p] > d[p + 2] + 60) {
        n++;
        sx += (p / 4) % tmp.width;
      }
    }
    return n > 500 ? sx / n / tmp.width : -1;
  }, viewportId);
}
