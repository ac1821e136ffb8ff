/**
 * Imports picked files: parses them in a module Web Worker in batches (progress events, cancel), then groups the
 * instances into patients/studies/series with geometric slice order (`groupInstances` → `sortByGeometry`).
 * Where `Worker` does not exist (Node tests) the same parser runs on the calling thread.
 */
import { groupInstances, type GroupedInstances } from '../../common/dicom/group-instances';
import type { ImportReport, ParsedInstance, SkippedFile } from '../../common/dicom/records';
import type { FromImportWorker, ToImportWorker } from './import-messages';
import { parseFiles, type FileToParse } from './parse-files';

/** Progress of a whole import. */
export interface ImportProgress {
  done: number;
  total: number;
  current: string;
}

/** Options of {@link importFiles}. */
export interface ImportFilesOptions {
  onProgress?(p: ImportProgress): void;
  signal?: AbortSignal;
  /** Files per worker message (default 64). */
  batchSize?: number;
  /** Set false to parse on the calling thread. Default: a worker when `Worker` exists. */
  useWorker?: boolean;
}

/** What an import produced. */
export interface ImportResult {
  parsed: ParsedInstance[];
  grouped: GroupedInstances;
  report: ImportReport;
  cancelled: boolean;
}

/** Builds the {@link ImportReport} of a finished parse. */
export function makeReport(
  filesSeen: number,
  grouped: GroupedInstances,
  skipped: SkippedFile[],
): ImportReport {
  const added = Object.values(grouped.instances).reduce((s, l) => s + l.length, 0);
  return {
    filesSeen,
    instancesAdded: added,
    instancesAlreadyKnown: 0,
    studies: grouped.studies.map((s) => s.studyInstanceUid),
    series: grouped.series.map((s) => s.seriesInstanceUid),
    skipped,
  };
}

function parseInWorker(files: FileToParse[], o: ImportFilesOptions) {
  const size = Math.max(1, o.batchSize ?? 64);
  const worker = new Worker(new URL('./import-worker.ts', import.meta.url), { type: 'module' });
  const batches: FileToParse[][] = [];
  for (let i = 0; i < files.length; i += size) batches.push(files.slice(i, i + size));
  return new Promise<{ parsed: ParsedInstance[]; skipped: SkippedFile[]; seen: number; cancelled: boolean }>(
    (resolve, reject) => {
      const parsed: ParsedInstance[] = [];
      const skipped: SkippedFile[] = [];
      let finished = 0;
      let seen = 0;
      let cancelled = false;
      const onAbort = () => worker.postMessage({ type: 'cancel' } satisfies ToImportWorker);
      o.signal?.addEventListener('abort', onAbort);
      const end = () => {
        o.signal?.removeEventListener('abort', onAbort);
        worker.terminate();
      };
      worker.onerror = (e) => {
        end();
        reject(new Error(`import worker failed: ${e.message}`));
      };
      worker.onmessage = (e: MessageEvent<FromImportWorker>) => {
        const m = e.data;
        if (m.type === 'progress') {
          o.onProgress?.({ done: m.batch * size + m.done, total: files.length, current: m.current });
          return;
        }
        parsed.push(...m.parsed);
        skipped.push(...m.skipped);
        seen += m.parsed.length + m.skipped.length;
        cancelled ||= m.cancelled;
        if (++finished === batches.length) {
          end();
          resolve({ parsed, skipped, seen, cancelled });
        }
      };
      batches.forEach((b, batch) =>
        worker.postMessage({ type: 'parse', batch, files: b } satisfies ToImportWorker),
      );
    },
  );
}

/** Parses and groups `files`. Never rejects for bad files (they land in `report.skipped`). */
export async function importFiles(files: FileToParse[], o: ImportFilesOptions = {}): Promise<ImportResult> {
  let parsed: ParsedInstance[];
  let skipped: SkippedFile[];
  let seen: number;
  let cancelled: boolean;
  if (files.length > 0 && (o.useWorker ?? typeof Worker !== 'undefined')) {
    ({ parsed, skipped, seen, cancelled } = await parseInWorker(files, o));
  } else {
    const r = await parseFiles(files, { signal: o.signal, onProgress: o.onProgress });
    ({ parsed, skipped, cancelled } = r);
    seen = r.filesSeen;
  }
  const grouped = groupInstances(parsed);
  return { parsed, grouped, report: makeReport(seen, grouped, skipped), cancelled };
}
