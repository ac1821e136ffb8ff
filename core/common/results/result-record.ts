/**
 * A plugin run as a library {@link ResultRecord} and back: the record's fields carry the provenance (plugin id and
 * version, model ids with their sha256, input series, status, time), its JSON payload the whole result without voxel
 * arrays (the {@link ResultDocument} of the result JSON file: measurements, findings, QC, parameters, plots, segment
 * and map descriptions) and the run's parameters; the label maps and float maps travel as binary attachments named in
 * the payload, so a stored result re-opens with exactly the voxels the plugin returned. Environment-neutral.
 *
 * @packageDocumentation
 */
import type { AnalysisResult, Labelmap, ParametricMap, VolumeMetadata } from '@qiview/sdk';
import type { ResultRecord, ResultStatus } from '../library/library-store';
import type { ResultProvenance } from './provenance';
import { parseResultJson, writeResultJson, type ResultDocument } from './result-json';

/** Format identifier of {@link StoredResultPayload}. */
export const RESULT_RECORD_FORMAT = 'qiview-result-record/1';

/** Where the voxels of one labelmap or map are. */
export interface VoxelAttachment {
  /** Attachment name (see {@link ResultBlobStore} in core/browser/library). */
  blob: string;
  /** Element type and count (checked when read back). */
  type: 'uint8' | 'float32';
  length: number;
}

/** The JSON payload of a stored run (other keys, e.g. a report history, are kept as they are). */
export interface StoredResultPayload {
  format: typeof RESULT_RECORD_FORMAT;
  /** The result JSON document (JSON-safe: non-finite numbers as strings), as written by `writeResultJson`. */
  document: unknown;
  /** Voxel attachments by labelmap id / map id. */
  voxels: {
    labelmaps: Record<string, VoxelAttachment>;
    maps: Record<string, VoxelAttachment & { frames: number; metadata: VolumeMetadata; warnings: string[] }>;
  };
  /** Series the overlays were shown on (SeriesInstanceUID), when known. */
  overlaySeriesUid?: string;
  /** Run time in ms, when known. */
  durationMs?: number;
}

/** A run to store. */
export interface RunToStore {
  id: string;
  status: ResultStatus;
  provenance: ResultProvenance;
  /** The result of a finished run (status 'done'). */
  result?: AnalysisResult;
  /** Why it failed (status 'failed'). */
  error?: string;
  studyInstanceUid?: string;
  overlaySeriesUid?: string;
  durationMs?: number;
  /** Payload of an existing record under the same id (its other keys are kept). */
  existingPayload?: unknown;
}

/** `sha256:<hex>` per model id (the version, when the plugin declares one, is in the provenance). */
export function modelVersionsOf(p: ResultProvenance): Record<string, string> {
  return Object.fromEntries(p.models.map((m) => [m.id, `sha256:${m.sha256}`]));
}

function bytesOf(a: Uint8Array | Float32Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

const safeName = (s: string) => encodeURIComponent(s);

/**
 * The library record of a run plus the binary attachments its payload names. Throws for a 'done' run without a
 * result.
 */
export function resultRecordOf(run: RunToStore): { record: ResultRecord; blobs: Record<string, Uint8Array> } {
  const p = run.provenance;
  const record: ResultRecord = {
    id: run.id,
    pluginId: p.pluginId,
    pluginVersion: p.pluginVersion,
    modelVersions: modelVersionsOf(p),
    inputSeriesUids: [...new Set(Object.values(p.inputSeries))],
    createdAt: p.timestamp,
    status: run.status,
  };
  if (run.studyInstanceUid) record.studyInstanceUid = run.studyInstanceUid;
  if (run.error) record.error = run.error;
  const kept =
    run.existingPayload && typeof run.existingPayload === 'object'
      ? (run.existingPayload as Record<string, unknown>)
      : {};
  const blobs: Record<string, Uint8Array> = {};
  if (run.status !== 'done') {
    record.payload = {
      ...kept,
      provenance: p,
      ...(run.durationMs !== undefined ? { durationMs: run.durationMs } : {}),
    };
    return { record, blobs };
  }
  const r = run.result;
  if (!r) throw new Error(`result ${run.id}: a finished run needs its result`);
  const voxels: StoredResultPayload['voxels'] = { labelmaps: {}, maps: {} };
  for (const l of r.labelmaps) {
    const name = `labelmap/${safeName(l.id)}`;
    blobs[name] = bytesOf(l.data);
    voxels.labelmaps[l.id] = { blob: name, type: 'uint8', length: l.data.length };
  }
  for (const m of r.maps) {
    const name = `map/${safeName(m.id)}`;
    blobs[name] = bytesOf(m.volume.data);
    voxels.maps[m.id] = {
      blob: name,
      type: 'float32',
      length: m.volume.data.length,
      frames: m.volume.frames,
      metadata: m.volume.metadata,
      warnings: m.volume.warnings,
    };
  }
  const payload: StoredResultPayload = {
    format: RESULT_RECORD_FORMAT,
    document: JSON.parse(writeResultJson(r, p)) as unknown,
    voxels,
  };
  if (run.overlaySeriesUid) payload.overlaySeriesUid = run.overlaySeriesUid;
  if (run.durationMs !== undefined) payload.durationMs = run.durationMs;
  record.payload = { ...kept, ...payload };
  return { record, blobs };
}

/** True when a record holds a re-openable result (a finished run stored by {@link resultRecordOf}). */
export function isStoredRun(record: ResultRecord): boolean {
  const p = record.payload as Partial<StoredResultPayload> | undefined;
  return record.status === 'done' && p?.format === RESULT_RECORD_FORMAT && !!p.document && !!p.voxels;
}

/** A re-opened stored run. */
export interface ReopenedResult {
  result: AnalysisResult;
  provenance: ResultProvenance;
  document: ResultDocument;
  overlaySeriesUid?: string;
  durationMs?: number;
}

/**
 * The result and provenance of a stored run, with its voxels from `blob` (by attachment name). Throws a clear error
 * for a record that is not a stored run or whose attachments are missing or of the wrong size.
 */
export async function resultFromRecord(
  record: ResultRecord,
  blob: (name: string) => Promise<Uint8Array | null>,
): Promise<ReopenedResult> {
  if (!isStoredRun(record)) {
    throw new Error(
      record.status !== 'done'
        ? `result ${record.id} has status "${record.status}"${record.error ? ': ' + record.error : ''}`
        : `result ${record.id} holds no stored result (payload format is not ${RESULT_RECORD_FORMAT})`,
    );
  }
  const payload = record.payload as StoredResultPayload;
  const document = parseResultJson(JSON.stringify(payload.document));
  const read = async (a: VoxelAttachment | undefined, what: string): Promise<Uint8Array> => {
    if (!a) throw new Error(`result ${record.id}: no voxels stored for ${what}`);
    const bytes = await blob(a.blob);
    const size = a.length * (a.type === 'float32' ? 4 : 1);
    if (!bytes) throw new Error(`result ${record.id}: the voxels of ${what} are missing from the library`);
    if (bytes.byteLength !== size)
      throw new Error(`result ${record.id}: ${what} has ${bytes.byteLength} bytes, ${size} expected`);
    // a copy on its own aligned buffer (attachments may be views into a larger buffer)
    return bytes.slice();
  };
  const labelmaps: Labelmap[] = [];
  for (const s of document.result.labelmaps) {
    const { voxelCounts: _c, ...rest } = s;
    labelmaps.push({ ...rest, data: await read(payload.voxels.labelmaps[s.id], `labelmap "${s.id}"`) });
  }
  const maps: ParametricMap[] = [];
  for (const s of document.result.maps) {
    const a = payload.voxels.maps[s.id];
    const bytes = await read(a, `map "${s.id}"`);
    const { geometry, unit, stats: _s, ...rest } = s;
    maps.push({
      ...rest,
      volume: {
        geometry,
        unit,
        data: new Float32Array(bytes.buffer, 0, a.length),
        frames: a.frames,
        metadata: a.metadata,
        warnings: a.warnings,
      },
    });
  }
  const result: AnalysisResult = { ...document.result, labelmaps, maps };
  const out: ReopenedResult = { result, provenance: document.provenance, document };
  if (payload.overlaySeriesUid) out.overlaySeriesUid = payload.overlaySeriesUid;
  if (payload.durationMs !== undefined) out.durationMs = payload.durationMs;
  return out;
}
