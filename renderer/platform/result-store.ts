/**
 * Where the page keeps analysis results and signed reports: one {@link ResultStore} shape for both hosts, picked by
 * platform. Web: the page's IndexedDB library (core/browser/library, records + `resultBlobs`). Electron: the user's
 * SQLite library behind the `results:*` channels of `window.qiview` (records in the database, payload and voxel
 * attachments as files in the user-data folder). The results history and the signed-report store use only this.
 */
import { resultRecordMeta, type QiviewApi, type StoredResult } from '../../electron/common/api';
import type { IpcResult } from '../../electron/common/ipc-result';
import type { ResultQuery, ResultRecord } from '../../core/common/library/library-store';
import { openIdbLibraryStore, type IdbLibraryStore } from '../../core/browser/library/idb-library-store';
import { WEB_LIBRARY_DB } from '../study-browser/persist-library';

/** Results with their voxel attachments, as the UI stores and re-opens them. */
export interface ResultStore {
  /** 'indexeddb' (web page) or 'desktop-library' (Electron: SQLite + files in the user-data folder). */
  readonly kind: 'indexeddb' | 'desktop-library';
  /**
   * Inserts or replaces a result by id. Attachments given are written with the record (before it, so a listed
   * record always has its voxels); omitted, the stored attachments are kept.
   */
  putResult(record: ResultRecord, attachments?: Record<string, Uint8Array>): Promise<void>;
  /** One result, or null. */
  getResult(id: string): Promise<ResultRecord | null>;
  /** Matching results, newest first. */
  listResults(query?: ResultQuery): Promise<ResultRecord[]>;
  /** Removes a result and its attachments; false when absent. */
  removeResult(id: string): Promise<boolean>;
  /** One attachment's bytes, or null when absent. */
  getAttachment(id: string, name: string): Promise<Uint8Array | null>;
}

/** The web-mode store over an IndexedDB library (opened lazily, once; a failed open is retried next call). */
export function createIdbResultStore(
  open: () => Promise<IdbLibraryStore> = () => openIdbLibraryStore(WEB_LIBRARY_DB),
): ResultStore {
  let opened: Promise<IdbLibraryStore> | undefined;
  const db = (): Promise<IdbLibraryStore> => {
    if (typeof indexedDB === 'undefined')
      return Promise.reject(new Error('this browser has no IndexedDB (private mode?)'));
    opened ??= open().catch((e: unknown) => {
      opened = undefined;
      throw e;
    });
    return opened;
  };
  return {
    kind: 'indexeddb',
    async putResult(record, attachments) {
      const s = await db();
      if (attachments) await s.putResultBlobs(record.id, attachments);
      await s.putResult(record);
    },
    getResult: async (id) => (await db()).getResult(id),
    listResults: async (query) => (await db()).listResults(query),
    removeResult: async (id) => (await db()).removeResult(id),
    getAttachment: async (id, name) => (await db()).getResultBlob(id, name),
  };
}

function unwrap<T>(r: IpcResult<T>, what: string): T {
  if (!r.ok) throw new Error(`${what}: ${r.error.code}: ${r.error.message}`);
  return r.value;
}

/** The bytes of a view as a standalone ArrayBuffer (what the bridge carries), copied only when needed. */
function arrayBufferOf(b: Uint8Array): ArrayBuffer {
  if (b.byteOffset === 0 && b.byteLength === b.buffer.byteLength && b.buffer instanceof ArrayBuffer)
    return b.buffer;
  return b.slice().buffer as ArrayBuffer;
}

function recordOf(s: StoredResult): ResultRecord {
  const { payload, ...meta } = s.record;
  // a record stored without payload travels as JSON `null`
  return payload === null || payload === undefined ? meta : { ...meta, payload };
}

/** The Electron store over the `results:*` channels of the bridge. */
export function createBridgeResultStore(api: QiviewApi): ResultStore {
  return {
    kind: 'desktop-library',
    async putResult(record, attachments) {
      const request: Parameters<QiviewApi['putResult']>[0] = {
        record: resultRecordMeta(record),
        payloadJson: JSON.stringify(record.payload ?? null),
      };
      if (attachments)
        request.attachments = Object.fromEntries(
          Object.entries(attachments).map(([name, bytes]) => [name, arrayBufferOf(bytes)]),
        );
      unwrap(await api.putResult(request), `storing result ${record.id}`);
    },
    async getResult(id) {
      const r = await api.getResult({ id });
      if (!r.ok && r.error.code === 'NOT_FOUND') return null;
      return recordOf(unwrap(r, `reading result ${id}`));
    },
    async listResults(query = {}) {
      return unwrap(await api.listResults({ ...query }), 'listing results').results.map(recordOf);
    },
    async removeResult(id) {
      return unwrap(await api.removeResult({ id }), `removing result ${id}`).removed;
    },
    async getAttachment(id, name) {
      const r = await api.readResultAttachment({ id, name });
      if (!r.ok && r.error.code === 'NOT_FOUND') return null;
      return unwrap(r, `reading ${name} of result ${id}`);
    },
  };
}

let current: ResultStore | undefined;

/** The result store of this page (cached): the desktop library when the preload exposed `window.qiview`. */
export function getResultStore(): ResultStore {
  if (!current) {
    const api = (globalThis as { qiview?: QiviewApi }).qiview;
    current = api && api.apiVersion === 1 ? createBridgeResultStore(api) : createIdbResultStore();
  }
  return current;
}
