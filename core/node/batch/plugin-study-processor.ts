/**
 * The study processor of the batch CLI: one study's files → series selection → plugin run in a Node worker →
 * result.json, DICOM SEG / SR / Parametric Map in the study's output folder (optionally STOWed back, recorded in a
 * results store, de-identified).
 * @packageDocumentation
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AnalysisResult, InputSeries, Manifest, ManifestInput } from '@qiview/sdk';
import { groupInstances, type GroupedInstances } from '../../common/dicom/group-instances';
import { readAttributes } from '../../common/dicom/read-attributes';
import type { InstanceRecord, ParsedInstance } from '../../common/dicom/records';
import { stableUid } from '../../common/dicom/stable-uid';
import { createUidRemapper, deidentifyFile } from '../../common/deidentify';
import {
  DicomWebClient,
  jsonNumber,
  jsonString,
  toRemoteSeries,
  type DicomJsonObject,
} from '../../common/dicomweb';
import type { ResultsStore } from '../../common/library/library-store';
import {
  mayFillAnyInput,
  resolveParameters,
  selectSeries,
  type SeriesCandidate,
} from '../../common/plugin-host';
import {
  adoptSidecar,
  bidsCompanions,
  bidsNiftiName,
  parseSidecar,
  sidecarAttributes,
  sidecarName,
} from '../../common/plugin-host/bids-nifti';
import {
  algorithmIdentification,
  bidsLabel,
  provenanceFromManifest,
  writeNifti,
  writeParametricMap,
  writeResultJson,
  writeSeg,
  writeSr,
  type ReferencedInstance,
} from '../../common/results';
import { bidsDerivativeDataset } from '../../common/results/bids-derivative-dataset';
import { dcmjs } from '../../common/results/dcmjs';
import { loadSeriesVolume } from '../import/load-series-volume';
import { scanPaths } from '../import/scan-paths';
import { runPlugin } from '../plugin-host';
import type { BatchStudy, StudyProcessor } from './batch-types';
import { findPrior, indexPriorStudies, type PriorCandidate } from './prior-studies';
import { StudyPseudonyms } from './study-pseudonyms';

/** A study-level refusal with a stable `code`: recorded as failed at once (never retried by the queue). */
export class StudyError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'StudyError';
  }
}

/** Which derived objects to write (all by default). */
export interface StudyOutputs {
  seg?: boolean;
  sr?: boolean;
  pm?: boolean;
}

/** Options of {@link createPluginStudyProcessor}. */
export interface PluginStudyProcessorOptions {
  /** Built plugin folder (manifest.json + bundle + models). */
  pluginDir: string;
  manifest: Manifest;
  /** User parameters (strings from `--param k=v` are converted and checked against the manifest). */
  parameters?: Record<string, unknown>;
  outputs?: StudyOutputs;
  /** STOW-RS the written SEG/SR/PM to the study's DICOMweb server (DICOMweb sources only). */
  stow?: boolean;
  /** Records one result per study (upsert by a deterministic id, so re-runs replace their row). */
  resultsStore?: ResultsStore;
  /** Apply the PS3.15 basic profile to the DICOM outputs (a per-run UID map keeps SEG/SR references valid). */
  deidentify?: boolean;
  /**
   * The keyed pseudonyms of a de-identified run (the output folder's, {@link StudyPseudonyms.forOutDir}): the
   * de-identified UIDs, BIDS subject and `prior_study` come from them, so they cannot be computed from the source
   * UIDs without the run's secret, and are the same on every re-run. Default with `deidentify`: a fresh secret per
   * processor (outputs then differ between runs).
   */
  pseudonyms?: StudyPseudonyms;
  /** Plugin time limit override (ms). */
  timeoutMs?: number;
  /**
   * Folder tree to look up each study's prior in (the newest earlier study of the same PatientID; may be the batch
   * folder itself), for plugins with an input of role `prior`. The prior then always comes from there: a second
   * matching series of the same study is not used as prior.
   */
  priorsFrom?: string;
}

const hash = (s: string) => createHash('sha256').update(s).digest('hex');

/** The attributes of a QIDO-RS answer by DICOM keyword (Modality, SeriesDescription…). */
function qidoAttributes(o: Record<string, unknown>): Record<string, unknown> {
  try {
    return dcmjs.data.DicomMetaDictionary.naturalizeDataset(o) as Record<string, unknown>;
  } catch {
    const s = toRemoteSeries(o as DicomJsonObject);
    return { Modality: s.modality, SeriesDescription: s.seriesDescription };
  }
}

/**
 * Files of a study on disk: given folders/files, or a DICOMweb study retrieved into a temp folder. Of a DICOMweb
 * study only the series whose QIDO-RS attributes could fill one of the manifest's inputs are retrieved (an MR study
 * also holds fMRI, DTI or localizer runs of thousands of images that no input can use); the others come back as
 * `notRetrieved` candidates, so a study none of whose series fits is refused with every series' reason.
 */
async function studyFiles(
  study: BatchStudy,
  manifest: Pick<Manifest, 'inputs'>,
  clients: Map<string, DicomWebClient>,
  signal: AbortSignal,
): Promise<{ paths: string[]; cleanup: () => void; notRetrieved: SeriesCandidate[] }> {
  if (study.source.kind === 'files')
    return { paths: study.source.paths, cleanup: () => {}, notRetrieved: [] };
  const { url, studyInstanceUid } = study.source;
  const client = clientFor(clients, url);
  const dir = mkdtempSync(path.join(tmpdir(), 'qiview-batch-'));
  const cleanup = () => rmSync(dir, { recursive: true, force: true });
  const notRetrieved: SeriesCandidate[] = [];
  try {
    const series = await listStudySeries(client, studyInstanceUid);
    let n = 0;
    for (const s of series) {
      if (signal.aborted) break;
      const uid = (s['0020000E']?.Value?.[0] as string | undefined) ?? '';
      if (!uid) continue;
      const attributes = qidoAttributes(s);
      if (!mayFillAnyInput(manifest, attributes)) {
        const count = Number(attributes.NumberOfSeriesRelatedInstances);
        notRetrieved.push({
          id: uid,
          attributes,
          slices: Number.isFinite(count) && count > 0 ? count : 1,
          frames: 1,
        });
        continue;
      }
      for (const bytes of await client.retrieveSeries(studyInstanceUid, uid)) {
        writeFileSync(path.join(dir, `${String(n++).padStart(6, '0')}.dcm`), bytes);
      }
    }
    return { paths: [dir], cleanup, notRetrieved };
  } catch (e) {
    cleanup();
    if (e instanceof StudyError) throw e;
    throw new StudyError(
      'retrieve-failed',
      `cannot retrieve study ${studyInstanceUid}: ${(e as Error).message}`,
    );
  }
}

/**
 * Every series of a DICOMweb study (QIDO-RS answers). A server may cap its QIDO answers (Orthanc's LimitFindResults
 * cuts them silently, and paging with `offset` does not reach the rest): a series left out could be the M0 or the
 * region of interest, and the plugin would run without it. So the count is checked against the study's
 * NumberOfStudyRelatedSeries; when short, the listing is paged on, then completed from the WADO-RS metadata of the
 * study (not capped), and a study still short is refused rather than run on part of its series.
 */
async function listStudySeries(client: DicomWebClient, studyUid: string): Promise<DicomJsonObject[]> {
  const found = new Map<string, DicomJsonObject>();
  const add = (list: DicomJsonObject[]) => {
    let fresh = 0;
    for (const s of list) {
      const uid = jsonString(s, '0020000E');
      if (uid && !found.has(uid)) {
        found.set(uid, s);
        fresh++;
      }
    }
    return fresh;
  };
  add(await client.searchSeries(studyUid));
  const study = (await client.searchStudies({ studyInstanceUids: [studyUid] }))[0];
  const expected = study ? jsonNumber(study, '00201206') : undefined;
  if (expected === undefined || found.size >= expected) return [...found.values()];
  while (found.size < expected) {
    if (!add(await client.searchSeries(studyUid, { offset: found.size }))) break;
  }
  if (found.size < expected) {
    const counts = new Map<string, number>();
    for (const inst of await client.retrieveStudyMetadata(studyUid)) {
      const uid = jsonString(inst, '0020000E');
      if (!uid) continue;
      counts.set(uid, (counts.get(uid) ?? 0) + 1);
      if (found.has(uid)) continue;
      // the series-level attributes a QIDO answer would give
      const s: DicomJsonObject = {};
      for (const t of ['0020000D', '0020000E', '00080060', '0008103E', '00200011'])
        if (inst[t]) s[t] = inst[t];
      found.set(uid, s);
    }
    for (const [uid, s] of found) {
      if (!s['00201209'] && counts.has(uid)) s['00201209'] = { vr: 'IS', Value: [counts.get(uid)!] };
    }
  }
  if (found.size < expected) {
    throw new StudyError(
      'incomplete-listing',
      `the server lists ${found.size} of the study's ${expected} series (QIDO-RS and WADO-RS metadata): ` +
        'an input could be among the others',
    );
  }
  return [...found.values()];
}

/** The errors of a failed selection, joined (a successful one cannot happen here: it means a bug). */
function unmatched(sel: ReturnType<typeof selectSeries>): string {
  return sel.ok ? 'no series retrieved' : sel.errors.join('; ');
}

function clientFor(clients: Map<string, DicomWebClient>, url: string): DicomWebClient {
  let c = clients.get(url);
  if (!c) clients.set(url, (c = new DicomWebClient({ id: 'batch', name: url, url })));
  return c;
}

/** Counts slices and frames of a series from its (geometry-ordered) instances. */
function shapeOf(instances: InstanceRecord[]): { slices: number; frames: number } {
  const temporal = new Set(instances.map((i) => i.temporalPositionIdentifier ?? 0));
  const frames = Math.max(1, temporal.size);
  const images = instances.reduce((s, i) => s + i.numberOfFrames, 0);
  return { slices: Math.max(1, Math.round(images / frames)), frames };
}

/**
 * Slices and time frames of a NIfTI file from its header, as read by the scan (a 4D file is one record, so the DICOM
 * count does not apply).
 */
function niftiShape(rec: InstanceRecord): { slices: number; frames: number } {
  const frames = rec.niftiFrames ?? 1;
  return { slices: rec.numberOfFrames / frames, frames };
}

async function firstAttributes(rec: InstanceRecord): Promise<Record<string, unknown>> {
  if (rec.location.kind !== 'file') return {};
  try {
    return readAttributes(new Uint8Array(await readFile(rec.location.path))) as Record<string, unknown>;
  } catch {
    return {};
  }
}

/** What a BIDS NIfTI file brings besides its voxels: attributes, suffix, full sidecar JSON and companion .tsv files. */
interface NiftiBids {
  /**
   * The sidecar's string fields, named by DICOM keyword (Modality, SeriesDescription, Manufacturer…). Numeric ones
   * may differ in unit from DICOM (BIDS EchoTime is in seconds). No sidecar: none (the series then has modality OT).
   */
  attributes: Record<string, string>;
  /** BIDS suffix of the file name (`sub-01_asl.nii.gz` → `asl`), when it has one. */
  suffix?: string;
  /** `sub-` label of the file name, when it has one. */
  subject?: string;
  /** The whole sidecar (numbers, arrays included) for the plugin's `InputSeries.sidecar`. */
  sidecar?: Record<string, unknown>;
  /** Companion tables of the same acquisition (`<stem>_aslcontext.tsv`, …) by file name. */
  attachments?: Record<string, string>;
}

/**
 * BIDS context of a NIfTI file: the BIDS / dcm2niix sidecar (`x.nii[.gz]` → `x.json`, read once: its string fields as
 * attributes and the whole of it), the suffix (last `_` entity before `.nii[.gz]`), and the `.tsv` files next to it
 * whose name starts with the same stem (ASL-BIDS `*_aslcontext.tsv`).
 *
 * @throws StudyError `bad-sidecar` for a sidecar that is not valid JSON.
 */
async function niftiBids(rec: InstanceRecord): Promise<NiftiBids> {
  if (rec.location.kind !== 'file') return { attributes: {} };
  const file = rec.location.path;
  const parts = bidsNiftiName(file);
  const out: NiftiBids = { attributes: {} };
  const json = sidecarName(file);
  let text: string | undefined;
  try {
    text = await readFile(json, 'utf8');
  } catch {
    // no sidecar: no attributes
  }
  if (text !== undefined) {
    const doc = parseSidecar(text, json);
    if (doc instanceof Error) throw new StudyError('bad-sidecar', doc.message);
    out.attributes = sidecarAttributes(doc);
    out.sidecar = doc;
  }
  if (parts.suffix) out.suffix = parts.suffix;
  if (parts.subject) out.subject = parts.subject;
  const dir = path.dirname(file);
  for (const f of bidsCompanions(
    file,
    readdirSync(dir).map((n) => path.join(dir, n)),
  ).tables) {
    out.attachments ??= {};
    out.attachments[path.basename(f)] = await readFile(f, 'utf8');
  }
  return out;
}

/**
 * The series of a study as selection candidates (attributes, slices and frames), with each series' attributes and, for
 * NIfTI files when `bidsNifti`, their BIDS context. Without `bidsNifti` every series is read as DICOM (the prior's
 * lookup).
 */
async function seriesCandidates(
  grouped: GroupedInstances,
  bidsNifti: boolean,
): Promise<{
  candidates: SeriesCandidate[];
  attrs: Map<string, Record<string, unknown>>;
  bids: Map<string, NiftiBids>;
}> {
  const attrs = new Map<string, Record<string, unknown>>();
  const bids = new Map<string, NiftiBids>();
  const candidates: SeriesCandidate[] = [];
  for (const s of grouped.series) {
    const inst = grouped.instances[s.seriesInstanceUid] ?? [];
    if (!inst.length) continue;
    const nifti = bidsNifti && inst[0]!.format === 'nifti';
    const b = nifti ? await niftiBids(inst[0]!) : undefined;
    const a = b ? b.attributes : await firstAttributes(inst[0]!);
    attrs.set(s.seriesInstanceUid, a);
    if (b) bids.set(s.seriesInstanceUid, b);
    candidates.push({
      id: s.seriesInstanceUid,
      attributes: { Modality: s.modality, ...a },
      ...(nifti ? niftiShape(inst[0]!) : shapeOf(inst)),
      ...(b?.suffix ? { bidsSuffix: b.suffix } : {}),
    });
  }
  return { candidates, attrs, bids };
}

/** Loads the series of a prior study that fits the manifest's prior input. */
async function loadPriorSeries(
  c: PriorCandidate,
  input: ManifestInput,
  signal: AbortSignal,
): Promise<{ uid: string; series: InputSeries }> {
  const scan = await scanPaths(c.paths, { signal });
  if (!scan.parsed.length) throw new Error('no readable DICOM images');
  const grouped = groupInstances(scan.parsed as ParsedInstance[]);
  const { attrs, candidates } = await seriesCandidates(grouped, false);
  const sel = selectSeries({ inputs: [{ ...input, required: true }] }, candidates);
  if (!sel.ok) throw new Error(sel.errors.join('; '));
  const uid = sel.roles[input.role]!;
  const volume = await loadSeriesVolume(grouped.instances[uid]!);
  return { uid, series: { role: input.role, volume, dicom: attrs.get(uid) ?? {} } };
}

/**
 * Builds the processor for one plugin. Each study: read its files (or retrieve it from DICOMweb), group into series,
 * select series for the manifest's inputs, load the volumes, run the plugin in a worker, write outputs. UIDs of the
 * derived objects are derived from the study key and plugin id, so re-running a study gives the same UIDs.
 *
 * @throws (per study) {@link StudyError} with a `code`: 'no-images', 'no-matching-series', 'invalid-parameters',
 *   'load-failed', 'retrieve-failed', the plugin's AnalysisError code ('no-lungs', …), or the plugin outcome's reason
 *   ('invalid-input', 'error', 'timeout', …).
 */
export function createPluginStudyProcessor(o: PluginStudyProcessorOptions): StudyProcessor {
  const { manifest } = o;
  const params = resolveParameters(manifest, o.parameters ?? {});
  if (!params.ok) throw new StudyError('invalid-parameters', params.errors.join('; '));
  const outputs = { seg: true, sr: true, pm: true, ...o.outputs };
  const clients = new Map<string, DicomWebClient>();
  const models = Object.fromEntries(manifest.models.map((m) => [m.id, m.sha256.slice(0, 12)]));

  const priorInput = o.priorsFrom ? manifest.inputs.find((i) => i.role === 'prior') : undefined;
  const pseudonyms = o.deidentify ? (o.pseudonyms ?? StudyPseudonyms.ephemeral()) : undefined;
  /** How another study (the prior) is named in this study's outputs. */
  const studyName = (key: string) => (pseudonyms ? pseudonyms.studyKey(key) : key);
  let priorIndex: Promise<PriorCandidate[]> | undefined;

  return async (study, ws) => {
    const { paths, cleanup, notRetrieved } = await studyFiles(study, manifest, clients, ws.signal);
    try {
      ws.progress(0.05, 'reading files');
      const scan = await scanPaths(paths, { signal: ws.signal });
      if (scan.parsed.length === 0 && notRetrieved.length && !scan.report.skipped.length) {
        // no series of the study can fill an input: nothing was retrieved, the reason names each series
        throw new StudyError('no-matching-series', unmatched(selectSeries(manifest, notRetrieved)));
      }
      const skipped = scan.report.skipped;
      const skippedText = skipped
        .slice(0, 3)
        .map((s) => `${path.basename(s.file)}: ${s.kind} (${s.reason})`)
        .join('; ');
      if (scan.parsed.length === 0) {
        throw new StudyError(
          'no-images',
          `no readable DICOM images (${skipped.length} file(s) skipped${skippedText ? `: ${skippedText}` : ''})`,
        );
      }
      const grouped = groupInstances(scan.parsed as ParsedInstance[]);
      const { attrs, bids, candidates } = await seriesCandidates(grouped, true);
      const sel = selectSeries(manifest, candidates);
      if (!sel.ok && notRetrieved.length) {
        // the reason also names the series that were not retrieved (they fit no input)
        const all = selectSeries(manifest, [...candidates, ...notRetrieved]);
        if (!all.ok) sel.errors = all.errors;
      }
      if (!sel.ok) {
        const bareNifti = grouped.series.some(
          (s) =>
            grouped.instances[s.seriesInstanceUid]?.[0]?.format === 'nifti' &&
            !attrs.get(s.seriesInstanceUid)?.Modality,
        );
        throw new StudyError(
          'no-matching-series',
          sel.errors.join('; ') +
            (bareNifti
              ? '; NIfTI files carry no modality: put a BIDS sidecar (same name, .json) with "Modality" next to them'
              : ''),
        );
      }

      // with --priors the prior comes from an earlier study, never from this study's other series
      if (priorInput) delete sel.roles[priorInput.role];
      const series: Record<string, InputSeries> = {};
      const refs: Record<string, Array<ReferencedInstance | undefined>> = {};
      for (const [role, uid] of Object.entries(sel.roles)) {
        const inst = grouped.instances[uid]!;
        try {
          const volume = await loadSeriesVolume(inst);
          if (inst[0]!.format === 'nifti') adoptSidecar(volume, attrs.get(uid) ?? {});
          const b = bids.get(uid);
          series[role] = {
            role,
            volume,
            dicom: attrs.get(uid) ?? {},
            ...(b?.sidecar ? { sidecar: b.sidecar } : {}),
            ...(b?.attachments ? { attachments: b.attachments } : {}),
          };
        } catch (e) {
          throw new StudyError(
            'load-failed',
            `series ${uid} (${role}) cannot be loaded: ${(e as Error).message}`,
          );
        }
        const { slices } = shapeOf(inst);
        refs[role] = inst
          .slice(0, slices)
          .map((i) => ({ sopClassUid: i.sopClassUid, sopInstanceUid: i.sopInstanceUid }));
      }
      let priorKey: string | undefined;
      const priorNotes: string[] = [];
      if (priorInput && o.priorsFrom) {
        const first = series[Object.keys(sel.roles)[0]!]!.dicom;
        const found = findPrior(await (priorIndex ??= indexPriorStudies(o.priorsFrom)), {
          patientId: first.PatientID,
          studyDate: first.StudyDate,
          studyInstanceUid: first.StudyInstanceUID,
        });
        if (found) {
          priorKey = studyName(found.key);
          ws.progress(0.2, 'reading the prior study');
          try {
            const p = await loadPriorSeries(found, priorInput, ws.signal);
            series[priorInput.role] = p.series;
            sel.roles[priorInput.role] = p.uid;
          } catch (e) {
            const why = (e as Error).message;
            priorNotes.push(
              `Prior study ${priorKey} not used: ${pseudonyms ? pseudonyms.scrub(found.key, why) : why}`,
            );
          }
        }
      }
      ws.progress(0.3, 'running plugin');
      const outcome = await runPlugin({
        pluginDir: o.pluginDir,
        manifest,
        input: { series, parameters: params.parameters },
        signal: ws.signal,
        transferInput: true,
        timeoutMs: o.timeoutMs,
        onProgress: (f) => ws.progress(0.3 + 0.6 * f),
      });
      if (!outcome.ok) {
        // A plugin's AnalysisError carries a stable code ('no-lungs', 'too-few-slices', …): it leads the reason.
        if (outcome.reason === 'error' && outcome.code)
          throw new StudyError(
            outcome.code,
            `${outcome.code}: ${outcome.message.replace(/^AnalysisError: /, '')}`,
          );
        throw new StudyError(outcome.reason, `${outcome.reason}: ${outcome.message}`);
      }
      const result = outcome.result;
      ws.progress(0.9, 'writing outputs');

      const firstRole = Object.keys(sel.roles)[0]!;
      const source = series[firstRole]!.dicom;
      const files = writeOutputs(study.key, manifest, result, source, refs[firstRole], ws.dir, {
        outputs,
        roles: sel.roles,
        parameters: params.parameters,
        pseudonyms,
        dicomSource: grouped.instances[sel.roles[firstRole]!]?.[0]?.format !== 'nifti',
        subject: bids.get(sel.roles[firstRole]!)?.subject ?? (source.PatientID as string | undefined),
      });
      const studyUid = String(source.StudyInstanceUID ?? '');
      if (o.stow && study.source.kind === 'dicomweb') {
        const dicom = files.filter((f) => f.name.endsWith('.dcm')).map((f) => f.bytes);
        if (dicom.length) {
          const r = await clientFor(clients, study.source.url).storeInstances(
            dicom,
            o.deidentify ? undefined : studyUid,
          );
          if (r.failed?.length) throw new Error(`STOW failed for ${r.failed.length} object(s)`);
        }
      }
      if (o.resultsStore) {
        await o.resultsStore.putResult({
          id: hash(`${study.key}\n${manifest.id}\n${manifest.version}`).slice(0, 32),
          pluginId: manifest.id,
          pluginVersion: manifest.version,
          modelVersions: models,
          inputSeriesUids: Object.values(sel.roles),
          studyInstanceUid: studyUid || undefined,
          createdAt: new Date().toISOString(),
          status: 'done',
          payloadPath: path.join(ws.finalDir, 'result.json'),
        });
      }
      const measurements: Record<string, number | string> = {};
      for (const m of result.measurements) measurements[m.key] = m.value;
      if (priorInput) measurements.prior_study = priorKey ?? '';
      const qc = result.qc ? { status: result.qc.status, reasons: [...result.qc.reasons] } : undefined;
      if (priorNotes.length) {
        if (qc) {
          qc.reasons.push(...priorNotes);
          if (qc.status === 'pass') qc.status = 'warn';
        }
      }
      return {
        measurements,
        qc: qc ?? (priorNotes.length ? { status: 'warn' as const, reasons: priorNotes } : undefined),
        pluginId: manifest.id,
        pluginVersion: manifest.version,
        models,
        files: files.map((f) => f.name),
      };
    } finally {
      cleanup();
    }
  };
}

/** Writes result.json and the DICOM objects; returns what was written. */
function writeOutputs(
  key: string,
  manifest: Manifest,
  result: AnalysisResult,
  source: Record<string, unknown>,
  refs: Array<ReferencedInstance | undefined> | undefined,
  dir: string,
  o: {
    outputs: Required<StudyOutputs>;
    roles: Record<string, string>;
    parameters: Record<string, unknown>;
    /** De-identify the outputs with these pseudonyms. */
    pseudonyms?: StudyPseudonyms;
    /** False for NIfTI sources: no DICOM study to derive SEG/SR/PM from (a sidecar's UIDs are not enough). */
    dicomSource: boolean;
    /** BIDS subject label of the derivative maps (else derived from the study key). */
    subject?: string;
  },
): Array<{ name: string; bytes: Uint8Array }> {
  const uid = (what: string) => stableUid(`${key}\n${manifest.id}\n${what}`);
  const provenance = provenanceFromManifest(manifest, o.roles, { parameters: o.parameters });
  const software = `qiview; ${manifest.id} ${manifest.version}`;
  const out: Array<{ name: string; bytes: Uint8Array }> = [];
  const safe = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 60);
  const hasStudy = o.dicomSource && Boolean(source.StudyInstanceUID);
  const segInstances: Record<string, { sopInstanceUid: string; seriesInstanceUid: string }> = {};
  if (o.outputs.seg && hasStudy) {
    for (const l of result.labelmaps) {
      const ids = { seriesInstanceUid: uid(`seg-series ${l.id}`), sopInstanceUid: uid(`seg ${l.id}`) };
      segInstances[l.id] = ids;
      out.push({
        name: `seg-${safe(l.id)}.dcm`,
        bytes: writeSeg(l, source, {
          ...ids,
          referencedInstances: refs,
          softwareVersions: software,
          algorithmName: manifest.id,
        }),
      });
    }
  }
  if (o.outputs.seg && !hasStudy) {
    // NIfTI sources have no DICOM study to attach a SEG to: labelmaps are written as NIfTI on the same grid.
    for (const l of result.labelmaps) {
      out.push({
        name: `seg-${safe(l.id)}.nii.gz`,
        bytes: writeNifti(
          {
            geometry: l.geometry,
            data: l.data,
            frames: 1,
            unit: '1',
            metadata: { modality: 'SEG' },
            warnings: [],
          },
          { description: `${manifest.id} ${l.name}` },
        ),
      });
    }
  }
  if (o.outputs.sr && hasStudy && result.measurements.length) {
    out.push({
      name: 'sr.dcm',
      bytes: writeSr(result.measurements, source, {
        seriesInstanceUid: uid('sr-series'),
        sopInstanceUid: uid('sr'),
        observerUid: uid('observer'),
        labelmaps: result.labelmaps,
        segInstances,
        referencedInstances: refs,
        algorithm: algorithmIdentification(provenance),
        softwareVersions: software,
      }),
    });
  }
  if (o.outputs.pm && hasStudy) {
    for (const m of result.maps) {
      out.push({
        name: `pm-${safe(m.id)}.dcm`,
        bytes: writeParametricMap(m, source, {
          seriesInstanceUid: uid(`pm-series ${m.id}`),
          sopInstanceUid: uid(`pm ${m.id}`),
          referencedInstances: refs,
          softwareVersions: software,
        }),
      });
    }
  }
  // One UID map per study, keyed by the run's secret: a re-run gives the same de-identified UIDs, and they cannot
  // be computed from the source UIDs without the secret.
  const pseudonyms = o.pseudonyms;
  const deidUid = (u: string) => pseudonyms?.uid(key, u) ?? '';
  // Parametric maps (from any source) also as a BIDS derivative dataset in bids/: NIfTI + JSON sidecar per map
  // (sub-<s>/perf/sub-<s>_desc-qiview_<map id>.nii.gz, `-` dropped from the id) and dataset_description.json. The subject label is the
  // file's sub- entity or PatientID, else derived from the study key; under --deidentify always the latter.
  const bidsOut: Array<{ name: string; bytes: Uint8Array }> = [];
  if (o.outputs.pm && result.maps.length) {
    let subject = pseudonyms ? pseudonyms.subject(key) : o.subject;
    try {
      subject = subject ? bidsLabel(subject) : undefined;
    } catch {
      subject = undefined;
    }
    subject ??= `s${hash(key).slice(0, 10)}`;
    for (const f of bidsDerivativeDataset(result.maps, subject, provenance)) {
      bidsOut.push({
        name: `bids/${f.path}`,
        bytes: typeof f.data === 'string' ? new TextEncoder().encode(f.data) : f.data,
      });
    }
  }
  if (pseudonyms) {
    const seeded = { remap: deidUid, entries: createUidRemapper().entries };
    // Clean Structured Content: the SR's measurements are the point of the output (its items are cleaned one by one).
    for (const f of out.filter((x) => x.name.endsWith('.dcm'))) {
      f.bytes = deidentifyFile(f.bytes, { uids: seeded, cleanStructuredContent: true }).bytes;
    }
  }
  for (const f of out) writeFileSync(path.join(dir, f.name), f.bytes);
  let json = writeResultJson(result, provenance);
  if (pseudonyms) {
    // result.json leaves with the DICOM objects: the source UIDs it names (inputs, referenced series and
    // instances) get the same replacements as in the de-identified SEG/SR, so they still match each other.
    const sourceUids = new Set(
      [
        String(source.StudyInstanceUID ?? ''),
        String(source.SeriesInstanceUID ?? ''),
        ...Object.values(o.roles),
        ...result.labelmaps.map((l) => l.referencedSeriesUid ?? ''),
        ...result.maps.map((m) => (m as { referencedSeriesUid?: string }).referencedSeriesUid ?? ''),
        ...(refs ?? []).map((r) => r?.sopInstanceUid ?? ''),
      ].filter((u) => /^\d+(\.\d+)+$/.test(u)),
    );
    const remapUids = (text: string) =>
      text.replace(/"(\d+(?:\.\d+)+)"/g, (m, u: string) => (sourceUids.has(u) ? `"${deidUid(u)}"` : m));
    json = remapUids(json);
    for (const f of bidsOut.filter((x) => x.name.endsWith('.json'))) {
      f.bytes = new TextEncoder().encode(remapUids(new TextDecoder().decode(f.bytes)));
    }
  }
  for (const f of bidsOut) {
    mkdirSync(path.dirname(path.join(dir, f.name)), { recursive: true });
    writeFileSync(path.join(dir, f.name), f.bytes);
  }
  writeFileSync(path.join(dir, 'result.json'), json);
  return [...out, ...bidsOut, { name: 'result.json', bytes: new TextEncoder().encode(json) }];
}
