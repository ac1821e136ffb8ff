/**
 * What the study browser does: import picked files (worker parse + grouping), open a series in the viewer, remove a
 * study from the library (never deletes files), restore the saved list at start-up.
 */
import { importFiles } from '@qiview/core/browser/import/import-files';
import type { FileToParse } from '@qiview/core/browser/import/parse-files';
import { useViewerStore } from '../state/viewer-store';
import type { OpenableSeries } from '../state/openable-series';
import { keepFile } from '../platform/memory-files';
import { claimBidsCompanions } from '../plugin-panel/bids-files';
import { openResultFiles, splitResultFiles } from '../results/open-result-files';
import type { PickedFile } from '../platform/platform';
import type { QiviewApi } from '../../electron/common/api';
import { importPathsViaBridge, withMainReport } from './electron-import';
import { FilesNotAvailableError, openLocalSeries } from './open-local-series';
import { loadLibrary, saveLibrary } from './persist-library';
import { mergeLibrary, removeStudyFrom, useStudyBrowser } from './study-browser-store';

let controller: AbortController | undefined;

function persist(): void {
  saveLibrary(useStudyBrowser.getState().library).catch(() => {
    /* IndexedDB unavailable (private mode): the list lives for this session only */
  });
}

/** Imports picked files (web: `File`s). Resolves when done; the report is in the store. */
export async function importPicked(picked: PickedFile[]): Promise<void> {
  // saved results (SEG, SR, parametric map, result JSON) are not images: they go onto the series they refer to
  const split = await splitResultFiles(picked, (p) => p.file);
  if (split.results.length > 0) {
    if (split.rest.length > 0) await importPicked(split.rest);
    await openResultFiles(split.results, {
      openSeries: async (uid) => {
        const lib = useStudyBrowser.getState().library;
        if (!lib.series.some((s) => s.seriesInstanceUid === uid)) return false;
        useViewerStore.getState().openSeries(await openableOf(uid));
        return true;
      },
    });
    return;
  }
  const st = useStudyBrowser.getState();
  const api = (globalThis as { qiview?: QiviewApi }).qiview;
  const paths = picked.filter((p) => p.path && !p.file).map((p) => p.path!);
  let fromMain: Awaited<ReturnType<typeof importPathsViaBridge>> | undefined;
  if (paths.length > 0 && api) {
    st.set({ busy: true, error: undefined });
    try {
      fromMain = await importPathsViaBridge(api, paths);
      picked = [...picked.filter((p) => p.file), ...fromMain.files];
    } catch (e) {
      st.set({ busy: false, error: e instanceof Error ? e.message : String(e) });
      return;
    }
  }
  const all: FileToParse[] = [];
  for (const p of picked) if (p.file) all.push({ id: keepFile(p.file), name: p.name, file: p.file });
  // BIDS sidecars and tables stay with their NIfTI file (for plugins) instead of being skipped as non-images
  const files = await claimBidsCompanions(all);
  controller = new AbortController();
  st.set({ busy: true, progress: { done: 0, total: files.length }, error: undefined });
  try {
    const r = await importFiles(files, {
      signal: controller.signal,
      onProgress: (p) => useStudyBrowser.getState().set({ progress: { done: p.done, total: p.total } }),
    });
    const cur = useStudyBrowser.getState();
    const available = new Set(cur.available);
    for (const s of r.grouped.series) available.add(s.seriesInstanceUid);
    const report = fromMain ? withMainReport(r.report, fromMain.skipped, fromMain.filesScanned) : r.report;
    cur.set({ library: mergeLibrary(cur.library, r.grouped), report, available });
    persist();
  } catch (e) {
    useStudyBrowser.getState().set({ error: e instanceof Error ? e.message : String(e) });
  } finally {
    controller = undefined;
    useStudyBrowser.getState().set({ busy: false, progress: undefined });
  }
}

/** Cancels the running import (files parsed so far are kept). */
export function cancelImport(): void {
  controller?.abort();
}

/** The openable series of a library series (throws {@link FilesNotAvailableError} when files must be re-picked). */
export async function openableOf(seriesUid: string): Promise<OpenableSeries> {
  const { library } = useStudyBrowser.getState();
  const series = library.series.find((s) => s.seriesInstanceUid === seriesUid);
  if (!series) throw new Error(`unknown series ${seriesUid}`);
  const study = library.studies.find((s) => s.studyInstanceUid === series.studyInstanceUid);
  const patient = library.patients.find((p) => p.patientId === study?.patientId);
  return openLocalSeries({ series, study, patient }, library.instances[seriesUid] ?? []);
}

/** Opens a series in the viewer's active cell; errors are shown in the browser. */
export async function openInViewer(seriesUid: string): Promise<void> {
  try {
    useViewerStore.getState().openSeries(await openableOf(seriesUid));
  } catch (e) {
    useStudyBrowser.getState().set({
      error: e instanceof FilesNotAvailableError ? 'repick' : e instanceof Error ? e.message : String(e),
    });
  }
}

/** Removes a study from the library (the user's files are never deleted). */
export function removeStudy(studyUid: string): void {
  const st = useStudyBrowser.getState();
  st.set({ library: removeStudyFrom(st.library, studyUid) });
  persist();
}

/** Restores the saved list (web mode) at start-up. */
export async function restoreLibrary(): Promise<void> {
  try {
    const saved = await loadLibrary();
    if (saved) {
      const st = useStudyBrowser.getState();
      st.set({ library: mergeLibrary(saved, st.library) });
    }
  } catch {
    /* nothing saved or IndexedDB unavailable */
  }
}
