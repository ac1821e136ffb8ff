/**
 * The report's key images as PNG snapshots, rasterised from the volumes and the result's labelmaps and maps with
 * core/common/report `sliceImage` (the same pixels whatever the viewport shows): the plugin's key images when it
 * named some, else the axial slice where its last labelmap covers most voxels, drawn over the input series.
 */
import type { AnalysisResult, Volume } from '@qiview/sdk';
import { chooseKeySlice } from '../../core/common/report/choose-key-slice';
import { keyImageWindow } from '../../core/common/report/key-image-window';
import type { ReportModel } from '../../core/common/report/report-model';
import type { ReportImageSnapshot } from '../../core/common/report/signed-report';
import { sliceImage, type SliceImage, type SliceImageOptions } from '../../core/common/report/slice-image';
import { colormapColor, type ColormapName } from '../results/colormaps';

/** At most this many key images fit the page. */
export const MAX_KEY_IMAGES = 2;

/** A PNG data URL of a rasterised slice (needs a DOM canvas). */
export function slicePng(img: SliceImage): string {
  const canvas = document.createElement('canvas');
  canvas.width = img.width;
  canvas.height = img.height;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2D canvas context');
  ctx.putImageData(new ImageData(new Uint8ClampedArray(img.rgba), img.width, img.height), 0, 0);
  return canvas.toDataURL('image/png');
}

function snapshot(volume: Volume, options: SliceImageOptions, caption: string): ReportImageSnapshot {
  const img = sliceImage(volume, options);
  return {
    caption,
    png: slicePng(img),
    aspect: (img.width * img.pixelSpacing[0]) / (img.height * img.pixelSpacing[1]),
  };
}

/**
 * Snapshots for a report. `volumes` are the input volumes by role (those the session has); `autoCaption` words the
 * caption of an automatically chosen slice. Images whose source is missing are left out.
 */
export function keyImageSnapshots(
  model: ReportModel,
  result: AnalysisResult,
  volumes: Record<string, Volume>,
  autoCaption: (labelmapName: string, slice: number, count: number) => string,
): ReportImageSnapshot[] {
  const out: ReportImageSnapshot[] = [];
  const seriesWindow = keyImageWindow(model.header.pluginId);
  for (const k of model.keyImages) {
    if (out.length >= MAX_KEY_IMAGES) break;
    const r = k.resolved;
    if (r.kind === 'map') {
      const map = result.maps.find((m) => m.id === r.mapId);
      if (!map) continue;
      const name = r.colormap as ColormapName;
      out.push(
        snapshot(
          map.volume,
          { axis: k.axis, slice: k.slice, range: r.range, colormap: (t) => colormapColor(name, t) },
          k.caption,
        ),
      );
    } else if (r.kind === 'series') {
      const volume = volumes[r.role];
      if (!volume) continue;
      const overlay = result.labelmaps.find((l) => l.id === r.overlayLabelmapId);
      const fits = overlay && overlay.data.length === volume.data.length / Math.max(1, volume.frames);
      out.push(
        snapshot(
          volume,
          { axis: k.axis, slice: k.slice, overlay: fits ? overlay : undefined, range: seriesWindow },
          k.caption,
        ),
      );
    }
  }
  if (out.length || model.keyImages.length) return out;
  // the plugin named no key image: its last labelmap over the input it was computed on
  const uidToRole = new Map(Object.entries(model.header.inputSeries).map(([role, uid]) => [uid, role]));
  for (const l of [...result.labelmaps].reverse()) {
    const role = (l.referencedSeriesUid && uidToRole.get(l.referencedSeriesUid)) || Object.keys(volumes)[0];
    const volume = role ? volumes[role] : undefined;
    if (!volume || volume.data.length / Math.max(1, volume.frames) !== l.data.length) continue;
    const k = chooseKeySlice(l);
    const nz = l.geometry.dimensions[2];
    const caption = autoCaption(l.name, k + 1, nz);
    return [snapshot(volume, { axis: 'axial', slice: k, overlay: l, range: seriesWindow }, caption)];
  }
  return out;
}
