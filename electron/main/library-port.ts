/**
 * What the shell needs from the library and the importer. The real implementations live in core/node (the SQLite
 * library store and the recursive path importer); `main.ts` adapts them to these shapes, and tests pass fakes.
 */
import type {
  ImportProgress,
  ImportPathsResponse,
  LibrarySearchRequest,
  LibrarySearchResponse,
  StudyDetail,
} from '../common/api';

/** The library operations the IPC handlers call. */
export interface LibraryPort {
  /** Studies matching the query, newest first. */
  search(query: LibrarySearchRequest): Promise<LibrarySearchResponse> | LibrarySearchResponse;
  /** One study with series and files, or null when the library has no such study. */
  getStudy(studyInstanceUid: string): Promise<StudyDetail | null> | StudyDetail | null;
  /** Removes a study from the index; false when it was not there. */
  removeStudy(studyInstanceUid: string): Promise<boolean> | boolean;
  /** True when the library indexes exactly this absolute path (the gate of `file:read`). */
  hasFile(path: string): Promise<boolean> | boolean;
}

export type { ImportProgress };

/** Recursive import of files and folders into the library (core/node/import). */
export type ImportPathsFn = (
  paths: string[],
  options: { signal?: AbortSignal; onProgress?: (p: ImportProgress) => void },
) => Promise<ImportPathsResponse>;
