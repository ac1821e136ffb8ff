/**
 * Opens the library store and the importer for the shell. This is the one place where the core/node
 * implementations (the SQLite library store and the recursive path importer) are adapted to the shell's
 * {@link LibraryPort} / {@link ImportPathsFn}. Until those modules exist, each call fails with a clear UNAVAILABLE
 * error instead of pretending to work.
 */
import { IpcFailure } from '../common/api';
import type { ImportPathsFn, LibraryPort } from './library-port';
import type { UserDataPaths } from '../../core/node/user-data/resolve-user-data-paths';

/** The library services of a running app. */
export interface LibraryServices {
  library: LibraryPort;
  importPaths: ImportPathsFn;
  /** Closes the database. */
  close(): void;
}

/** Opens the library services over the user's library database. */
export async function openLibraryServices(
  paths: Pick<UserDataPaths, 'libraryDb'>,
  log: (message: string) => void,
): Promise<LibraryServices> {
  const missing = (): never => {
    throw new IpcFailure('UNAVAILABLE', 'the study library is not available in this build');
  };
  log(`library database: ${paths.libraryDb} (library store not wired in this build)`);
  return {
    library: { search: missing, getStudy: missing, removeStudy: missing, hasFile: () => false },
    importPaths: async () => missing(),
    close() {},
  };
}
