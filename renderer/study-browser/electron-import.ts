/**
 * Electron import: the main process walks the picked folders and indexes the files in its library
 * (`window.qiview.importPaths`), then the renderer reads the indexed files' bytes over the bridge (`readFile`) and
 * runs the same parse/open path as web mode, so Electron and web share one browser and one viewer path.
 */
import type { ImportReport, SkippedFile } from '@qiview/core/common/dicom/records';
import type { QiviewApi } from '../../electron/common/api';
import { unwrap } from '../platform/electron-platform';
import type { PickedFile } from '../platform/platform';

const KINDS: readonly SkippedFile['kind'][] = [
  'corrupt',
  'truncated',
  'missing-tags',
  'unsupported',
  'io-error',
];

/** The main process reports `kind: reason` (electron/main/library-services.ts); other reasons count as corrupt. */
export function kindOf(reason: string): Pick<SkippedFile, 'kind' | 'reason'> {
  const m = /^([a-z-]+): ([\s\S]*)$/.exec(reason);
  const kind = KINDS.find((k) => k === m?.[1]);
  return kind && m ? { kind, reason: m[2] } : { kind: 'corrupt', reason };
}

/** Indexes `paths` in the main process and returns the indexed files as `PickedFile`s plus the main's report. */
export async function importPathsViaBridge(
  api: QiviewApi,
  paths: string[],
): Promise<{ files: PickedFile[]; skipped: SkippedFile[]; filesScanned: number }> {
  const r = unwrap(await api.importPaths({ paths }));
  const skipped: SkippedFile[] = r.errors.map((e) => ({ file: e.path, ...kindOf(e.reason) }));
  const files: PickedFile[] = [];
  for (const studyUid of new Set(r.series.map((s) => s.studyInstanceUid))) {
    const study = unwrap(await api.getStudy({ studyInstanceUid: studyUid }));
    for (const se of study.series) {
      for (const f of se.files) {
        const bytes = unwrap(await api.readFile({ path: f.path }));
        const name = f.path.split(/[\\/]/).pop() ?? f.path;
        files.push({
          name: f.path,
          path: f.path,
          file: new File([bytes.slice().buffer as ArrayBuffer], name),
        });
      }
    }
  }
  return { files, skipped, filesScanned: r.filesScanned };
}

/** Adds the main process' skipped files and counts to a renderer-side report. */
export function withMainReport(
  report: ImportReport,
  skipped: SkippedFile[],
  filesScanned: number,
): ImportReport {
  return {
    ...report,
    filesSeen: Math.max(report.filesSeen, filesScanned),
    skipped: [...skipped, ...report.skipped],
  };
}
