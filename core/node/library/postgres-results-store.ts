/**
 * Analysis results in PostgreSQL (node-postgres `pg`), for research centres where several users or batch workers
 * share one results database. Same {@link ResultsStore} contract as the embedded stores.
 *
 * Schema versioning: table `qiview_schema` holds the applied migration count; {@link PG_MIGRATIONS} run in order in
 * one transaction under an advisory lock, so several processes opening the store at once migrate exactly once.
 * `putResult` is an upsert by id, which makes at-least-once batch delivery safe (a retried job overwrites its row).
 */
import pg from 'pg';
import type { ResultQuery, ResultRecord, ResultsStore } from '../../common/library/library-store';

/** Migrations, in order. Never edit a shipped one: append. `%s` is replaced by the quoted schema name. */
export const PG_MIGRATIONS: string[] = [
  `CREATE TABLE %s.results (
     id TEXT PRIMARY KEY,
     plugin_id TEXT NOT NULL,
     plugin_version TEXT NOT NULL,
     model_versions JSONB NOT NULL,
     input_series TEXT[] NOT NULL,
     study_uid TEXT,
     created_at TIMESTAMPTZ NOT NULL,
     created_at_text TEXT NOT NULL,
     status TEXT NOT NULL CHECK (status IN ('running', 'done', 'failed')),
     error TEXT,
     payload_path TEXT,
     payload JSONB);
   CREATE INDEX results_plugin ON %s.results (plugin_id);
   CREATE INDEX results_study ON %s.results (study_uid);
   CREATE INDEX results_inputs ON %s.results USING GIN (input_series);`,
];

/** Options of {@link openPostgresResultsStore}. */
export interface PostgresResultsOptions {
  /** Schema holding the tables (default 'qiview'); created when missing. */
  schema?: string;
  /** Pool size (default 4). */
  max?: number;
}

/** Connects, creates the schema and applies migrations. Throws with a clear message when the server is unreachable. */
export async function openPostgresResultsStore(
  connectionString: string,
  options: PostgresResultsOptions = {},
): Promise<PostgresResultsStore> {
  const schema = options.schema ?? 'qiview';
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`invalid PostgreSQL schema name "${schema}"`);
  const pool = new pg.Pool({ connectionString, max: options.max ?? 4 });
  pool.on('error', () => {}); // idle client errors surface on the next query instead of crashing the process
  let client: pg.PoolClient;
  try {
    client = await pool.connect();
  } catch (e) {
    await pool.end().catch(() => {});
    throw new Error(`results database unreachable (${redact(connectionString)}): ${(e as Error).message}`);
  }
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`qiview-results-${schema}`]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await client.query(`CREATE TABLE IF NOT EXISTS ${schema}.qiview_schema (version INTEGER NOT NULL)`);
    const v = await client.query<{ version: number }>(`SELECT version FROM ${schema}.qiview_schema`);
    const from = v.rows[0]?.version ?? 0;
    if (from > PG_MIGRATIONS.length)
      throw new Error(
        `results schema version ${from} is newer than this app supports (${PG_MIGRATIONS.length})`,
      );
    for (let i = from; i < PG_MIGRATIONS.length; i++)
      await client.query(PG_MIGRATIONS[i].replaceAll('%s', schema));
    await client.query(`DELETE FROM ${schema}.qiview_schema`);
    await client.query(`INSERT INTO ${schema}.qiview_schema (version) VALUES ($1)`, [PG_MIGRATIONS.length]);
    await client.query('COMMIT');
  } catch (e) {
    await client.query('ROLLBACK').catch(() => {});
    client.release();
    await pool.end().catch(() => {});
    throw e;
  }
  client.release();
  return new PostgresResultsStore(pool, schema);
}

function redact(cs: string): string {
  return cs.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}

interface Row {
  id: string;
  plugin_id: string;
  plugin_version: string;
  model_versions: Record<string, string>;
  input_series: string[];
  study_uid: string | null;
  created_at_text: string;
  status: ResultRecord['status'];
  error: string | null;
  payload_path: string | null;
  payload: unknown;
}

/** {@link ResultsStore} on PostgreSQL. */
export class PostgresResultsStore implements ResultsStore {
  constructor(
    private readonly pool: pg.Pool,
    readonly schema: string,
  ) {}

  async putResult(r: ResultRecord): Promise<void> {
    await this.pool.query(
      `INSERT INTO ${this.schema}.results (id, plugin_id, plugin_version, model_versions, input_series, study_uid,
         created_at, created_at_text, status, error, payload_path, payload)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $12, $8, $9, $10, $11)
       ON CONFLICT (id) DO UPDATE SET plugin_id = excluded.plugin_id, plugin_version = excluded.plugin_version,
         model_versions = excluded.model_versions, input_series = excluded.input_series,
         study_uid = excluded.study_uid, created_at = excluded.created_at, created_at_text = excluded.created_at_text,
         status = excluded.status, error = excluded.error, payload_path = excluded.payload_path,
         payload = excluded.payload`,
      [
        r.id,
        r.pluginId,
        r.pluginVersion,
        JSON.stringify(r.modelVersions),
        r.inputSeriesUids,
        r.studyInstanceUid ?? null,
        r.createdAt,
        r.status,
        r.error ?? null,
        r.payloadPath ?? null,
        r.payload === undefined ? null : JSON.stringify(r.payload),
        r.createdAt,
      ],
    );
  }

  async getResult(id: string): Promise<ResultRecord | null> {
    const r = await this.pool.query<Row>(`SELECT * FROM ${this.schema}.results WHERE id = $1`, [id]);
    return r.rows[0] ? fromRow(r.rows[0]) : null;
  }

  async listResults(q: ResultQuery = {}): Promise<ResultRecord[]> {
    const where: string[] = [];
    const args: string[] = [];
    const add = (clause: string, arg: string) => {
      args.push(arg);
      where.push(clause.replace('?', `$${args.length}`));
    };
    if (q.pluginId) add('plugin_id = ?', q.pluginId);
    if (q.studyInstanceUid) add('study_uid = ?', q.studyInstanceUid);
    if (q.status) add('status = ?', q.status);
    if (q.seriesInstanceUid) add('input_series @> ARRAY[?]::text[]', q.seriesInstanceUid);
    const r = await this.pool.query<Row>(
      `SELECT * FROM ${this.schema}.results ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY created_at DESC, id ASC`,
      args,
    );
    return r.rows.map(fromRow);
  }

  async removeResult(id: string): Promise<boolean> {
    const r = await this.pool.query(`DELETE FROM ${this.schema}.results WHERE id = $1`, [id]);
    return (r.rowCount ?? 0) > 0;
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

function fromRow(r: Row): ResultRecord {
  const out: ResultRecord = {
    id: r.id,
    pluginId: r.plugin_id,
    pluginVersion: r.plugin_version,
    modelVersions: r.model_versions,
    inputSeriesUids: r.input_series,
    createdAt: r.created_at_text,
    status: r.status,
  };
  if (r.study_uid !== null) out.studyInstanceUid = r.study_uid;
  if (r.error !== null) out.error = r.error;
  if (r.payload_path !== null) out.payloadPath = r.payload_path;
  if (r.payload !== null) out.payload = r.payload;
  return out;
}
