/**
 * The web-mode library store on IndexedDB (through `idb`): the same {@link LibraryStore} contract and conformance
 * suite as the SQLite store. IndexedDB is the browser's only persistent, transactional, large-capacity store; each
 * upsert runs in one readwrite transaction over all object stores, so an import lands whole or not at all. Searches
 * filter in memory with the shared {@link matchesStudy} (libraries in web mode are small: what one user dropped in).
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { InstanceRecord, ParsedInstance, PatientRecord, SeriesRecord } from '../../common/dicom/records';
import type {
  LibraryCounts,
  LibraryStore,
  ResultQuery,
  ResultRecord,
  StudyListing,
  StudyQuery,
  UpsertOptions,
  UpsertReport,
} from '../../common/library/library-store';
import {
  compareInstances,
  compareSeries,
  mergeParsed,
  seriesAggregate,
  stableJson,
  studyAggregate,
} from '../../common/library/merge-parsed';
import {
  compareResults,
  compareStudies,
  matchesResult,
  matchesStudy,
  page,
} from '../../common/library/study-filter';

type StoredStudy = Omit<StudyListing, 'patient'>;
interface StoredInstance {
  sopInstanceUid: string;
  seriesInstanceUid: string;
  studyInstanceUid: string;
  /** '' when the location is not a file (IndexedDB cannot index undefined). */
  filePath: string;
  json: string;
}

interface LibrarySchema extends DBSchema {
  patients: { key: string; value: PatientRecord };
  studies: { key: string; value: StoredStudy; indexes: { patientId: string } };
  series: { key: string; value: SeriesRecord; indexes: { studyInstanceUid: string } };
  instances: {
    key: string;
    value: StoredInstance;
    indexes: { seriesInstanceUid: string; studyInstanceUid: string; filePath: string };
  };
  results: { key: string; value: { id: string; json: string } };
  /** Binary attachments of results (voxel arrays, DICOM bytes), by [result id, name] (schema version 2). */
  resultBlobs: { key: [string, string]; value: StoredResultBlob };
}

interface StoredResultBlob {
  resultId: string;
  name: string;
  bytes: Uint8Array;
}

/**
 * Binary attachments of result records (web mode): a result's label maps and float maps are too large for the
 * record's JSON payload, so they are kept beside it in the same database and removed with it.
 */
export interface ResultBlobStore {
  /** Stores (replacing by name) binary attachments of a result, in one transaction. */
  putResultBlobs(resultId: string, blobs: Record<string, Uint8Array>): Promise<void>;
  /** One attachment, or null when absent. */
  getResultBlob(resultId: string, name: string): Promise<Uint8Array | null>;
  /** Names of a result's attachments, sorted. */
  listResultBlobs(resultId: string): Promise<string[]>;
}

/** Schema version of the IndexedDB database; upgrades run in `upgrade` below, one step per version. */
export const IDB_LIBRARY_VERSION = 2;

/** Every [resultId, name] key of one result (an array key sorts after every string key). */
function blobRange(resultId: string): IDBKeyRange {
  return IDBKeyRange.bound([resultId, ''], [resultId, []]);
}

/** Opens (creating or upgrading) the library database `name` (default 'qiview-library'). */
export async function openIdbLibraryStore(name = 'qiview-library'): Promise<IdbLibraryStore> {
  const db = await openDB<LibrarySchema>(name, IDB_LIBRARY_VERSION, {
    upgrade(db, oldVersion) {
      if (oldVersion < 1) {
        db.createObjectStore('patients', { keyPath: 'patientId' });
        db.createObjectStore('studies', { keyPath: 'studyInstanceUid' }).createIndex(
          'patientId',
          'patientId',
        );
        db.createObjectStore('series', { keyPath: 'seriesInstanceUid' }).createIndex(
          'studyInstanceUid',
          'studyInstanceUid',
        );
        const inst = db.createObjectStore('instances', { keyPath: 'sopInstanceUid' });
        inst.createIndex('seriesInstanceUid', 'seriesInstanceUid');
        inst.createIndex('studyInstanceUid', 'studyInstanceUid');
        inst.createIndex('filePath', 'filePath');
        db.createObjectStore('results', { keyPath: 'id' });
      }
      if (oldVersion < 2) db.createObjectStore('resultBlobs', { keyPath: ['resultId', 'name'] });
    },
  });
  return new IdbLibraryStore(db);
}

/** {@link LibraryStore} on IndexedDB, with {@link ResultBlobStore} attachments. */
export class IdbLibraryStore implements LibraryStore, ResultBlobStore {
  constructor(private readonly db: IDBPDatabase<LibrarySchema>) {}

  async upsertInstances(parsed: ParsedInstance[], options: UpsertOptions = {}): Promise<UpsertReport> {
    const batch = mergeParsed(parsed);
    const report: UpsertReport = {
      instancesAdded: 0,
      instancesAlreadyKnown: 0,
      instancesUpdated: 0,
      studies: [...batch.studies.keys()].sort(),
      series: [...batch.series.keys()].sort(),
    };
    const tx = this.db.transaction(['patients', 'studies', 'series', 'instances'], 'readwrite');
    const inst = tx.objectStore('instances');
    for (const i of batch.instances.values()) {
      const json = stableJson(i);
      const old = await inst.get(i.sopInstanceUid);
      if (old?.json === json) {
        report.instancesAlreadyKnown++;
        continue;
      }
      if (old) report.instancesUpdated++;
      else report.instancesAdded++;
      await inst.put({
        sopInstanceUid: i.sopInstanceUid,
        seriesInstanceUid: i.seriesInstanceUid,
        studyInstanceUid: i.studyInstanceUid,
        filePath: i.location.kind === 'file' ? i.location.path : '',
        json,
      });
    }
    for (const p of batch.patients.values()) await tx.objectStore('patients').put(p);
    const seriesStore = tx.objectStore('series');
    for (const s of batch.series.values()) {
      const old = await seriesStore.get(s.seriesInstanceUid);
      const members = await inst.index('seriesInstanceUid').getAll(s.seriesInstanceUid);
      const agg = seriesAggregate(members.map((m) => JSON.parse(m.json) as InstanceRecord));
      await seriesStore.put({
        ...s,
        ...agg,
        warnings: options.seriesWarnings?.[s.seriesInstanceUid] ?? old?.warnings ?? [],
      });
    }
    for (const st of batch.studies.values()) {
      const series = await seriesStore.index('studyInstanceUid').getAll(st.studyInstanceUid);
      await tx.objectStore('studies').put({ ...st, ...studyAggregate(series) });
    }
    await tx.done;
    return report;
  }

  async searchStudies(q: StudyQuery = {}): Promise<StudyListing[]> {
    const tx = this.db.transaction(['studies', 'patients']);
    const [studies, patients] = await Promise.all([
      tx.objectStore('studies').getAll(),
      tx.objectStore('patients').getAll(),
    ]);
    const byId = new Map(patients.map((p) => [p.patientId, p]));
    const rows = studies
      .map((s) => ({ ...s, patient: byId.get(s.patientId) ?? { patientId: s.patientId } }))
      .filter((s) => matchesStudy(s, q))
      .sort(compareStudies);
    return page(rows, q);
  }

  async getStudy(uid: string): Promise<StudyListing | null> {
    const s = await this.db.get('studies', uid);
    if (!s) return null;
    return { ...s, patient: (await this.db.get('patients', s.patientId)) ?? { patientId: s.patientId } };
  }

  async listSeries(studyUid: string): Promise<SeriesRecord[]> {
    return (await this.db.getAllFromIndex('series', 'studyInstanceUid', studyUid)).sort(compareSeries);
  }

  async listInstances(seriesUid: string): Promise<InstanceRecord[]> {
    return (await this.db.getAllFromIndex('instances', 'seriesInstanceUid', seriesUid))
      .map((r) => JSON.parse(r.json) as InstanceRecord)
      .sort(compareInstances);
  }

  async removeStudy(uid: string): Promise<boolean> {
    const tx = this.db.transaction(['patients', 'studies', 'series', 'instances'], 'readwrite');
    const st = await tx.objectStore('studies').get(uid);
    if (!st) {
      await tx.done;
      return false;
    }
    for (const k of await tx.objectStore('instances').index('studyInstanceUid').getAllKeys(uid))
      await tx.objectStore('instances').delete(k);
    for (const k of await tx.objectStore('series').index('studyInstanceUid').getAllKeys(uid))
      await tx.objectStore('series').delete(k);
    await tx.objectStore('studies').delete(uid);
    if ((await tx.objectStore('studies').index('patientId').count(st.patientId)) === 0)
      await tx.objectStore('patients').delete(st.patientId);
    await tx.done;
    return true;
  }

  async hasFile(path: string): Promise<boolean> {
    if (!path) return false;
    return (await this.db.countFromIndex('instances', 'filePath', path)) > 0;
  }

  async counts(): Promise<LibraryCounts> {
    return {
      patients: await this.db.count('patients'),
      studies: await this.db.count('studies'),
      series: await this.db.count('series'),
      instances: await this.db.count('instances'),
      results: await this.db.count('results'),
    };
  }

  async putResult(result: ResultRecord): Promise<void> {
    await this.db.put('results', { id: result.id, json: JSON.stringify(result) });
  }

  async getResult(id: string): Promise<ResultRecord | null> {
    const r = await this.db.get('results', id);
    return r ? (JSON.parse(r.json) as ResultRecord) : null;
  }

  async listResults(q: ResultQuery = {}): Promise<ResultRecord[]> {
    return (await this.db.getAll('results'))
      .map((r) => JSON.parse(r.json) as ResultRecord)
      .filter((r) => matchesResult(r, q))
      .sort(compareResults);
  }

  async removeResult(id: string): Promise<boolean> {
    const tx = this.db.transaction(['results', 'resultBlobs'], 'readwrite');
    const results = tx.objectStore('results');
    const had = (await results.count(id)) > 0;
    if (had) await results.delete(id);
    await tx.objectStore('resultBlobs').delete(blobRange(id));
    await tx.done;
    return had;
  }

  async putResultBlobs(resultId: string, blobs: Record<string, Uint8Array>): Promise<void> {
    const tx = this.db.transaction('resultBlobs', 'readwrite');
    for (const [name, bytes] of Object.entries(blobs)) await tx.store.put({ resultId, name, bytes });
    await tx.done;
  }

  async getResultBlob(resultId: string, name: string): Promise<Uint8Array | null> {
    const r = await this.db.get('resultBlobs', [resultId, name]);
    return r ? r.bytes : null;
  }

  async listResultBlobs(resultId: string): Promise<string[]> {
    return (await this.db.getAllKeys('resultBlobs', blobRange(resultId))).map((k) => k[1]).sort();
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
