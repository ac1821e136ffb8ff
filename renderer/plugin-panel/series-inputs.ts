/**
 * What the plugin panel knows about the series open in the viewer: their DICOM attributes and slice/frame counts
 * (for `selectSeries`), and their voxel volume (for `AnalysisInput`).
 *
 * The volume is built with core/common/dicom `buildVolume` from the series' own files (the study browser's kept
 * `File`s, or the files behind the series' `dicomfile:` image ids when it was opened from the toolbar): the same reader the batch CLI and the Node tests use (rescale to HU, LPS geometry sorted by position,
 * 4D frames), independent of how far Cornerstone has streamed or cached the series. NIfTI series arrive as a ready
 * volume and are used as they are.
 */
import type { ManifestInput, Volume } from '@qiview/sdk';
import { findPrior, type PriorStudyKey } from '@qiview/core/common/plugin-host/prior-choice';
import { readNifti } from '@qiview/core/common/nifti/read-nifti';
import { buildVolume, type VolumeSource } from '@qiview/core/common/dicom/build-volume';
import type { InstanceRecord, SeriesRecord } from '@qiview/core/common/dicom/records';
import { selectSeries, type SeriesCandidate } from '@qiview/core/common/plugin-host/select-series';
import type { OpenableSeries } from '../state/openable-series';
import { wadouri } from '@cornerstonejs/dicom-image-loader';
import { keptFile } from '../platform/memory-files';
import { useStudyBrowser } from '../study-browser/study-browser-store';
import { bidsAttributes, bidsContextOf, sameBidsSet, type BidsContext } from './bids-files';

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
  // a LABELMAP SEG in the study fills a plugin's roi input as in qiview batch (which reads the file's attributes)
  put('SegmentationType', series?.segmentationType);
  if (s.volume) {
    const m = s.volume.metadata;
    put('BodyPartExamined', m.bodyPartExamined);
    put('Manufacturer', m.manufacturer);
    for (const [k, v] of Object.entries(m.tags ?? {})) if (!(k in a)) put(k, v);
  }
  // a NIfTI file's BIDS sidecar names its series like DICOM does (Modality, SeriesDescription…), as in qiview batch
  for (const [k, v] of Object.entries(bidsAttributes(bidsOf(s))))
    if (k !== 'SeriesInstanceUID' && k !== 'StudyInstanceUID') a[k] = v;
  return a;
}

/** The BIDS context (sidecar, tables, suffix) of a NIfTI series picked in this session, else undefined. */
export function bidsOf(s: OpenableSeries): BidsContext | undefined {
  return bidsOfSeriesUid(s.seriesInstanceUid);
}

/** {@link bidsOf} by SeriesInstanceUID (from the library's instance records only). */
function bidsOfSeriesUid(seriesUid: string): BidsContext | undefined {
  const first = useStudyBrowser.getState().library.instances[seriesUid]?.[0];
  if (first?.format !== 'nifti' || first.location.kind !== 'memory') return undefined;
  return bidsContextOf(first.location.id);
}

/** Slices and frames of an open series without reading pixels (distinct slice positions from the records). */
export function seriesShape(s: OpenableSeries): { slices: number; frames: number } {
  if (s.volume) return { slices: s.volume.geometry.dimensions[2], frames: s.volume.frames };
  const shape = bidsOf(s)?.shape;
  if (shape) return shape;
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
  const suffix = bidsOf(s)?.suffix;
  return {
    id: s.key,
    attributes: seriesAttributes(s),
    ...seriesShape(s),
    ...(suffix ? { bidsSuffix: suffix } : {}),
  };
}

/** Key prefix of library series that are not open in the viewer. */
const LIBRARY = 'library:';

/**
 * A library series as plugin input without opening it in the viewer (no image ids registered): the plugin panel
 * reads its files into a volume like an open series'. Undefined for an unknown series.
 */
export function librarySeries(seriesUid: string): OpenableSeries | undefined {
  const lib = useStudyBrowser.getState().library;
  const series = lib.series.find((x) => x.seriesInstanceUid === seriesUid);
  if (!series) return undefined;
  const study = lib.studies.find((x) => x.studyInstanceUid === series.studyInstanceUid);
  const patient = lib.patients.find((p) => p.patientId === study?.patientId);
  return {
    key: `${LIBRARY}${seriesUid}`,
    studyInstanceUid: series.studyInstanceUid,
    seriesInstanceUid: seriesUid,
    modality: series.modality,
    seriesDescription: series.seriesDescription,
    seriesNumber: series.seriesNumber,
    patientName: patient?.patientName,
    patientId: study?.patientId || patient?.patientId,
    studyDate: study?.studyDate,
    studyDescription: study?.studyDescription,
    imageIds: [],
    hasGeometry: true,
    warnings: [...series.warnings],
  };
}

/** The series behind a selection key: an open viewer series, or a library series ({@link librarySeries}). */
export function seriesForKey(
  key: string,
  open: Record<string, OpenableSeries> = {},
): OpenableSeries | undefined {
  if (open[key]) return open[key];
  return key.startsWith(LIBRARY) ? librarySeries(key.slice(LIBRARY.length)) : undefined;
}

/**
 * Library series that can complete a plugin's inputs besides the open ones (neither in `of` nor `open`): the other
 * series of the study of a series in `of` (e.g. the M0 series next to a DICOM ASL series), and the NIfTI files of the same BIDS set
 * (same folder and subject: `sub-x_m0scan.nii.gz` next to `sub-x_asl.nii.gz`).
 */
export function librarySiblings(of: OpenableSeries[], open: OpenableSeries[] = of): OpenableSeries[] {
  const lib = useStudyBrowser.getState().library;
  const openUids = new Set([...of, ...open].map((s) => s.seriesInstanceUid));
  const studies = new Set(of.map((s) => s.studyInstanceUid));
  const sets = of.map(bidsOf).filter((c): c is BidsContext => c !== undefined);
  const out: OpenableSeries[] = [];
  for (const rec of lib.series) {
    if (openUids.has(rec.seriesInstanceUid)) continue;
    // decide from the record first: only the series of a relevant study / BIDS set are built (librarySeries looks
    // up its study and patient, which for every library series on every panel render was quadratic)
    const ctx = bidsOfSeriesUid(rec.seriesInstanceUid);
    if (!(ctx ? sets.some((c) => sameBidsSet(c, ctx)) : studies.has(rec.studyInstanceUid))) continue;
    const s = librarySeries(rec.seriesInstanceUid);
    if (s) out.push(s);
  }
  return out;
}

/** The prior chosen for a follow-up input, or why there is none. */
export type PriorChoice =
  { ok: true; series: OpenableSeries; studyDate: string } | { ok: false; reason: string };

/**
 * The prior of `current` for a manifest input of role `prior`, from the library: the newest earlier study of the same
 * PatientID ({@link findPrior}, as `qiview batch --priors`), then the first series of that study that fits the input.
 * The current study itself and later studies are never used.
 */
export function priorFor(current: OpenableSeries, input: ManifestInput): PriorChoice {
  const lib = useStudyBrowser.getState().library;
  const own = lib.studies.find((x) => x.studyInstanceUid === current.studyInstanceUid);
  const patientId = current.patientId || own?.patientId;
  const studyDate = current.studyDate || own?.studyDate;
  if (!patientId || !studyDate)
    return { ok: false, reason: 'the current study has no PatientID or StudyDate to find a prior by' };
  const index: PriorStudyKey[] = lib.studies.map((x) => ({
    key: x.studyInstanceUid,
    patientId: x.patientId,
    studyDate: x.studyDate ?? '',
    studyInstanceUid: x.studyInstanceUid,
  }));
  const found = findPrior(index, { patientId, studyDate, studyInstanceUid: current.studyInstanceUid });
  if (!found) return { ok: false, reason: 'no earlier study of this patient in the library' };
  const series = lib.series
    .filter((x) => x.studyInstanceUid === found.studyInstanceUid)
    .map((x) => librarySeries(x.seriesInstanceUid)!)
    .filter(Boolean);
  const sel = selectSeries({ inputs: [{ ...input, required: true }] }, series.map(candidateOf));
  if (!sel.ok) return { ok: false, reason: `earlier study ${found.studyDate}: ${sel.errors.join('; ')}` };
  const key = sel.roles[input.role]!;
  return { ok: true, series: series.find((x) => x.key === key)!, studyDate: found.studyDate };
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
  const nifti = recordsOf(s).instances[0]?.format === 'nifti';
  const p = nifti
    ? (async () => {
        const src = sources[0]!;
        return readNifti('bytes' in src ? src.bytes : await src.read());
      })()
    : buildVolume(sources, options);
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
