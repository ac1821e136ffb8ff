/**
 * Builds the plugin study processor described by a queue run's config (the same for `qiview batch` and every
 * `qiview worker`), with the results store it writes to.
 * @packageDocumentation
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { ResultsStore } from '../../common/library/library-store';
import { openPostgresResultsStore } from '../library/postgres-results-store';
import { openSqliteLibraryStore } from '../library/sqlite-library-store';
import { loadPluginManifest } from '../plugin-host';
import type { StudyProcessor } from './batch-types';
import type { QueueRunConfig } from './batch-queue';
import { createPluginStudyProcessor } from './plugin-study-processor';

/** The `options` of a {@link QueueRunConfig} made by the batch CLI. */
export interface PluginRunOptions {
  pluginDir: string;
  parameters: Record<string, unknown>;
  stow?: boolean;
  deidentify?: boolean;
  /** `postgres://…` URL, or a SQLite file path; no results store when absent. */
  db?: string;
}

/** Opens the results store of a `db` option: PostgreSQL for postgres:// URLs, else an SQLite file. */
export async function openResultsStore(db: string): Promise<ResultsStore & { close(): Promise<void> }> {
  if (/^postgres(ql)?:\/\//.test(db)) return openPostgresResultsStore(db);
  mkdirSync(path.dirname(path.resolve(db)), { recursive: true });
  return openSqliteLibraryStore(db);
}

/** A processor with the resources it holds. */
export interface BuiltProcessor {
  process: StudyProcessor;
  close(): Promise<void>;
}

/** Builds the processor of a run config (reads and validates the plugin's manifest, opens the results store). */
export async function processorFromConfig(config: QueueRunConfig): Promise<BuiltProcessor> {
  const o = config.options as unknown as PluginRunOptions;
  const m = await loadPluginManifest(o.pluginDir);
  if (!m.ok) throw new Error(`plugin at ${o.pluginDir}: ${m.errors.join('; ')}`);
  const store = o.db ? await openResultsStore(o.db) : undefined;
  const process = createPluginStudyProcessor({
    pluginDir: o.pluginDir,
    manifest: m.manifest,
    parameters: o.parameters,
    stow: o.stow,
    deidentify: o.deidentify,
    resultsStore: store,
  });
  return { process, close: async () => store?.close() };
}
