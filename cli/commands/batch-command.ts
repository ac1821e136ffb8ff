import { createHash } from 'node:crypto';
import { existsSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import type { BatchStudy } from '../../core/node/batch/batch-types';
import {
  enqueueStudies,
  ledgerOf,
  waitForQueue,
  type QueueRunConfig,
} from '../../core/node/batch/batch-queue';
import { dbUrlHasPassword, dbUrlWithoutPassword } from '../../core/node/batch/db-credentials';
import { discoverFolderStudies } from '../../core/node/batch/discover-folder-studies';
import { processorFromConfig, type PluginRunOptions } from '../../core/node/batch/processor-from-config';
import { runBatch } from '../../core/node/batch/run-batch';
import {
  DEID_MARKER,
  readMarker,
  secretPath,
  StudyPseudonyms,
  writeLinkage,
} from '../../core/node/batch/study-pseudonyms';
import { summaryCsv } from '../../core/node/batch/summary-csv';
import { DicomWebClient, toRemoteSeries, toRemoteStudy, type RemoteStudy } from '../../core/common/dicomweb';
import { findPlugin } from '../../core/node/plugins/find-plugin';
import { cliUserData } from '../data-dir';
import { CliError, type CliIo } from '../io';
import { createProgressReporter } from '../progress-reporter';

/** Options of `qiview batch`. */
interface BatchOpts {
  plugin: string;
  out: string;
  workers: string;
  retryFailed?: boolean;
  param: string[];
  stow?: boolean;
  db?: string;
  results?: boolean;
  deidentify?: boolean;
  queue?: string;
  queueName: string;
  modality?: string;
  dateFrom?: string;
  dateTo?: string;
  studyUid: string[];
  qidoPageSize: string;
  priors?: string;
  reidentifyDir?: string;
}

const collect = (v: string, prev: string[]) => [...prev, v];

/** Parses `k=v` pairs (values stay strings; the manifest check converts numbers and booleans). */
function parseParams(pairs: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const p of pairs) {
    const i = p.indexOf('=');
    if (i <= 0) throw new CliError(`--param expects key=value, got "${p}"`, 2);
    out[p.slice(0, i)] = p.slice(i + 1);
  }
  return out;
}

/**
 * Lists the studies of a DICOMweb server matching the filters (QIDO-RS), page by page: servers cap a QIDO answer
 * (often at 100 or 1000 studies) and a batch must not silently miss the rest. Paging stops at an empty page or a
 * page with no new study (a server that ignores `offset`). The modality is matched here on each study's
 * ModalitiesInStudy rather than sent as a query key: some servers (Orthanc 1.10) apply limit/offset before that
 * filter, so filtered pages come back empty while later ones are not, and paging would stop early.
 */
async function dicomwebStudies(url: string, o: BatchOpts): Promise<BatchStudy[]> {
  const client = new DicomWebClient({ id: 'batch', name: url, url });
  const pageSize = Number(o.qidoPageSize);
  const modality = o.modality?.trim().toUpperCase();
  const found: RemoteStudy[] = [];
  const seen = new Set<string>();
  for (let offset = 0; ;) {
    const page = (
      await client.searchStudies({
        dateFrom: o.dateFrom,
        dateTo: o.dateTo,
        studyInstanceUids: o.studyUid.length ? o.studyUid : undefined,
        limit: pageSize,
        offset,
      })
    ).map(toRemoteStudy);
    const fresh = page.filter((s) => s.studyInstanceUid && !seen.has(s.studyInstanceUid));
    if (!fresh.length) break;
    for (const s of fresh) {
      seen.add(s.studyInstanceUid);
      if (modality) {
        // a server that does not return ModalitiesInStudy: ask for the study's series
        const modalities = s.modalities.length
          ? s.modalities
          : (await client.searchSeries(s.studyInstanceUid)).map((x) => toRemoteSeries(x).modality);
        if (!modalities.some((m) => m.toUpperCase() === modality)) continue;
      }
      found.push(s);
    }
    offset += page.length;
  }
  return found.map((s) => ({
    key: s.studyInstanceUid,
    // De-identified runs keep no patient identifiers in the summary (it leaves with the outputs); the study key
    // (StudyInstanceUID) is recorded as its pseudonym (the de-identified StudyInstanceUID), see StudyPseudonyms.
    identifiers: o.deidentify
      ? ({} as Record<string, string>)
      : { patient_id: s.patientId, accession: s.accessionNumber, study_date: s.studyDate },
    source: { kind: 'dicomweb' as const, url, studyInstanceUid: s.studyInstanceUid },
  }));
}

/**
 * Writes `<out>/summary.csv` from the ledger (atomically: a reader never sees half a file). `keys`: the source keys
 * of the studies to list (recorded under their pseudonyms in a de-identified run).
 */
export function writeSummary(
  outDir: string,
  keys?: Set<string>,
  deidentify?: boolean,
  reidentifyDir?: string,
): { done: number; failed: number } {
  const ledger = ledgerOf({ outDir, deidentify, reidentifyDir });
  const recorded = keys && new Set([...keys].map((k) => ledger.recordedKey(k)));
  const all = ledger.all().filter((o) => !recorded || recorded.has(o.key));
  const file = path.join(outDir, 'summary.csv');
  writeFileSync(`${file}.tmp`, summaryCsv(all));
  renameSync(`${file}.tmp`, file);
  return {
    done: all.filter((o) => o.status === 'done').length,
    failed: all.filter((o) => o.status === 'failed').length,
  };
}

/** The entries of a folder, none when it does not exist. */
function readdirSafe(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** `qiview batch <source>`: runs a plugin over every study of a folder tree or a DICOMweb server. */
export function batchCommand(io: CliIo, globals: () => { dataDir?: string }): Command {
  return new Command('batch')
    .description('run a plugin over every study of a folder or a DICOMweb server (resumable)')
    .argument('<source>', 'folder (one study per folder holding files) or DICOMweb root URL (http…)')
    .requiredOption('--plugin <id>', 'plugin id (installed+enabled, or built-in)')
    .requiredOption('--out <dir>', 'output folder (also the resume ledger)')
    .option('--workers <n>', 'studies processed at once', '1')
    .option('--retry-failed', 're-run studies that failed before')
    .option('--param <k=v>', 'plugin parameter (repeatable)', collect, [])
    .option('--stow', 'store the SEG/SR/PM back to the DICOMweb server (DICOMweb sources)')
    .option(
      '--db <url>',
      'results database: postgres://… (default: the SQLite library in the user data folder)',
    )
    .option('--no-results', 'do not record results in a database')
    .option(
      '--deidentify',
      'apply the PS3.15 basic profile to the DICOM outputs; studies named by keyed pseudonyms (the re-identification key, in <out>/.qiview or --reidentify-dir, stays at the site)',
    )
    .option(
      '--reidentify-dir <folder>',
      `with --deidentify: keep the re-identification key and linkage table here, off the shared output (default <out>/.qiview; queue workers must see the same path)`,
    )
    .option(
      '--priors <folder>',
      "follow-up plugins: each study's prior is the newest earlier study (StudyDate) of the same PatientID in this folder tree (may be the batch folder)",
    )
    .option('--queue <redis-url>', 'distribute over `qiview worker` processes through Redis (BullMQ)')
    .option('--queue-name <name>', 'BullMQ queue name', 'qiview-batch')
    .option('--modality <m>', 'DICOMweb: ModalitiesInStudy filter')
    .option('--date-from <YYYYMMDD>', 'DICOMweb: first StudyDate')
    .option('--date-to <YYYYMMDD>', 'DICOMweb: last StudyDate')
    .option('--study-uid <uid>', 'DICOMweb: only this StudyInstanceUID (repeatable)', collect, [])
    .option('--qido-page-size <n>', 'DICOMweb: studies asked per QIDO request (all pages are read)', '500')
    .action(async (source: string, o: BatchOpts) => {
      const workers = Number(o.workers);
      if (!Number.isInteger(workers) || workers < 1)
        throw new CliError('--workers must be a positive integer', 2);
      const pageSize = Number(o.qidoPageSize);
      if (!Number.isInteger(pageSize) || pageSize < 1) {
        throw new CliError('--qido-page-size must be a positive integer', 2);
      }
      const remote = /^https?:\/\//i.test(source);
      if (o.stow && !remote) throw new CliError('--stow needs a DICOMweb source (http…)', 2);
      if (!remote && (o.modality || o.dateFrom || o.dateTo || o.studyUid.length)) {
        throw new CliError('--modality/--date-from/--date-to/--study-uid filter DICOMweb sources only', 2);
      }
      const user = cliUserData(globals().dataDir, io.env);
      const plugin = await findPlugin(o.plugin, { pluginsDir: user.pluginsDir }).catch((e: Error) => {
        throw new CliError(e.message);
      });
      const parameters = parseParams(o.param);
      const outDir = path.resolve(o.out);
      // one output folder is either de-identified (every study under a pseudonym) or not: never both
      const deidentified = Boolean(readMarker(outDir)) || existsSync(secretPath(outDir));
      if (o.reidentifyDir && !o.deidentify) throw new CliError('--reidentify-dir needs --deidentify', 2);
      const keyDir = o.reidentifyDir ? path.resolve(o.reidentifyDir) : undefined;
      if (o.deidentify && !deidentified && readdirSafe(path.join(outDir, 'studies')).length) {
        throw new CliError(
          `--deidentify: ${outDir} holds studies of a run without --deidentify (named by their source keys): ` +
            'use a new output folder',
          2,
        );
      }
      if (!o.deidentify && deidentified) {
        throw new CliError(
          `${outDir} is a de-identified output folder (${DEID_MARKER}; its key is kept apart): ` +
            'add --deidentify, or use another output folder',
          2,
        );
      }
      const priorsFrom = o.priors ? path.resolve(o.priors) : undefined;
      if (priorsFrom && !existsSync(priorsFrom)) throw new CliError(`--priors: ${o.priors} not found`, 2);
      if (priorsFrom && !plugin.manifest.inputs.some((i) => i.role === 'prior'))
        throw new CliError(`--priors: plugin ${plugin.id} has no "prior" input`, 2);
      const runOptions: PluginRunOptions = {
        pluginDir: plugin.dir,
        parameters,
        stow: o.stow,
        deidentify: o.deidentify,
        db: o.results === false ? undefined : (o.db ?? user.libraryDb),
        ...(priorsFrom ? { priorsFrom } : {}),
      };
      const config: QueueRunConfig = {
        runId: createHash('sha256')
          .update(
            JSON.stringify([
              plugin.id,
              plugin.manifest.version,
              parameters,
              outDir,
              o.stow,
              o.deidentify,
              ...(priorsFrom ? [priorsFrom] : []),
            ]),
          )
          .digest('hex')
          .slice(0, 16),
        outDir,
        pluginId: plugin.id,
        pluginVersion: plugin.manifest.version,
        options: runOptions as unknown as Record<string, unknown>,
        ...(o.deidentify ? { deidentify: true } : {}),
        ...(keyDir ? { reidentifyDir: keyDir } : {}),
      };
      let pseudonyms: StudyPseudonyms | undefined;
      try {
        pseudonyms = o.deidentify ? StudyPseudonyms.forOutDir(outDir, keyDir) : undefined;
      } catch (e) {
        throw new CliError((e as Error).message, 2);
      }
      let studies: BatchStudy[];
      try {
        studies = remote ? await dicomwebStudies(source, o) : discoverFolderStudies(path.resolve(source));
      } catch (e) {
        throw new CliError(`cannot list studies of ${source}: ${(e as Error).message}`);
      }
      io.err(`${studies.length} studies from ${source}; plugin ${plugin.id} ${plugin.manifest.version}`);
      if (pseudonyms) {
        const linkage = writeLinkage(
          outDir,
          pseudonyms,
          studies.map((s) => s.key),
          keyDir,
        );
        io.err(
          `de-identified: studies are named by pseudonyms; the re-identification key is ${secretPath(outDir, keyDir)} ` +
            `(linkage table ${linkage}): keep ${path.dirname(linkage)} back, share the output without it`,
        );
      }

      const controller = new AbortController();
      const onSignal = () => {
        if (!controller.signal.aborted) io.err('interrupted: stopping (nothing half-written is kept)');
        controller.abort();
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      const progress = createProgressReporter(io);
      try {
        if (o.queue) {
          // the results database's password never goes into Redis: workers bring their own (worker --db, PGPASSWORD)
          const queued: QueueRunConfig = runOptions.db
            ? { ...config, options: { ...config.options, db: dbUrlWithoutPassword(runOptions.db) } }
            : config;
          if (runOptions.db && dbUrlHasPassword(runOptions.db)) {
            io.err(
              'the --db password is not put on the queue: start workers with --db <the same URL>, or give them ' +
                'PGPASSWORD or ~/.pgpass',
            );
          }
          const r = await enqueueStudies(o.queue, o.queueName, queued, studies, {
            retryFailed: o.retryFailed,
          });
          io.err(`enqueued ${r.enqueued} (skipped ${r.skipped} already recorded) on ${o.queueName}`);
          const t0 = Date.now();
          // The queue's completed/failed counts include other runs' jobs: this run's progress is what left the
          // pending states; failures are counted from the first reading on.
          let failed0: number | undefined;
          await waitForQueue(o.queue, o.queueName, {
            signal: controller.signal,
            onCounts: (c) => {
              failed0 ??= c.failed;
              const pending = c.waiting + c.active + c.delayed;
              const finished = Math.max(0, r.enqueued - pending);
              const failed = Math.min(finished, Math.max(0, c.failed - failed0));
              const minutes = (Date.now() - t0) / 60000;
              const rate = minutes > 0 ? finished / minutes : 0;
              progress.update({
                total: r.enqueued + r.skipped,
                done: finished - failed,
                failed,
                skipped: r.skipped,
                running: [],
                ratePerMinute: rate,
                etaSeconds: rate > 0 && finished > 0 ? ((r.enqueued - finished) / rate) * 60 : undefined,
              });
            },
          });
        } else {
          const built = await processorFromConfig(config);
          try {
            await runBatch({
              outDir,
              studies,
              process: built.process,
              pluginId: plugin.id,
              pluginVersion: plugin.manifest.version,
              pseudonyms,
              workers,
              retryFailed: o.retryFailed,
              signal: controller.signal,
              onProgress: (p) => progress.update(p),
              onStudy: (s) => {
                if (s.status === 'failed') io.err(`failed ${s.key}: ${s.reason}`);
              },
            });
          } finally {
            await built.close();
          }
        }
      } finally {
        progress.stop();
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
      const s = writeSummary(outDir, new Set(studies.map((x) => x.key)), o.deidentify, keyDir);
      io.out(`${s.done} done, ${s.failed} failed of ${studies.length}: ${path.join(outDir, 'summary.csv')}`);
      if (controller.signal.aborted) throw new CliError('interrupted', 130);
      const missing = studies.length - s.done - s.failed;
      if (s.failed > 0 || missing > 0) {
        throw new CliError(`${s.failed} failed${missing ? `, ${missing} not processed` : ''}`, 1);
      }
    });
}
