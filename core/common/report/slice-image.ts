/**
 * Rasterises one slice of a volume (first frame) to RGBA for a report key image: values windowed to a range and
 * coloured with a colour map, an optional labelmap blended on top. Pure (no canvas), so Node tests can check pixels.
 */
import type { Labelmap, Volume } from '@qiview/sdk';

/** Options of {@link sliceImage}. */
export interface SliceImageOptions {
  axis: 'axial' | 'coronal' | 'sagittal';
  slice: number;
  /** Value mapped to the colour map's ends; the slice's 1st–99th percentile when absent. */
  range?: [number, number];
  /** Colour of t in [0, 1]; grey ramp when absent. */
  colormap?: (t: number) => [number, number, number];
  /** Labelmap on the same grid, blended with `overlayAlpha` (segments' colours; label 0 transparent). */
  overlay?: Labelmap;
  overlayAlpha?: number;
}

/** An RGBA image with its pixel spacing in mm (for the aspect ratio) and the window used. */
export interface SliceImage {
  width: number;
  height: number;
  rgba: Uint8ClampedArray;
  pixelSpacing: [number, number];
  range: [number, number];
}

function percentileRange(values: Float64Array): [number, number] {
  const finite = values.filter((v) => Number.isFinite(v)).sort();
  if (!finite.length) return [0, 1];
  const at = (p: number) =>
    finite[Math.min(finite.length - 1, Math.max(0, Math.round(p * (finite.length - 1))))]!;
  const lo = at(0.01),
    hi = at(0.99);
  return hi > lo ? [lo, hi] : [lo, lo + 1];
}

/**
 * The slice `slice` along `axis` of `volume`. Axial: columns i, rows j (top = j 0); coronal: columns i, rows k with
 * superior at the top; sagittal: columns j, rows k with superior at the top. Throws a RangeError for a slice outside
 * the volume and an Error for an overlay on another grid.
 */
export function sliceImage(volume: Volume, options: SliceImageOptions): SliceImage {
  const [nx, ny, nz] = volume.geometry.dimensions;
  const [sx, sy, sz] = volume.geometry.spacing;
  const { axis, slice } = options;
  const depth = axis === 'axial' ? nz : axis === 'coronal' ? ny : nx;
  if (!Number.isInteger(slice) || slice < 0 || slice >= depth)
    throw new RangeError(`slice ${slice} outside the volume (${axis} has ${depth} slices)`);
  const width = axis === 'sagittal' ? ny : nx;
  const height = axis === 'axial' ? ny : nz;
  const pixelSpacing: [number, number] =
    axis === 'axial' ? [sx, sy] : axis === 'coronal' ? [sx, sz] : [sy, sz];
  const index = (c: number, r: number): number => {
    if (axis === 'axial') return c + nx * (r + ny * slice);
    const k = nz - 1 - r;
    return axis === 'coronal' ? c + nx * (slice + ny * k) : slice + nx * (c + ny * k);
  };
  const ov = options.overlay;
  if (ov && ov.data.length !== nx * ny * nz)
    throw new Error(
      `labelmap ${ov.id} is not on the volume's grid (${ov.data.length} vs ${nx * ny * nz} voxels)`,
    );
  const values = new Float64Array(width * height);
  for (let r = 0; r < height; r++)
    for (let c = 0; c < width; c++) values[c + width * r] = Number(volume.data[index(c, r)]);
  const range = options.range ?? percentileRange(values);
  const span = range[1] - range[0] || 1;
  const cmap = options.colormap ?? ((t: number) => [255 * t, 255 * t, 255 * t] as [number, number, number]);
  const colours = new Map(ov?.segments.map((s) => [s.label, s.color]) ?? []);
  const alpha = options.overlayAlpha ?? 0.45;
  const rgba = new Uint8ClampedArray(width * height * 4);
  for (let r = 0; r < height; r++)
    for (let c = 0; c < width; c++) {
      const p = c + width * r;
      const v = values[p]!;
      const t = Number.isFinite(v) ? Math.min(1, Math.max(0, (v - range[0]) / span)) : 0;
      let [R, G, B] = cmap(t);
      const lab = ov ? ov.data[index(c, r)]! : 0;
      const col = lab ? colours.get(lab) : undefined;
      if (col) {
        R = R * (1 - alpha) + col[0] * alpha;
        G = G * (1 - alpha) + col[1] * alpha;
        B = B * (1 - alpha) + col[2] * alpha;
      }
      rgba[4 * p] = R;
      rgba[4 * p + 1] = G;
      rgba[4 * p + 2] = B;
      rgba[4 * p + 3] = 255;
    }
  return { width, height, rgba, pixelSpacing, range };
}
