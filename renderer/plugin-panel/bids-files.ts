/**
 * The BIDS companions of NIfTI files picked or dropped in web mode: the sidecar JSON (`x.nii.gz` → `x.json`) and the
 * acquisition's `.tsv` tables (ASL-BIDS `<stem>_aslcontext.tsv`), kept for this session by the NIfTI's kept-file id,
 * so the plugin panel can give them to plugins exactly as `qiview batch` does (`InputSeries.sidecar`,
 * `InputSeries.attachments` by file name, the BIDS suffix for series selection, the sidecar's string fields as
 * attributes). The importer calls {@link claimBidsCompanions} before parsing; claimed files are not parsed as images.
 */
import {
  bidsCompanions,
  bidsNiftiName,
  isBidsCompanionName,
  parseSidecar,
  sidecarAttributes,
} from '@qiview/core/common/plugin-host/bids-nifti';
import { isNiftiName } from '@qiview/core/common/nifti/parse-nifti-instance';
import { isGzip, readNiftiHeader } from '@qiview/core/common/nifti/read-nifti';

/** Header bytes read (NIfTI-2 headers are 540 bytes). */
const HEADER_BYTES = 1024;

/** The first bytes of a NIfTI file, inflated when gzip, without reading the whole file. */
async function headBytes(file: Blob): Promise<Uint8Array> {
  const magic = new Uint8Array(await file.slice(0, 2).arrayBuffer());
  if (!isGzip(new Uint8Array([...magic, 0])))
    return new Uint8Array(await file.slice(0, HEADER_BYTES).arrayBuffer());
  const reader = file.stream().pipeThrough(new DecompressionStream('gzip')).getReader();
  const parts: Uint8Array[] = [];
  let n = 0;
  try {
    while (n < HEADER_BYTES) {
      const r = await reader.read();
      if (r.done) break;
      parts.push(r.value);
      n += r.value.length;
    }
  } finally {
    void reader.cancel().catch(() => undefined);
  }
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Slices and frames from a NIfTI header, or undefined when unreadable (the importer reports that file). */
async function niftiShape(file: Blob): Promise<{ slices: number; frames: number } | undefined> {
  try {
    const h = readNiftiHeader(await headBytes(file));
    const frames = [4, 5, 6, 7].reduce((n, i) => n * (i <= h.dims[0] ? Math.max(1, h.dims[i]!) : 1), 1);
    return { slices: h.dims[0] >= 3 ? Math.max(1, h.dims[3]!) : 1, frames };
  } catch {
    return undefined;
  }
}

/** What a NIfTI file brought besides its voxels. */
export interface BidsContext {
  /** Picked name (relative path inside the picked/dropped folder, or the file name). */
  name: string;
  /** Folder part of `name` ('' for a single file). */
  dir: string;
  suffix?: string;
  subject?: string;
  /** Whole sidecar (numbers and arrays included). */
  sidecar?: Record<string, unknown>;
  /** Why the sidecar next to it was not used (not JSON): plugins then refuse rather than guess. */
  sidecarError?: string;
  /** Companion tables by file name. */
  attachments?: Record<string, string>;
  /** Slices and time frames from the header (a 4D file is one library instance, so counts cannot be split). */
  shape?: { slices: number; frames: number };
}

const byFileId = new Map<string, BidsContext>();

/** The BIDS context of a kept NIfTI file (undefined for DICOM and for files not picked in this session). */
export function bidsContextOf(fileId: string): BidsContext | undefined {
  return byFileId.get(fileId);
}

/** A picked file with its kept id (as the importer hands them to the parser). */
export interface NamedFile {
  id: string;
  name: string;
  file: Blob;
}

const baseName = (p: string) => p.replace(/^.*[\\/]/, '');
const dirName = (p: string) => (/[\\/]/.test(p) ? p.replace(/[\\/][^\\/]*$/, '') : '');

/**
 * Reads the sidecars and tables that belong to the NIfTI files among `files`, records them under each NIfTI's id,
 * and returns the files left to parse (everything but the claimed companions; unclaimed .json/.tsv files stay and are
 * reported as skipped by the parser as before).
 */
export async function claimBidsCompanions<F extends NamedFile>(files: readonly F[]): Promise<F[]> {
  const companions = files.filter((f) => isBidsCompanionName(f.name));
  const byName = new Map(companions.map((f) => [f.name, f]));
  const names = [...byName.keys()];
  const claimed = new Set<string>();
  for (const f of files) {
    if (!isNiftiName(f.name)) continue;
    const c = bidsCompanions(f.name, names);
    const parts = bidsNiftiName(f.name);
    const ctx: BidsContext = { name: f.name, dir: dirName(f.name), ...parts };
    const shape = await niftiShape(f.file);
    if (shape) ctx.shape = shape;
    if (c.sidecar) {
      claimed.add(c.sidecar);
      const doc = parseSidecar(await byName.get(c.sidecar)!.file.text(), c.sidecar);
      if (doc instanceof Error) ctx.sidecarError = doc.message;
      else ctx.sidecar = doc;
    }
    for (const t of c.tables) {
      claimed.add(t);
      ctx.attachments ??= {};
      ctx.attachments[baseName(t)] = await byName.get(t)!.file.text();
    }
    byFileId.set(f.id, ctx);
  }
  return files.filter((f) => !claimed.has(f.name));
}

/** The sidecar's string fields as DICOM-keyword attributes (empty without a sidecar). */
export function bidsAttributes(ctx: BidsContext | undefined): Record<string, string> {
  return ctx?.sidecar ? sidecarAttributes(ctx.sidecar) : {};
}

/** True when two NIfTI files are of one BIDS acquisition set: same folder and same subject (or both without one). */
export function sameBidsSet(a: BidsContext, b: BidsContext): boolean {
  return a.dir === b.dir && a.subject === b.subject;
}
