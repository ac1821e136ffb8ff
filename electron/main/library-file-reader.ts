/**
 * `file:read`: bytes of a file the library indexes, and of nothing else. The page can never name an arbitrary path:
 * the path must be absolute and already normalised (no `..`, no doubled separators) and the library must list
 * exactly that path; only then is the file opened, and only as a regular file.
 */
import { open, stat } from 'node:fs/promises';
import path from 'node:path';
import { IpcFailure, MAX_READ_BYTES, type FileReadRequest } from '../common/api';
import type { LibraryPort } from './library-port';

/** Options of {@link createLibraryFileReader}. */
export interface LibraryFileReaderOptions {
  library: Pick<LibraryPort, 'hasFile'>;
  /** Largest single read (defaults to {@link MAX_READ_BYTES}); exposed for tests. */
  maxBytes?: number;
  /** Path flavour; defaults to the host's (`path.win32` on Windows). */
  pathApi?: Pick<typeof path, 'isAbsolute' | 'normalize'>;
}

/** Returns the `file:read` implementation. Failures are {@link IpcFailure}s with a code the UI can act on. */
export function createLibraryFileReader(options: LibraryFileReaderOptions) {
  const maxBytes = options.maxBytes ?? MAX_READ_BYTES;
  const p = options.pathApi ?? path;

  return async function readLibraryFile(request: FileReadRequest): Promise<Uint8Array<ArrayBuffer>> {
    const file = request.path;
    if (!p.isAbsolute(file) || p.normalize(file) !== file) {
      throw new IpcFailure('INVALID_REQUEST', 'path must be absolute and normalised');
    }
    if (!(await options.library.hasFile(file))) {
      throw new IpcFailure('NOT_IN_LIBRARY', `not a file of the library: ${file}`);
    }
    let size: number;
    try {
      const st = await stat(file);
      if (!st.isFile()) throw new IpcFailure('NOT_FOUND', `not a regular file: ${file}`);
      size = st.size;
    } catch (e) {
      if (e instanceof IpcFailure) throw e;
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') {
        throw new IpcFailure('NOT_FOUND', `file was moved or deleted since import: ${file}`);
      }
      throw new IpcFailure('IO_ERROR', `cannot read ${file}: ${(e as Error).message}`);
    }
    const offset = request.offset ?? 0;
    if (offset > size)
      throw new IpcFailure('INVALID_REQUEST', `offset ${offset} is past the end (${size} bytes)`);
    const length = request.length ?? size - offset;
    const count = Math.min(length, size - offset);
    if (count > maxBytes) {
      throw new IpcFailure('TOO_LARGE', `${count} bytes requested; read at most ${maxBytes} bytes per call`);
    }
    const bytes = new Uint8Array(count);
    let handle;
    try {
      handle = await open(file, 'r');
      let done = 0;
      while (done < count) {
        const { bytesRead } = await handle.read(bytes, done, count - done, offset + done);
        if (bytesRead === 0) break; // file shrank while reading
        done += bytesRead;
      }
      return done === count ? bytes : bytes.subarray(0, done);
    } catch (e) {
      throw new IpcFailure('IO_ERROR', `cannot read ${file}: ${(e as Error).message}`);
    } finally {
      await handle?.close();
    }
  };
}
