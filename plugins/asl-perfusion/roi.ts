/**
 * User regions of interest: an optional `roi` input series holding an integer label map (BIDS `*_dseg.nii.gz`, or a
 * DICOM label-map SEG), each label value > 0 one region. The map is carried onto the ASL grid (directly when the
 * grids match, else by nearest neighbour at each ASL voxel centre through patient coordinates) and CBF (and ATT) are
 * summarised per region inside the brain mask. Region names come from a BIDS `*_dseg.tsv` (columns `index`, `name`)
 * that came with the series, else "ROI <label>".
 *
 * @packageDocumentation
 */
import { AnalysisError, voxelToWorld, worldToVoxel, type InputSeries, type Volume } from '@qiview/sdk';
import { median } from './median';

/** Statistics of one region. */
export interface RoiStats {
  label: number;
  name: string;
  /** Voxels of the region on the ASL grid inside the brain mask (the ones summarised). */
  n: number;
  /** Voxels of the region on the ASL grid in all. */
  nTotal: number;
  mean: number;
  median: number;
  sd: number;
  attMean?: number;
}

/** The ROI label map on the ASL grid and its per-region statistics. */
export interface RoiResult {
  labels: Uint8Array;
  regions: RoiStats[];
  /** How the map reached the ASL grid (shown with the parameters). */
  detail: string;
}

function sameGrid(a: Volume, b: Volume): boolean {
  const ga = a.geometry,
    gb = b.geometry;
  return (
    ga.dimensions.every((d, i) => d === gb.dimensions[i]) &&
    ga.spacing.every((s, i) => Math.abs(s - gb.spacing[i]!) < 1e-3 * s) &&
    ga.origin.every((o, i) => Math.abs(o - gb.origin[i]!) < 1e-2) &&
    ga.direction.every((d, i) => Math.abs(d - gb.direction[i]!) < 1e-4)
  );
}

/** Region names from a BIDS dseg table (`index` and `name` columns, tab separated), by label. */
export function dsegNames(attachments: Record<string, string> | undefined): Map<number, string> {
  const out = new Map<number, string>();
  const key = Object.keys(attachments ?? {}).find((k) => /dseg\.tsv$/i.test(k));
  if (!key) return out;
  const lines = attachments![key]!.split(/\r?\n/).filter((l) => l.trim());
  const head = lines[0]?.split('\t').map((h) => h.trim().toLowerCase()) ?? [];
  const ii = head.indexOf('index'),
    ni = head.indexOf('name');
  if (ii < 0 || ni < 0) return out;
  for (const l of lines.slice(1)) {
    const c = l.split('\t');
    const idx = Number(c[ii]);
    if (Number.isInteger(idx) && c[ni]?.trim()) out.set(idx, c[ni]!.trim());
  }
  return out;
}

/**
 * Carries the ROI series onto the ASL grid and summarises CBF (and ATT) per label inside the brain mask.
 * @throws AnalysisError 'bad-roi' for a 4D map, non-integer or out-of-range labels, or no region on the ASL grid.
 */
export function roiStatistics(
  roi: InputSeries,
  asl: Volume,
  cbf: Float32Array,
  brain: Uint8Array,
  att?: Float32Array,
): RoiResult {
  const v = roi.volume;
  if (v.frames > 1) {
    throw new AnalysisError('bad-roi', `The ROI series has ${v.frames} frames; a 3D label map is needed.`);
  }
  const [sx, sy, sz] = v.geometry.dimensions;
  const n3 = sx * sy * sz;
  for (let i = 0; i < n3; i++) {
    const x = Number(v.data[i]);
    if (!Number.isInteger(x) || x < 0 || x > 255) {
      throw new AnalysisError(
        'bad-roi',
        `The ROI series is not a label map: voxel value ${x} (labels must be integers 0-255; 0 = outside).`,
      );
    }
  }
  const [nx, ny, nz] = asl.geometry.dimensions;
  const labels = new Uint8Array(nx * ny * nz);
  let detail: string;
  if (sameGrid(v, asl)) {
    for (let i = 0; i < labels.length; i++) labels[i] = Number(v.data[i]);
    detail = 'label map on the ASL grid';
  } else {
    let o = 0;
    for (let k = 0; k < nz; k++)
      for (let j = 0; j < ny; j++)
        for (let i = 0; i < nx; i++, o++) {
          const [x, y, z] = worldToVoxel(v.geometry, voxelToWorld(asl.geometry, i, j, k)).map(Math.round) as [
            number,
            number,
            number,
          ];
          if (x < 0 || y < 0 || z < 0 || x >= sx || y >= sy || z >= sz) continue;
          labels[o] = Number(v.data[x + sx * (y + sy * z)]);
        }
    detail = `label map ${sx}×${sy}×${sz} carried to the ASL grid (nearest neighbour at ASL voxel centres)`;
  }
  const names = dsegNames(roi.attachments);
  const present = [...new Set(labels)].filter((l) => l > 0).sort((a, b) => a - b);
  if (!present.length) {
    throw new AnalysisError('bad-roi', 'The ROI label map has no region on the ASL field of view.');
  }
  const regions = present.map((label): RoiStats => {
    const vals: number[] = [],
      atts: number[] = [];
    let nTotal = 0;
    for (let i = 0; i < labels.length; i++) {
      if (labels[i] !== label) continue;
      nTotal++;
      if (!brain[i] || !Number.isFinite(cbf[i]!)) continue;
      vals.push(cbf[i]!);
      if (att && Number.isFinite(att[i]!)) atts.push(att[i]!);
    }
    const n = vals.length;
    const mean = n ? vals.reduce((a, b) => a + b, 0) / n : NaN;
    const sd = n > 1 ? Math.sqrt(vals.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1)) : NaN;
    return {
      label,
      name: names.get(label) ?? `ROI ${label}`,
      n,
      nTotal,
      mean,
      median: n ? median(vals) : NaN,
      sd,
      ...(att && atts.length ? { attMean: atts.reduce((a, b) => a + b, 0) / atts.length } : {}),
    };
  });
  return { labels, regions, detail };
}
