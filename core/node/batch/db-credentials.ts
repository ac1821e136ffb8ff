/**
 * Database passwords stay off the job queue. `qiview batch --queue` puts the run's config into every Redis job, and
 * anyone who can read that Redis would otherwise read the results database's password from it. The batch therefore
 * enqueues the `postgres://` URL without its password ({@link dbUrlWithoutPassword}); each worker supplies the
 * password from its own machine: `qiview worker --db <url with password>` (checked to name the same database by
 * {@link workerDbUrl}), or libpq's usual `PGPASSWORD` / `~/.pgpass`, which node-postgres reads.
 * @packageDocumentation
 */

const isPostgres = (db: string): boolean => /^postgres(ql)?:\/\//i.test(db);

/** The `db` option as it may travel through the queue: a postgres:// URL loses its password; a file path is kept. */
export function dbUrlWithoutPassword(db: string): string {
  if (!isPostgres(db)) return db;
  const u = new URL(db);
  if (!u.password) return db;
  u.password = '';
  return u.toString();
}

/** True when the URL carries a password. */
export function dbUrlHasPassword(db: string): boolean {
  return isPostgres(db) && new URL(db).password !== '';
}

/** What names a PostgreSQL database independently of credentials: host, port, database and user. */
function identity(db: string): string {
  const u = new URL(db);
  return JSON.stringify([
    u.hostname.toLowerCase(),
    u.port || '5432',
    decodeURIComponent(u.pathname.replace(/^\//, '')),
    decodeURIComponent(u.username),
    u.searchParams.get('host') ?? '',
  ]);
}

/**
 * The URL a worker opens for a run whose (password-less) `db` is `runDb`: the worker's own `--db` when given, after
 * checking that it names the same database (a worker must never write one run's results into another database), else
 * the run's URL (node-postgres then takes the password from PGPASSWORD or ~/.pgpass).
 */
export function workerDbUrl(runDb: string, workerDb?: string): string {
  if (!workerDb) return runDb;
  if (!isPostgres(runDb) || !isPostgres(workerDb)) {
    throw new Error(
      `worker --db is for PostgreSQL runs; this run records results in ${isPostgres(runDb) ? 'PostgreSQL' : `the file ${runDb}`}`,
    );
  }
  if (identity(runDb) !== identity(workerDb)) {
    throw new Error(
      `worker --db names another database (${dbUrlWithoutPassword(workerDb)}) than the run (${runDb}); ` +
        'give the same host, port, database and user',
    );
  }
  return workerDb;
}
