/**
 * NIfTI files (and their BIDS sidecars / tables) opened through the viewer toolbar: the toolbar's minimal local path
 * reads DICOM only, so NIfTI files and the companions that belong to them go through the study browser's import
 * (which keeps the sidecar and `*_aslcontext.tsv` with the NIfTI for plugins), and the NIfTI series with the most
 * volumes (the 4D ASL series of an ASL-BIDS set) opens in the viewer. Meant to be called by the toolbar before its
 * DICOM path:
 *
 *   const rest = await importNiftiFromToolbar(files); // then openLocalFiles(rest) as before
 */
import { bidsCompanions, isBidsCompanionName } from '@qiview/core/common/plugin-host/bids-nifti';
import { isNiftiName } from '@qiview/core/common/nifti/parse-nifti-instance';
import { importPicked, openInViewer } from '../study-browser/browser-actions';
import { useStudyBrowser } from '../study-browser/study-browser-store';

const pickedName = (f: File) => f.webkitRelativePath || f.name;

/**
 * Imports the NIfTI files among `files` with their BIDS companions and opens the one with the most volumes; returns
 * the files left for the DICOM path (unchanged when there is no NIfTI file).
 */
export async function importNiftiFromToolbar(files: File[]): Promise<File[]> {
  const nifti = files.filter((f) => isNiftiName(f.name));
  if (nifti.length === 0) return files;
  const niftiNames = nifti.map(pickedName);
  const companions = files.filter((f) => {
    if (!isBidsCompanionName(f.name)) return false;
    const n = pickedName(f);
    return niftiNames.some((x) => {
      const c = bidsCompanions(x, [n]);
      return c.sidecar !== undefined || c.tables.length > 0;
    });
  });
  const taken = new Set<File>([...nifti, ...companions]);
  const before = new Set(useStudyBrowser.getState().library.series.map((s) => s.seriesInstanceUid));
  await importPicked([...taken].map((f) => ({ name: pickedName(f), file: f })));
  const lib = useStudyBrowser.getState().library;
  const added = lib.series
    .filter((s) => !before.has(s.seriesInstanceUid))
    .map((s) => ({ uid: s.seriesInstanceUid, first: lib.instances[s.seriesInstanceUid]?.[0] }))
    .filter((s) => s.first?.format === 'nifti')
    .sort((a, b) => (b.first?.numberOfFrames ?? 0) - (a.first?.numberOfFrames ?? 0));
  if (added[0]) await openInViewer(added[0].uid);
  return files.filter((f) => !taken.has(f));
}
