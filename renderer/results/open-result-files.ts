/**
 * Saved results opened through the ordinary open-files / drop paths: a Qiview-written DICOM SEG, SR (TID 1500),
 * Parametric Map or result JSON is recognised from its header, put back on the series it refers to (Referenced
 * Series, else Frame of Reference) when that series is open in the viewer, and shown as overlays plus results panel
 * values. Files referring to a series that is not open get a clear message naming it.
 */
import { create } from 'zustand';
import type { AnalysisResult } from '@qiview/sdk';
import {
  readResultFile,
  resultFromFiles,
  type LoadedResultFile,
} from '../../core/common/results/read-result-file';
import {
  looksLikeResultJson,
  resultFileReferences,
  resultKindOf,
  type ResultFileReferences,
} from '../../core/common/results/result-file-references';
import type { ResultProvenance } from '../../core/common/results/provenance';
import { frameOfReferenceOf } from './export-references';
import { t } from '../i18n/i18n';
import { readDicomFileHeader } from '../platform/dicom-file-headers';
import { showResult } from '../plugin-panel/plugin-run-store';
import { volumeOf } from '../plugin-panel/series-inputs';
import { useViewerStore } from '../state/viewer-store';

/** Messages about the result files opened last (shown in the results area). */
interface ResultFilesState {
  messages: Array<{ ok: boolean; text: string }>;
  set(p: Partial<Omit<ResultFilesState, 'set'>>): void;
}
export const useResultFiles = create<ResultFilesState>((set) => ({ messages: [], set: (p) => set(p) }));

const fileName = (f: File) => f.webkitRelativePath || f.name;

/** True when a file is a result file (SEG / SR / Parametric Map / Qiview result JSON); reads its header only. */
export async function isResultFile(file: File): Promise<boolean> {
  if (/\.json$/i.test(file.name)) {
    if (file.size > 64 * 1024 * 1024) return false;
    return looksLikeResultJson(await file.slice(0, 4096).text());
  }
  // No size or magic probe of its own: each is a synchronous browser call per file in Chromium, and the header read
  // here (refused at once without DICM) is the one the image path reuses (issue 2: 300 files).
  try {
    const ds = await readDicomFileHeader(file);
    return resultKindOf(ds.string('x00080016')?.trim(), ds.string('x00080060')?.trim()) !== undefined;
  } catch {
    return false; // the image path reports unreadable files
  }
}

/** Splits picked items into result files and the rest (kept in order). */
export async function splitResultFiles<T>(
  picked: T[],
  fileOf: (item: T) => File | undefined,
): Promise<{ results: File[]; rest: T[] }> {
  const flags = await Promise.all(
    picked.map(async (p) => {
      const f = fileOf(p);
      return f ? isResultFile(f) : false;
    }),
  );
  return {
    results: picked.filter((_, i) => flags[i]).map((p) => fileOf(p)!),
    rest: picked.filter((_, i) => !flags[i]),
  };
}

/** The viewer key of the open series a result file refers to (series UID first, then Frame of Reference). */
function seriesKeyFor(ref: ResultFileReferences): string | undefined {
  const open = Object.values(useViewerStore.getState().series);
  for (const uid of ref.seriesUids) {
    const s = open.find((x) => x.seriesInstanceUid === uid);
    if (s) return s.key;
  }
  if (ref.frameOfReferenceUid) {
    const s = open.find((x) => frameOfReferenceOf(x.key) === ref.frameOfReferenceUid);
    if (s) return s.key;
  }
  return undefined;
}

interface ReadFile {
  name: string;
  bytes: Uint8Array;
  ref: ResultFileReferences;
}

/**
 * Opens result files: groups them by the open series they refer to, reads SEG / Parametric Map frames onto that
 * series' grid, merges each group into one result and shows the last group in the results panel with its overlays.
 * An SR or JSON without a series reference joins the group of a SEG / map of the same study opened with it.
 * A referenced series that is not open is opened through `options.openSeries` when given. Never rejects: problems
 * become messages in {@link useResultFiles}.
 */
export async function openResultFiles(
  files: File[],
  options: {
    /** Opens a series that is not open yet (e.g. from the study browser's library); true when it opened. */
    openSeries?: (seriesUid: string) => Promise<boolean>;
  } = {},
): Promise<void> {
  const messages: ResultFilesState['messages'] = [];
  const read: ReadFile[] = [];
  for (const f of files) {
    try {
      const bytes = new Uint8Array(await f.arrayBuffer());
      read.push({ name: fileName(f), bytes, ref: resultFileReferences(fileName(f), bytes) });
    } catch (e) {
      messages.push({ ok: false, text: t('results.files.failed', { reason: (e as Error).message }) });
    }
  }
  if (options.openSeries) {
    for (const r of read) {
      if (seriesKeyFor(r.ref)) continue;
      for (const uid of r.ref.seriesUids) if (await options.openSeries(uid).catch(() => false)) break;
    }
  }
  const groups = new Map<string, ReadFile[]>();
  const unplaced: ReadFile[] = [];
  for (const r of read) {
    const key = seriesKeyFor(r.ref);
    if (key) groups.set(key, [...(groups.get(key) ?? []), r]);
    else unplaced.push(r);
  }
  for (const r of unplaced) {
    // a report without series references goes with the segmentation of its study opened alongside
    const partner = [...groups.entries()].find(([, g]) =>
      g.some((x) => x.ref.studyInstanceUid && x.ref.studyInstanceUid === r.ref.studyInstanceUid),
    );
    if (partner && r.ref.seriesUids.length === 0) partner[1].push(r);
    else
      messages.push({
        ok: false,
        text: t('results.files.unknownSeries', {
          name: r.name,
          uid: r.ref.seriesUids[0] ?? r.ref.frameOfReferenceUid ?? r.ref.studyInstanceUid ?? '?',
        }),
      });
  }
  let shown:
    | {
        key: string;
        result: AnalysisResult;
        provenance?: ResultProvenance;
        names: string[];
        /** The group's files as read (to take an SR's algorithm name without parsing it again). */
        files: Array<{ file: ReadFile; loaded: LoadedResultFile }>;
      }
    | undefined;
  for (const [key, group] of groups) {
    const series = useViewerStore.getState().series[key];
    if (!series) continue;
    try {
      const geometry = (await volumeOf(series)).geometry;
      const loaded: LoadedResultFile[] = group.map((g) => readResultFile(g.name, g.bytes, geometry));
      const result = resultFromFiles(loaded);
      for (const l of result.labelmaps) l.referencedSeriesUid ??= series.seriesInstanceUid;
      for (const m of result.maps) m.referencedSeriesUid ??= series.seriesInstanceUid;
      const json = loaded.find((l) => l.kind === 'json');
      shown = {
        key,
        result,
        provenance: json?.kind === 'json' ? json.document.provenance : undefined,
        names: group.map((g) => g.name),
        files: group.map((file, i) => ({ file, loaded: loaded[i]! })),
      };
    } catch (e) {
      messages.push({ ok: false, text: t('results.files.failed', { reason: (e as Error).message }) });
    }
  }
  if (shown) {
    // the plugin id an SR names as its algorithm (so the panel can use the plugin's translated names)
    const sr = shown.provenance
      ? undefined
      : read.find((r) => r.ref.kind === 'sr' && shown!.names.includes(r.name));
    const srLoaded = sr ? shown.files.find((f) => f.file === sr)?.loaded : undefined;
    showResult({
      pluginId:
        shown.provenance?.pluginId ??
        (srLoaded?.kind === 'sr' ? srLoaded.report.algorithm?.name : undefined) ??
        '',
      result: shown.result,
      provenance: shown.provenance,
      origin: { kind: 'files', names: shown.names },
      seriesUid: useViewerStore.getState().series[shown.key]?.seriesInstanceUid,
    });
  }
  useResultFiles.getState().set({ messages });
}
