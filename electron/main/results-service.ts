/**
 * Analysis results in the desktop library: the record lives in the SQLite library store (core/node/library), its
 * payload and voxel attachments as files in one folder per result under the user-data `results/` folder; the
 * record's `payloadPath` names that folder's `payload.json`.
 *
 * A put is atomic: the new folder is written (and fsynced) under a temporary name, swapped in with renames, then the
 * record is stored; a crash leaves either the old or the new result, plus at worst a stray `.tmp-`/`.old-` folder
 * that the next put of that id removes. Attachment files are named by index (`0.bin`, ...) with their names kept in
 * `attachments.json`, so an attachment name never becomes a path.
 */
import { createHash, randomUUID } from 'node:crypto';
import { copyFile, link, mkdir, open, readFile, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import {
  IpcFailure,
  type ListResultsRequest,
  type PutResultRequest,
  resultRecordMeta,
  type StoredResult,
} from '../common/api';
import type { ResultRecord, ResultsStore } from '../../core/common/library/library-store';

/** What the results channels call. */
export interface ResultsPort {
  put(request: PutResultRequest): Promise<StoredResult>;
  list(query: ListResultsRequest): Promise<StoredResult[]>;
  get(id: string): Promise<StoredResult | null>;
  readAttachment(id: string, name: string): Promise<Uint8Array<ArrayBuffer> | null>;
  remove(id: string): Promise<boolean>;
}

interface AttachmentManifest {
  attachments: { name: string; file: string; bytes: number }[];
}

const PAYLOAD_FILE = 'payload.json';
const MANIFEST_FILE = 'attachments.json';

/** Folder name of a result: a hash of its id (ids may contain characters some file systems refuse, e.g. `:`). */
export function resultFolderName(id: string): string {
  return createHash('sha256').update(id).digest('hex').slice(0, 40);
}

async function writeFileSynced(file: string, data: Uint8Array | string): Promise<void> {
  const fh = await open(file, 'w');
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

const toBytes = (b: ArrayBuffer | Uint8Array): Uint8Array =>
  b instanceof Uint8Array ? b : new Uint8Array(b);

/** What a stored result answers: the record's metadata with its payload, and the attachments' names and sizes. */
function storedFrom(record: ResultRecord, payload: unknown, manifest: AttachmentManifest): StoredResult {
  return {
    record: { ...resultRecordMeta(record), ...(payload !== undefined ? { payload } : {}) },
    attachments: manifest.attachments.map((a) => ({ name: a.name, bytes: a.bytes })),
  };
}

/** Builds the results service over a results store and the folder that holds the result files. */
export function createResultsService(store: ResultsStore, resultsDir: string): ResultsPort {
  const folderOf = (id: string) => path.join(resultsDir, resultFolderName(id));

  async function readManifest(dir: string): Promise<AttachmentManifest> {
    try {
      return JSON.parse(await readFile(path.join(dir, MANIFEST_FILE), 'utf8')) as AttachmentManifest;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { attachments: [] };
      throw e;
    }
  }

  async function stored(record: ResultRecord): Promise<StoredResult> {
    const dir = folderOf(record.id);
    let payload: unknown = record.payload;
    if (record.payloadPath) {
      try {
        payload = JSON.parse(await readFile(record.payloadPath, 'utf8')) as unknown;
      } catch (e) {
        throw new IpcFailure(
          'IO_ERROR',
          `payload of result ${record.id} cannot be read: ${(e as Error).message}`,
        );
      }
    }
    return storedFrom(record, payload, await readManifest(dir));
  }

  /** Removes stray temporary folders of a result left by a crash. */
  async function sweep(id: string): Promise<void> {
    const base = resultFolderName(id);
    let names: string[];
    try {
      names = await readdir(resultsDir);
    } catch {
      return;
    }
    for (const n of names)
      if (n.startsWith(`${base}.tmp-`) || n.startsWith(`${base}.old-`))
        await rm(path.join(resultsDir, n), { recursive: true, force: true });
  }

  // puts and removes are serialised, so two writes of one result never interleave their renames
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(job: () => Promise<T>): Promise<T> => {
    const run = queue.then(job);
    queue = run.catch(() => undefined);
    return run;
  };

  return {
    put: (req) =>
      serial(async () => {
        const { id } = req.record;
        await mkdir(resultsDir, { recursive: true });
        await sweep(id);
        const dir = folderOf(id);
        const tmp = `${dir}.tmp-${randomUUID()}`;
        const old = `${dir}.old-${randomUUID()}`;
        try {
          await mkdir(tmp);
          await writeFileSynced(path.join(tmp, PAYLOAD_FILE), req.payloadJson);
          let manifest: AttachmentManifest;
          if (req.attachments) {
            manifest = { attachments: [] };
            let i = 0;
            for (const [name, bytes] of Object.entries(req.attachments)) {
              const file = `${i++}.bin`;
              const b = toBytes(bytes);
              await writeFileSynced(path.join(tmp, file), b);
              manifest.attachments.push({ name, file, bytes: b.byteLength });
            }
            manifest.attachments.sort((a, b) => (a.name < b.name ? -1 : 1));
          } else {
            // no attachments given: keep the stored ones. Files are never changed in place (every put writes a new
            // folder), so a hard link is safe and costs nothing; copy where links are not supported.
            manifest = await readManifest(dir);
            for (const a of manifest.attachments) {
              const from = path.join(dir, a.file);
              const to = path.join(tmp, a.file);
              await link(from, to).catch(() => copyFile(from, to));
            }
          }
          await writeFileSynced(path.join(tmp, MANIFEST_FILE), JSON.stringify(manifest));
          const hadOld = await stat(dir).then(
            () => true,
            () => false,
          );
          if (hadOld) await rename(dir, old);
          await rename(tmp, dir);
          const record: ResultRecord = { ...req.record, payloadPath: path.join(dir, PAYLOAD_FILE) };
          try {
            await store.putResult(record);
          } catch (e) {
            // the database refused: put the previous folder back
            await rm(dir, { recursive: true, force: true });
            if (hadOld) await rename(old, dir);
            throw e;
          }
          if (hadOld) await rm(old, { recursive: true, force: true });
          // answered from what was just written (the payload JSON was validated by the channel schema)
          return storedFrom(record, JSON.parse(req.payloadJson) as unknown, manifest);
        } catch (e) {
          await rm(tmp, { recursive: true, force: true });
          if (e instanceof IpcFailure) throw e;
          const code = (e as NodeJS.ErrnoException).code;
          if (typeof code === 'string')
            throw new IpcFailure('IO_ERROR', `result ${id} cannot be written: ${(e as Error).message}`);
          throw e;
        }
      }),
    async list(q) {
      const out: StoredResult[] = [];
      for (const r of await store.listResults(q)) out.push(await stored(r));
      return out;
    },
    async get(id) {
      const r = await store.getResult(id);
      return r ? stored(r) : null;
    },
    async readAttachment(id, name) {
      if (!(await store.getResult(id))) return null;
      const dir = folderOf(id);
      const a = (await readManifest(dir)).attachments.find((x) => x.name === name);
      if (!a) return null;
      return new Uint8Array(await readFile(path.join(dir, a.file)));
    },
    remove: (id) =>
      serial(async () => {
        const removed = await store.removeResult(id);
        await rm(folderOf(id), { recursive: true, force: true });
        await sweep(id);
        return removed;
      }),
  };
}

/** A results service answering UNAVAILABLE (the library database could not be opened). */
export function unavailableResults(reason: string): ResultsPort {
  const fail = async (): Promise<never> => {
    throw new IpcFailure('UNAVAILABLE', `the result library is not available: ${reason}`);
  };
  return { put: fail, list: fail, get: fail, readAttachment: fail, remove: fail };
}
