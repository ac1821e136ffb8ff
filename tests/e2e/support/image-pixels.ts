/**
 * The RGBA pixels of an <img> in the page (decoded at its natural size, drawn on a canvas, read back), for checks of
 * what an image shows (a report's key image, a study browser thumbnail) without a screenshot.
 */
import type { Locator } from '@playwright/test';

export interface ImagePixels {
  width: number;
  height: number;
  /** RGBA, row by row. */
  data: Uint8Array;
}

export async function imagePixels(img: Locator): Promise<ImagePixels> {
  const { width, height, b64 } = await img.evaluate(async (el: HTMLImageElement) => {
    await el.decode();
    const c = document.createElement('canvas');
    c.width = el.naturalWidth;
    c.height = el.naturalHeight;
    const ctx = c.getContext('2d')!;
    ctx.drawImage(el, 0, 0);
    const d = ctx.getImageData(0, 0, c.width, c.height).data;
    let bin = '';
    for (let i = 0; i < d.length; i += 0x8000) bin += String.fromCharCode(...d.subarray(i, i + 0x8000));
    return { width: c.width, height: c.height, b64: btoa(bin) };
  });
  return { width, height, data: new Uint8Array(Buffer.from(b64, 'base64')) };
}
