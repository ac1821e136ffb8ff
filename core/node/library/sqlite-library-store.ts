/**
 * The desktop/CLI library store on SQLite (better-sqlite3).
 *
 * Why SQLite via better-sqlite3: it is embedded (no server for the user to install or run), one file in the user
 * data folder that survives restarts and is easy to back up, transactional (an import either lands whole or not at
 * all, so a crash never leaves half a series), synchronous (no callback overhead, so a 10k-instance import is one
 * prepared statement looped inside one transaction, i.e. milliseconds per thousand rows), and it has indexes for the
 * study searches. WAL mode lets the UI read while an import writes. IndexedDB fills the same role in web mode.
 *
 * Schema versioning: `PRAGMA user_version` holds the applied migration count; {@link MIGRATIONS} are applied in order
 * inside a transaction on open. Records are stored as JSON next to the indexed columns the searches use.
 */
import Database from 'better-sqlite3';
import type { InstanceRecord, ParsedInstance, SeriesRecord } from '../../common/dicom/records';
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

/** Migrations, in order; index + 1 = schema version after applying it. Never edit a shipped one: append. */
export const MIGRATIONS: string[] = [
  `CREATE TABLE patients (
     patient_id TEXT PRIMARY KEY, name_norm TEXT NOT NULL, json TEXT NOT NULL);
   CREATE TABLE studies (
     study_uid TEXT PRIMARY KEY, patient_id TEXT NOT NULL, study_date TEXT, description_norm TEXT NOT NULL,
     json TEXT NOT NULL);
   CREATE INDEX studies_patient ON studies(patient_id);
   CREATE INDEX studies_date ON studies(study_date);
   CREATE TABLE series (
     series_uid TEXT PRIMARY KEY, study_uid TEXT NOT NULL, modality TEXT NOT NULL, json TEXT NOT NULL);
   CREATE INDEX series_study ON series(study_uid);
   CREATE INDEX series_modality ON series(modality);
   CREATE TABLE instances (
     sop_uid TEXT PRIMARY KEY, series_uid TEXT NOT NULL, study_uid TEXT NOT NULL, file_path TEXT,
     json TEXT NOT NULL);
   CREATE INDEX instances_series ON instances(series_uid);
   CREATE INDEX instances_study ON instances(study_uid);
   CREATE INDEX instances_path ON instances(file_path);
   CREATE TABLE results (
     id TEXT PRIMARY KEY, plugin_id TEXT NOT NULL, plugin_version TEXT NOT NULL, model_versions TEXT NOT NULL,
     input_series TEXT NOT NULL, study_uid TEXT, created_at TEXT NOT NULL, status TEXT NOT NULL, error TEXT,
     payload_path TEXT, payload TEXT);
   CREATE INDEX results_plugin ON results(plugin_id);
   CREATE INDEX results_study ON results(study_uid);
   CREATE TABLE result_inputs (result_id TEXT NOT NULL, series_uid TEXT NOT NULL,
     PRIMARY KEY (result_id, series_uid));
   CREATE INDEX result_inputs_series ON result_inputs(series_uid);`,
];

const norm = (s: string | undefined) =>
  (s ?? '').toLowerCase().replace(/\^/g, ' ').replace(/\s+/g, ' ').trim();
/** Escapes LIKE wildcards (used with ESCAPE '\\'). */
const likeArg = (s: string) => `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

interface StoredSeries {
  json: string;
}

/** Opens (creating and migrating when needed) the library database at `file` (':memory:' for a throwaway one). */
export function openSqliteLibraryStore(file: string): SqliteLibraryStore {
  return new SqliteLibraryStore(file);
}

/** {@link LibraryStore} on SQLite. */
export class SqliteLibraryStore implements LibraryStore {
  private readonly db: Database.Database;

  constructor(readonly file: string) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('foreign_keys = ON');
    this.migrate();
  }

  /** Current schema version (number of applied migrations). */
  get schemaVersion(): number {
    return this.db.pragma('user_version', { simple: true }) as number;
  }

  private migrate(): void {
    const from = this.schemaVersion;
    if (from > MIGRATIONS.length)
      throw new Error(
        `library database ${this.file} has schema version ${from}, newer than this app supports (${MIGRATIONS.length})`,
      );
    this.db.transaction(() => {
      for (let v = from; v < MIGRATIONS.length; v++) this.db.exec(MIGRATIONS[v]);
      this.db.pragma(`user_version = ${MIGRATIONS.length}`);
    })();
  }

  async upsertInstances(parsed: ParsedInstance[], options: UpsertOptions = {}): Promise<UpsertReport> {
    const batch = mergeParsed(parsed);
    const db = this.db;
    const getInst = db.prepare<[string], { json: string }>('SELECT json FROM instances WHERE sop_uid = ?');
    const putInst = db.prepare(
      `INSERT INTO instances (sop_uid, series_uid, study_uid, file_path, json) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT(sop_uid) DO UPDATE SET series_uid = excluded.series_uid, study_uid = excluded.study_uid,
       file_path = excluded.file_path, json = excluded.json`,
    );
    const putPatient = db.prepare(
      `INSERT INTO patients (patient_id, name_norm, json) VALUES (?, ?, ?)
       ON CONFLICT(patient_id) DO UPDATE SET name_norm = excluded.name_norm, json = excluded.json`,
    );
    const putStudy = db.prepare(
      `INSERT INTO studies (study_uid, patient_id, study_date, description_norm, json) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT(study_uid) DO UPDATE SET patient_id = excluded.patient_id, study_date = excluded.study_date,
       description_norm = excluded.description_norm, json = excluded.json`,
    );
    const getSeries = db.prepare<[string], StoredSeries>('SELECT json FROM series WHERE series_uid = ?');
    const putSeries = db.prepare(
      `INSERT INTO series (series_uid, study_uid, modality, json) VALUES (?, ?, ?, ?)
       ON CONFLICT(series_uid) DO UPDATE SET study_uid = excluded.study_uid, modality = excluded.modality,
       json = excluded.json`,
    );
    const framesOf = db.prepare<[string], { json: string }>(
      'SELECT json FROM instances WHERE series_uid = ?',
    );
    const seriesOf = db.prepare<[string], { json: string }>('SELECT json FROM series WHERE study_uid = ?');
    const report: UpsertReport = {
      instancesAdded: 0,
      instancesAlreadyKnown: 0,
      instancesUpdated: 0,
      studies: [...batch.studies.keys()].sort(),
      series: [...batch.series.keys()].sort(),
    };
    db.transaction(() => {
      for (const i of batch.instances.values()) {
        const json = stableJson(i);
        const old = getInst.get(i.sopInstanceUid);
        if (old && old.json === json) {
          report.instancesAlreadyKnown++;
          continue;
        }
        if (old) report.instancesUpdated++;
        else report.instancesAdded++;
        putInst.run(
          i.sopInstanceUid,
          i.seriesInstanceUid,
          i.studyInstanceUid,
          i.location.kind === 'file' ? i.location.path : null,
          json,
        );
      }
      for (const p of batch.patients.values())
        putPatient.run(p.patientId, norm(p.patientName), JSON.stringify(p));
      for (const s of batch.series.values()) {
        const old = getSeries.get(s.seriesInstanceUid);
        const oldWarnings = old ? (JSON.parse(old.json) as SeriesRecord).warnings : [];
        const agg = seriesAggregate(
          framesOf.all(s.seriesInstanceUid).map((r) => JSON.parse(r.json) as InstanceRecord),
        );
        const rec: SeriesRecord = {
          ...s,
          ...agg,
          warnings: options.seriesWarnings?.[s.seriesInstanceUid] ?? oldWarnings,
        };
        putSeries.run(s.seriesInstanceUid, s.studyInstanceUid, s.modality, JSON.stringify(rec));
      }
      for (const st of batch.studies.values()) {
        const agg = studyAggregate(
          seriesOf.all(st.studyInstanceUid).map((r) => JSON.parse(r.json) as SeriesRecord),
        );
        putStudy.run(
          st.studyInstanceUid,
          st.patientId,
          st.studyDate ?? null,
          norm(st.studyDescription),
          JSON.stringify({ ...st, ...agg }),
        );
      }
    })();
    return report;
  }

  async searchStudies(q: StudyQuery = {}): Promise<StudyListing[]> {
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (q.patientName?.trim()) {
      where.push(`p.name_norm LIKE ? ESCAPE '\\'`);
      args.push(likeArg(norm(q.patientName)));
    }
    if (q.patientId?.trim()) {
      where.push(`lower(s.patient_id) LIKE ? ESCAPE '\\'`);
      args.push(likeArg(q.patientId.trim().toLowerCase()));
    }
    if (q.description?.trim()) {
      where.push(`s.description_norm LIKE ? ESCAPE '\\'`);
      args.push(likeArg(norm(q.description)));
    }
    if (q.modality?.trim()) {
      where.push('EXISTS (SELECT 1 FROM series x WHERE x.study_uid = s.study_uid AND upper(x.modality) = ?)');
      args.push(q.modality.trim().toUpperCase());
    }
    if (q.dateFrom || q.dateTo) where.push('s.study_date IS NOT NULL');
    if (q.dateFrom) {
      where.push('s.study_date >= ?');
      args.push(q.dateFrom);
    }
    if (q.dateTo) {
      where.push('s.study_date <= ?');
      args.push(q.dateTo);
    }
    let sql = `SELECT s.json AS study, p.json AS patient FROM studies s LEFT JOIN patients p ON p.patient_id = s.patient_id
      ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY COALESCE(s.study_date, '') DESC, s.study_uid ASC`;
    if (q.limit !== undefined || q.offset) {
      sql += ' LIMIT ? OFFSET ?';
      args.push(q.limit ?? -1, Math.max(0, q.offset ?? 0));
    }
    const rows = this.db.prepare<unknown[], { study: string; patient: string | null }>(sql).all(...args);
    return rows.map((r) => this.listing(r.study, r.patient));
  }

  private listing(study: string, patient: string | null): StudyListing {
    const s = JSON.parse(study) as Omit<StudyListing, 'patient'>;
    return { ...s, patient: patient ? JSON.parse(patient) : { patientId: s.patientId } };
  }

  async getStudy(uid: string): Promise<StudyListing | null> {
    const r = this.db
      .prepare<[string], { study: string; patient: string | null }>(
        'SELECT s.json AS study, p.json AS patient FROM studies s LEFT JOIN patients p ON p.patient_id = s.patient_id WHERE s.study_uid = ?',
      )
      .get(uid);
    return r ? this.listing(r.study, r.patient) : null;
  }

  async listSeries(studyUid: string): Promise<SeriesRecord[]> {
    return this.db
      .prepare<[string], { json: string }>('SELECT json FROM series WHERE study_uid = ?')
      .all(studyUid)
      .map((r) => JSON.parse(r.json) as SeriesRecord)
      .sort(compareSeries);
  }

  async listInstances(seriesUid: string): Promise<InstanceRecord[]> {
    return this.db
      .prepare<[string], { json: string }>('SELECT json FROM instances WHERE series_uid = ?')
      .all(seriesUid)
      .map((r) => JSON.parse(r.json) as InstanceRecord)
      .sort(compareInstances);
  }

  async removeStudy(uid: string): Promise<boolean> {
    const db = this.db;
    return db.transaction(() => {
      const st = db
        .prepare<[string], { patient_id: string }>('SELECT patient_id FROM studies WHERE study_uid = ?')
        .get(uid);
      if (!st) return false;
      db.prepare('DELETE FROM instances WHERE study_uid = ?').run(uid);
      db.prepare('DELETE FROM series WHERE study_uid = ?').run(uid);
      db.prepare('DELETE FROM studies WHERE study_uid = ?').run(uid);
      db.prepare(
        'DELETE FROM patients WHERE patient_id = ? AND NOT EXISTS (SELECT 1 FROM studies WHERE patient_id = ?)',
      ).run(st.patient_id, st.patient_id);
      return true;
    })();
  }

  async hasFile(path: string): Promise<boolean> {
    return !!this.db.prepare('SELECT 1 FROM instances WHERE file_path = ? LIMIT 1').get(path);
  }

  /**
   * Synchronous check for the importer's `isKnown` hook (core/node/import/scan-paths): true when this SOP Instance
   * UID is stored with exactly this location.
   */
  isKnown(sopInstanceUid: string, location: InstanceRecord['location']): boolean {
    const row = this.db
      .prepare<[string], { json: string }>('SELECT json FROM instances WHERE sop_uid = ?')
      .get(sopInstanceUid);
    if (!row) return false;
    return stableJson((JSON.parse(row.json) as InstanceRecord).location) === stableJson(location);
  }

  async counts(): Promise<LibraryCounts> {
    const n = (t: string) =>
      this.db.prepare<[], { n: number }>(`SELECT count(*) AS n FROM ${t}`).get()?.n ?? 0;
    return {
      patients: n('patients'),
      studies: n('studies'),
      series: n('series'),
      instances: n('instances'),
      results: n('results'),
    };
  }

  async putResult(r: ResultRecord): Promise<void> {
    const db = this.db;
    db.transaction(() => {
      db.prepare(
        `INSERT OR REPLACE INTO results (id, plugin_id, plugin_version, model_versions, input_series, study_uid,
         created_at, status, error, payload_path, payload) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        r.id,
        r.pluginId,
        r.pluginVersion,
        JSON.stringify(r.modelVersions),
        JSON.stringify(r.inputSeriesUids),
        r.studyInstanceUid ?? null,
        r.createdAt,
        r.status,
        r.error ?? null,
        r.payloadPath ?? null,
        r.payload === undefined ? null : JSON.stringify(r.payload),
      );
      db.prepare('DELETE FROM result_inputs WHERE result_id = ?').run(r.id);
      const ins = db.prepare('INSERT OR IGNORE INTO result_inputs (result_id, series_uid) VALUES (?, ?)');
      for (const s of r.inputSeriesUids) ins.run(r.id, s);
    })();
  }

  async getResult(id: string): Promise<ResultRecord | null> {
    const row = this.db.prepare<[string], ResultRow>('SELECT * FROM results WHERE id = ?').get(id);
    return row ? resultFromRow(row) : null;
  }

  async listResults(q: ResultQuery = {}): Promise<ResultRecord[]> {
    const where: string[] = [];
    const args: string[] = [];
    const add = (clause: string, arg: string) => {
      where.push(clause);
      args.push(arg);
    };
    if (q.pluginId) add('plugin_id = ?', q.pluginId);
    if (q.studyInstanceUid) add('study_uid = ?', q.studyInstanceUid);
    if (q.status) add('status = ?', q.status);
    if (q.seriesInstanceUid)
      add('id IN (SELECT result_id FROM result_inputs WHERE series_uid = ?)', q.seriesInstanceUid);
    const sql = `SELECT * FROM results ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY created_at DESC, id ASC`;
    return this.db
      .prepare<string[], ResultRow>(sql)
      .all(...args)
      .map(resultFromRow);
  }

  async removeResult(id: string): Promise<boolean> {
    const db = this.db;
    return db.transaction(() => {
      db.prepare('DELETE FROM result_inputs WHERE result_id = ?').run(id);
      return db.prepare('DELETE FROM results WHERE id = ?').run(id).changes > 0;
    })();
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

interface ResultRow {
  id: string;
  plugin_id: string;
  plugin_version: string;
  model_versions: string;
  input_series: string;
  study_uid: string | null;
  created_at: string;
  status: ResultRecord['status'];
  error: string | null;
  payload_path: string | null;
  payload: string | null;
}

function resultFromRow(r: ResultRow): ResultRecord {
  const out: ResultRecord = {
    id: r.id,
    pluginId: r.plugin_id,
    pluginVersion: r.plugin_version,
    modelVersions: JSON.parse(r.model_versions),
    inputSeriesUids: JSON.parse(r.input_series),
    createdAt: r.created_at,
    status: r.status,
  };
  if (r.study_uid !== null) out.studyInstanceUid = r.study_uid;
  if (r.error !== null) out.error = r.error;
  if (r.payload_path !== null) out.payloadPath = r.payload_path;
  if (r.payload !== null) out.payload = JSON.parse(r.payload);
  return out;
}
