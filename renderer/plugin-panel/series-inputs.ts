/**
 * What the plugin panel knows about the series open in the viewer: their DICOM attributes and slice/frame counts
 * (for `selectSeries`), and their voxel volume (for `AnalysisInput`).
 *
 * The volume is built with core/common/dicom `buildVolume` from the series' own files (the study browser's kept
 * `File`s, or the files behind the series' `dicomfile:` image ids when it was opened from the toolbar): the same reader the batch CLI and the Node tests use (rescale to HU, LPS geometry sorted by position,
 * 4D frames), independent of how far Cornerstone has streamed or cached the series. NIfTI series arrive as a ready
 * volume and are used as they are.
 */
import type { Volume } from '@qiview/sdk';
import { buildVolume, type VolumeSource } from '@qiview/core/common/dicom/build-volume';
import type { InstanceRecord, SeriesRecord } from '@qiview/core/common/dicom/records';
import type { SeriesCandidate } from '@qiview/core/common/plugin-host/select-series';
import type { OpenableSeries } from '../state/openable-series';
import { wadouri } from '@cornerstonejs/dicom-image-loader';
import { keptFile } from '../platform/memory-files';
import { useStudyBrowser } from '../study-browser/study-browser-store';

/** Library records of an open series (absent for series that did not come through the study browser). */
function recordsOf(s: OpenableSeries): { series?: SeriesRecord; instances: InstanceRecord[] } {
  const lib = useStudyBrowser.getState().library;
  return {
    series: lib.series.find((x) => x.seriesInstanceUid === s.seriesInstanceUid),
    instances: lib.instances[s.seriesInstanceUid] ?? [],
  };
}

/** DICOM attributes (by keyword) of an open series, as plugin input rules see them. */
export function seriesAttributes(s: OpenableSeries): Record<string, unknown> {
  const { series } = recordsOf(s);
  const a: Record<string, unknown> = {
    Modality: s.modality,
    SeriesInstanceUID: s.seriesInstanceUid,
    StudyInstanceUID: s.studyInstanceUid,
  };
  const put = (k: string, v: unknown) => {
    if (v !== undefined && v !== null && v !== '') a[k] = v;
  };
  put('SeriesDescription', s.seriesDescription);
  put('SeriesNumber', s.seriesNumber);
  put('StudyDate', s.studyDate);
  put('StudyDescription', s.studyDescription);
  put('BodyPartExamined', series?.bodyPartExamined);
  put('ImageType', series?.imageType);
  put('Manufacturer', series?.manufacturer);
  if (s.volume) {
    const m = s.volume.metadata;
    put('BodyPartExamined', m.bodyPartExamined);
    put('Manufacturer', m.manufacturer);
    for (const [k, v] of Object.entries(m.tags ?? {})) if (!(k in a)) put(k, v);
  }
  return a;
}

/** Slices and frames of an open series without reading pixels (distinct slice positions from the records). */
export function seriesShape(s: OpenableSeries): { slices: number; frames: number } {
  if (s.volume) return { slices: s.volume.geometry.dimensions[2], frames: s.volume.frames };
  const { instances } = recordsOf(s);
  const images = Math.max(
    s.imageIds.length,
    instances.reduce((n, i) => n + Math.max(1, i.numberOfFrames), 0),
  );
  const positions = new Set(
    instances
      .filter((i) => i.numberOfFrames <= 1 && i.imagePositionPatient)
      .map((i) => i.imagePositionPatient!.map((x) => x.toFixed(3)).join(',')),
  );
  const singles = instances.filter((i) => i.numberOfFrames <= 1).length;
  if (positions.size > 0 && singles === images && images % positions.size === 0)
    return { slices: positions.size, frames: images / positions.size };
  return { slices: images, frames: 1 };
}

/** The {@link SeriesCandidate} of an open series (its id is the viewer's series key). */
export function candidateOf(s: OpenableSeries): SeriesCandidate {
  return { id: s.key, attributes: seriesAttributes(s), ...seriesShape(s) };
}

const cache = new Map<string, Promise<Volume>>();

/**
 * The voxel volume of an open series (built once per series and session; plugins get a copy).
 *
 * @throws Error with a readable reason when the series' files are not in this session (web mode after a reload),
 *   come from a PACS (not yet supported here), or cannot form a volume.
 */
export function volumeOf(
  s: OpenableSeries,
  options: { signal?: AbortSignal; onProgress?: (done: number, total: number) => void } = {},
): Promise<Volume> {
  if (s.volume) return Promise.resolve(s.volume);
  const hit = cache.get(s.key);
  if (hit) return hit;
  const sources = sourcesOf(s);
  if (sources instanceof Error) return Promise.reject(sources);
  const p = buildVolume(sources, options);
  cache.set(s.key, p);
  p.catch(() => cache.delete(s.key));
  return p;
}

/** The series' files as volume sources, or why they cannot be read. */
function sourcesOf(s: OpenableSeries): VolumeSource[] | Error {
  const { instances } = recordsOf(s);
  const blobs: Blob[] = [];
  if (instances.length > 0) {
    for (const inst of instances) {
      if (inst.location.kind !== 'memory')
        return new Error(`series stored as "${inst.location.kind}" cannot be analysed in the viewer yet`);
      const f = keptFile(inst.location.id);
      if (!f) return new Error('the files of this series are not available in this session: pick them again');
      blobs.push(f);
    }
  } else {
    // opened from the toolbar: `dicomfile:<index>[&frame=n]` ids of the loader's file manager
    const indices = new Set<number>();
    for (const id of s.imageIds) {
      const m = /^dicomfile:(\d+)/.exec(id);
      if (!m) return new Error('only local files can be analysed in the viewer yet');
      indices.add(Number(m[1]));
    }
    for (const i of indices) {
      const b = wadouri.fileManager.get(i);
      if (!b) return new Error('the files of this series are not available in this session: pick them again');
      blobs.push(b);
    }
  }
  if (!blobs.length) return new Error('the series has no files');
  return blobs.map((b, i) => ({
    location: instances[i]?.location,
    read: async () => new Uint8Array(await b.arrayBuffer()),
  }));
}
