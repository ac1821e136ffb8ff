/**
 * Parametric maps (float volumes: CBF, T1, a DICOM Parametric Map) drawn as a colour-mapped fusion over a volume
 * viewport: a second volume actor in the viewport (Cornerstone's PET/CT fusion mechanism), with
 *  - a colour map registered from the stops the colour bars draw (renderer/results/colormaps.ts), so the viewport's
 *    colours and the colour bar agree;
 *  - the colour bar's range as the colour transfer function's range;
 *  - an opacity mapping: values at or below the range's lower end, and NaN voxels, are transparent; the rest are
 *    drawn with the overlay's opacity.
 *
 * `addVolumes` hides an actor whose input does not say `visibility: true` (Cornerstone 5.x): the map used to be added
 * without it, so it was recorded in the store but never changed a pixel. Its opacity is also made the on-screen one
 * (see {@link matchOpacityToSlab}).
 */
import { CONSTANTS, cache, getRenderingEngines, utilities, type Types } from '@cornerstonejs/core';
import type { Volume } from '@qiview/sdk';
import { COLORMAP_STOPS } from '../../results/colormaps';
import type { ParametricOverlay } from '../../state/viewer-store';
import { createLocalFromVolume, dataRange } from './volumes';

const MAP_SCHEME = 'qiview-map:';
const COLORMAP_PREFIX = 'qiview-';

let registered = false;
/** Registers (once) every colour map of the colour bars with Cornerstone, as `qiview-<name>`. */
export function registerQiviewColormaps(): void {
  if (registered) return;
  registered = true;
  for (const [name, stops] of Object.entries(COLORMAP_STOPS)) {
    const RGBPoints = stops.flatMap(([t, [r, g, b]]) => [t, r / 255, g / 255, b / 255]);
    utilities.colormap.registerColormap({
      Name: `${COLORMAP_PREFIX}${name}`,
      name: `${COLORMAP_PREFIX}${name}`,
      ColorSpace: 'RGB',
      RGBPoints,
    } as never);
  }
}

/** Where NaN voxels of a map go in its Cornerstone copy (below every finite value, so transparent), per volume. */
const nanValue = new Map<string, number>();
/** Finite data range of each map volume (for the opacity mapping's extent). */
const finiteRange = new Map<string, { lower: number; upper: number }>();
/** One Cornerstone volume per SDK map volume object: a map re-made under the same id gets a new volume. */
const volumeIds = new WeakMap<Volume, string>();
let serial = 0;

/** Cornerstone volume id of a map overlay's data (stable for the same data object). */
export function mapVolumeId(o: ParametricOverlay): string {
  let id = volumeIds.get(o.map.volume);
  if (!id) {
    id = `${MAP_SCHEME}${o.map.id}#${++serial}`;
    volumeIds.set(o.map.volume, id);
  }
  return id;
}

/** The map's first frame with NaN/±Inf replaced by a value just below its finite minimum. */
function sanitised(v: Volume): { volume: Volume; nan: number; range: { lower: number; upper: number } } {
  const [nx, ny, nz] = v.geometry.dimensions;
  const n = nx * ny * nz;
  const src = v.frames > 1 ? v.data.subarray(0, n) : v.data;
  const range = dataRange(src);
  const span = range.upper - range.lower;
  const nan = range.lower - Math.max(span * 0.02, Math.abs(range.lower) * 1e-3, 1e-3);
  const data = Float32Array.from(src as ArrayLike<number>);
  for (let i = 0; i < data.length; i++) if (!Number.isFinite(data[i])) data[i] = nan;
  return { volume: { ...v, data, frames: 1 }, nan, range };
}

/**
 * Opacity points (data values → opacity) of a map: 0 from the NaN value up to the range's lower end (or, when that
 * lies below the data, up to halfway between the NaN value and the data), `opacity` above it. The points span only
 * the data and the range: Cornerstone samples the function into a fixed-size table over its extent.
 */
export function opacityMapping(
  range: [number, number],
  opacity: number,
  nan: number,
  data: { lower: number; upper: number },
): { value: number; opacity: number }[] {
  const cut = Math.max(range[0], (nan + data.lower) / 2);
  const top = Math.max(data.upper, range[1], cut);
  const step = Math.max((top - nan) * 0.004, 1e-6);
  return [
    { value: nan, opacity: 0 },
    { value: cut, opacity: 0 },
    { value: cut + step, opacity },
    { value: Math.max(top, cut + 2 * step), opacity },
  ];
}

/**
 * Shows `o` on a volume viewport: adds its volume as a second actor the first time, then applies colour map, range
 * and opacity (0 when hidden).
 */
export async function showParametricMap(
  vp: Types.IVolumeViewport,
  o: ParametricOverlay,
  visible: boolean,
  frameOfReferenceUid: string,
): Promise<void> {
  registerQiviewColormaps();
  const volumeId = mapVolumeId(o);
  if (!cache.getVolume(volumeId)) {
    const s = sanitised(o.map.volume);
    createLocalFromVolume(volumeId, s.volume, frameOfReferenceUid);
    nanValue.set(volumeId, s.nan);
    finiteRange.set(volumeId, s.range);
  }
  if (!vp.getActors().some((a) => a.referencedId === volumeId)) {
    await vp.addVolumes([{ volumeId, actorUID: volumeId, visibility: true }]);
  }
  const range: [number, number] = o.range[1] > o.range[0] ? o.range : [o.range[0], o.range[0] + 1];
  vp.setProperties(
    {
      colormap: {
        name: `${COLORMAP_PREFIX}${COLORMAP_STOPS[o.colormap] ? o.colormap : 'hot'}`,
        opacity: opacityMapping(range, visible ? o.opacity : 0, nanValue.get(volumeId) ?? -1, {
          lower: finiteRange.get(volumeId)?.lower ?? range[0],
          upper: finiteRange.get(volumeId)?.upper ?? range[1],
        }),
      },
      voiRange: { lower: range[0], upper: range[1] },
    },
    volumeId,
  );
  matchOpacityToSlab(vp, volumeId);
}

/**
 * Makes the overlay's opacity the opacity seen on screen. The ray caster composites a map over the actor's slab (the
 * ray runs between clipping planes ± slab thickness from the focal point: 0.1 mm for an ortho slice) as
 * 1 − (1 − α)^(length / unit distance); with vtk's 1 mm unit distance a 0.6 overlay showed as ≈ 0.1. A unit distance
 * of the slab's length shows a uniform region with exactly α.
 */
function matchOpacityToSlab(vp: Types.IVolumeViewport, volumeId: string): void {
  const entry = vp.getActors().find((a) => a.referencedId === volumeId);
  const actor = entry?.actor as unknown as
    { getProperty?: () => { setScalarOpacityUnitDistance?: (c: number, d: number) => void } } | undefined;
  const slab = entry?.slabThickness ?? CONSTANTS.RENDERING_DEFAULTS.MINIMUM_SLAB_THICKNESS;
  actor?.getProperty?.()?.setScalarOpacityUnitDistance?.(0, 2 * slab);
}

/**
 * Frees a map's Cornerstone volume (a float copy of the map, as large as the series) once no viewport of any rendering
 * engine shows it any more: a removed or re-made map would otherwise stay in the cache until the page reloads.
 */
function releaseIfUnused(volumeId: string): void {
  for (const engine of getRenderingEngines() ?? []) {
    for (const v of engine.getViewports()) {
      if (v.getActors().some((a) => a.referencedId === volumeId)) return;
    }
  }
  if (cache.getVolume(volumeId)) cache.removeVolumeLoadObject(volumeId);
  nanValue.delete(volumeId);
  finiteRange.delete(volumeId);
}

/**
 * Frees every cached map volume that no overlay of `overlays` (all series) refers to and no viewport shows: maps
 * removed by the user, re-made under the same id, or left behind when viewports were rebuilt.
 */
export function releaseUnusedMaps(overlays: readonly { kind: string }[]): void {
  const current = new Set(
    overlays.filter((o): o is ParametricOverlay => o.kind === 'parametric').map((o) => mapVolumeId(o)),
  );
  for (const id of cachedMapVolumeIds()) if (!current.has(id)) releaseIfUnused(id);
}

/** Ids of the map volumes Cornerstone's cache holds (test hook and diagnostics). */
export function cachedMapVolumeIds(): string[] {
  return cache
    .getVolumes()
    .map((v) => v.volumeId)
    .filter((id) => id.startsWith(MAP_SCHEME));
}

/**
 * Takes off a viewport the map actors whose overlay is gone (or whose map data were replaced); returns the overlay
 * ids (`parametric:<map id>`) it took off, so the caller forgets their applied state.
 */
export function removeStaleMaps(vp: Types.IVolumeViewport, overlays: readonly { kind: string }[]): string[] {
  const current = new Set(
    overlays.filter((o): o is ParametricOverlay => o.kind === 'parametric').map((o) => mapVolumeId(o)),
  );
  const stale = vp
    .getActors()
    .filter((a) => a.referencedId?.startsWith(MAP_SCHEME) && !current.has(a.referencedId));
  if (stale.length === 0) return [];
  vp.removeVolumeActors(stale.map((a) => a.uid));
  vp.render();
  return stale.map((a) => `parametric:${a.referencedId!.slice(MAP_SCHEME.length).replace(/#\d+$/, '')}`);
}
