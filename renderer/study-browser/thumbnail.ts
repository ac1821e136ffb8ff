/**
 * Series thumbnails: the middle image of a series, decoded by Cornerstone's image loader (every transfer syntax it
 * supports) and drawn into a small canvas with a robust window (2nd–98th percentile of the pixel values), so no
 * DICOM window attributes are needed. Thumbnails are made one at a time and cached by series key.
 */
import { imageLoader } from '@cornerstonejs/core';
import { initCornerstone } from '../viewer/cornerstone/init-cornerstone';
import type { OpenableSeries } from '../state/openable-series';

/** Thumbnail edge in pixels. */
export const THUMB_SIZE = 64;

const cache = new Map<string, Promise<string>>();
let queue: Promise<unknown> = Promise.resolve();

/** Draws a grey-scale image (row-major, `w`×`h`) into a THUMB_SIZE² canvas; returns a data URL. */
export function grayToDataUrl(values: ArrayLike<number>, w: number, h: number, rgb = false): string {
  const n = w * h;
  const step = Math.max(1, Math.floor(n / 4096));
  const sample: number[] = [];
  for (let p = 0; p < n; p += step) sample.push(rgb ? values[3 * p] : values[p]);
  sample.sort((a, b) => a - b);
  const lo = sample[Math.floor(sample.length * 0.02)] ?? 0;
  const hi = sample[Math.floor(sample.length * 0.98)] ?? 1;
  const range = hi > lo ? hi - lo : 1;
  const canvas = document.createElement('canvas');
  canvas.width = THUMB_SIZE;
  canvas.height = THUMB_SIZE;
  const ctx = canvas.getContext('2d');
  if (!ctx) return '';
  const img = ctx.createImageData(THUMB_SIZE, THUMB_SIZE);
  const scale = Math.max(w, h) / THUMB_SIZE;
  const ox = (THUMB_SIZE - w / scale) / 2,
    oy = (THUMB_SIZE - h / scale) / 2;
  for (let y = 0; y < THUMB_SIZE; y++) {
    for (let x = 0; x < THUMB_SIZE; x++) {
      const sx = Math.floor((x - ox) * scale),
        sy = Math.floor((y - oy) * scale);
      const o = 4 * (y * THUMB_SIZE + x);
      img.data[o + 3] = 255;
      if (sx < 0 || sy < 0 || sx >= w || sy >= h) continue;
      const p = sy * w + sx;
      if (rgb) {
        img.data[o] = values[3 * p];
        img.data[o + 1] = values[3 * p + 1];
        img.data[o + 2] = values[3 * p + 2];
      } else {
        const v = Math.max(0, Math.min(255, ((values[p] - lo) / range) * 255));
        img.data[o] = img.data[o + 1] = img.data[o + 2] = v;
      }
    }
  }
  ctx.putImageData(img, 0, 0);
  return canvas.toDataURL('image/png');
}

async function make(s: OpenableSeries): Promise<string> {
  if (s.volume) {
    const [nx, ny, nz] = s.volume.geometry.dimensions;
    const k = Math.floor(nz / 2);
    return grayToDataUrl(s.volume.data.subarray(k * nx * ny, (k + 1) * nx * ny), nx, ny);
  }
  const id = s.imageIds[Math.floor(s.imageIds.length / 2)];
  if (!id) return '';
  await initCornerstone();
  const image = await imageLoader.loadImage(id);
  const rgb = image.color === true;
  const px = image.getPixelData();
  if (!rgb) return grayToDataUrl(px, image.columns, image.rows);
  // colour images come as RGBA from the loader
  const packed = new Uint8Array(image.rows * image.columns * 3);
  const comps = px.length / (image.rows * image.columns);
  for (let p = 0; p < image.rows * image.columns; p++)
    for (let c = 0; c < 3; c++) packed[3 * p + c] = px[comps * p + c];
  return grayToDataUrl(packed, image.columns, image.rows, true);
}

/** The thumbnail of a series as a data URL ('' when it cannot be drawn; never rejects). */
export function thumbnailOf(s: OpenableSeries): Promise<string> {
  let p = cache.get(s.key);
  if (!p) {
    p = queue.then(() => make(s)).catch(() => '');
    queue = p;
    cache.set(s.key, p);
  }
  return p;
}
