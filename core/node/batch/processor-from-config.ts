/**
 * Builds the plugin study processor described by a queue run's config (the same for `qiview batch` and every
 * `qiview worker`), with the results store it writes to.
 * @packageDocumentation
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { ResultsStore } from '../../common/library/library-store';
import { openPostgresResultsStore } from '../library/postgres-results-store';
import { openSqliteLibraryStore } from '../library/sqlite-library-store';
import { loadPluginManifest } from '../plugin-host';
import { findPlugin } from '../plugins/find-plugin';
import type { StudyProcessor } from './batch-types';
import type { QueueRunConfig } from './batch-queue';
import { createPluginStudyProcessor } from './plugin-study-processor';
import { StudyPseudonyms } from './study-pseudonyms';

/** The `options` of a {@link QueueRunConfig} made by the batch CLI. */
export interface PluginRunOptions {
  pluginDir: string;
  parameters: Record<string, unknown>;
  stow?: boolean;
  deidentify?: boolean;
  /** `postgres://…` URL, or a SQLite file path; no results store when absent. */
  db?: string;
  /** Folder tree to look up each study's prior in (plugins with a `prior` input). */
  priorsFrom?: string;
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

/** Options of {@link processorFromConfig}. */
export interface ProcessorFromConfigOptions {
  /** This machine's user plugins folder, searched when the run's plugin folder is not here (another machine). */
  pluginsDir?: string;
  /** Built-in bundles folder (default: this checkout's dist-plugins). */
  builtinDir?: string;
}

/**
 * Finds the run's plugin on this machine: at the folder the batch named (same machine, shared install), else by id
 * among this machine's installed and built-in plugins. The version must be the run's: a worker with another
 * version would mix results of two plugin versions in one summary.
 */
async function resolvePluginDir(config: QueueRunConfig, o: ProcessorFromConfigOptions): Promise<string> {
  const named = (config.options as unknown as PluginRunOptions).pluginDir;
  let dir = named;
  if (!named || !existsSync(path.join(named, 'manifest.json'))) {
    try {
      dir = (await findPlugin(config.pluginId, o)).dir;
    } catch (e) {
      throw new Error(
        `plugin ${config.pluginId} ${config.pluginVersion} is not at ${named} on this machine, nor installed here: ` +
          (e as Error).message,
      );
    }
  }
  return dir;
}

/** Builds the processor of a run config (finds and validates the plugin, opens the results store). */
export async function processorFromConfig(
  config: QueueRunConfig,
  opts: ProcessorFromConfigOptions = {},
): Promise<BuiltProcessor> {
  const o = config.options as unknown as PluginRunOptions;
  const pluginDir = await resolvePluginDir(config, opts);
  const m = await loadPluginManifest(pluginDir);
  if (!m.ok) throw new Error(`plugin at ${pluginDir}: ${m.errors.join('; ')}`);
  if (m.manifest.id !== config.pluginId || m.manifest.version !== config.pluginVersion) {
    throw new Error(
      `plugin at ${pluginDir} is ${m.manifest.id} ${m.manifest.version}, the run needs ${config.pluginId} ` +
        `${config.pluginVersion}: install that version on this machine`,
    );
  }
  const store = o.db ? await openResultsStore(o.db) : undefined;
  const process = createPluginStudyProcessor({
    pluginDir,
    manifest: m.manifest,
    parameters: o.parameters,
    stow: o.stow,
    deidentify: o.deidentify,
    // the output folder's secret: the same pseudonyms as the ledger's, on every machine sharing the folder
    pseudonyms: o.deidentify ? StudyPseudonyms.forOutDir(config.outDir, config.reidentifyDir) : undefined,
    resultsStore: store,
    priorsFrom: o.priorsFrom,
  });
  return { process, close: async () => store?.close() };
}
