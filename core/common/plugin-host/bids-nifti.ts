/**
 * BIDS context of a NIfTI input, shared by `qiview batch` (files on disk) and the workstation (files picked or
 * dropped): the file name's suffix and subject, which sidecar (`<stem>_<suffix>.json`) and companion tables
 * (`<stem>_*.tsv`, e.g. ASL-BIDS `_aslcontext.tsv`) belong to it, and what the sidecar means to series selection.
 * No I/O here: callers read the files.
 *
 * @packageDocumentation
 */
import type { Volume } from '@qiview/sdk';

/** Parts of a BIDS NIfTI file name (`dir/sub-01_asl.nii.gz` → stem `sub-01`, suffix `asl`, subject `01`). */
export interface BidsNiftiName {
  /** The name up to the suffix's `_` (directory left out). */
  stem?: string;
  /** Last `_` entity before `.nii[.gz]`. */
  suffix?: string;
  /** `sub-` label. */
  subject?: string;
}

const baseName = (p: string) => p.replace(/^.*[\\/]/, '');
const dirName = (p: string) => (/[\\/]/.test(p) ? p.replace(/[\\/][^\\/]*$/, '') : '');

/** Splits a NIfTI file name (or path) into its BIDS parts; non-BIDS names give what they have. */
export function bidsNiftiName(file: string): BidsNiftiName {
  const name = baseName(file);
  const out: BidsNiftiName = {};
  const m = /^(.*)_([A-Za-z0-9]+)\.nii(\.gz)?$/i.exec(name);
  if (m) {
    out.stem = m[1];
    out.suffix = m[2];
  }
  const sub = /(?:^|_)sub-([A-Za-z0-9]+)/.exec(name);
  if (sub) out.subject = sub[1];
  return out;
}

/** The sidecar name of a NIfTI file (`x.nii[.gz]` → `x.json`, same directory). */
export function sidecarName(niftiFile: string): string {
  return niftiFile.replace(/\.nii(\.gz)?$/i, '.json');
}

/**
 * Which of `names` (paths relative to one picked root, or absolute paths) belong to the NIfTI file `niftiFile`: its
 * sidecar and the `.tsv` tables in the same directory whose name starts with the file's stem and `_`.
 */
export function bidsCompanions(
  niftiFile: string,
  names: readonly string[],
): { sidecar?: string; tables: string[] } {
  const dir = dirName(niftiFile);
  const want = sidecarName(niftiFile);
  const { stem } = bidsNiftiName(niftiFile);
  const out: { sidecar?: string; tables: string[] } = { tables: [] };
  for (const n of names) {
    if (n === want) out.sidecar = n;
    else if (
      stem !== undefined &&
      dirName(n) === dir &&
      baseName(n).startsWith(`${stem}_`) &&
      n.toLowerCase().endsWith('.tsv')
    )
      out.tables.push(n);
  }
  out.tables.sort();
  return out;
}

/** True for the files {@link bidsCompanions} may claim (sidecars and tables). */
export function isBidsCompanionName(name: string): boolean {
  return /\.(json|tsv)$/i.test(name);
}

/**
 * Parses a sidecar's text: the JSON object, or an Error naming the file when it is not a JSON object (a sidecar
 * that does not parse must not be silently dropped: its PLD and labelling fields drive quantification).
 */
export function parseSidecar(text: string, fileName: string): Record<string, unknown> | Error {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return new Error(`${baseName(fileName)} is not valid JSON: ${(e as Error).message}`);
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc))
    return new Error(`${baseName(fileName)} is not a JSON object`);
  return doc as Record<string, unknown>;
}

/**
 * The sidecar fields that act as DICOM attributes for input rules: string fields named like DICOM keywords
 * (Modality, SeriesDescription, Manufacturer…). Numeric fields are left out: their units may differ from DICOM (BIDS
 * EchoTime is in seconds).
 */
export function sidecarAttributes(sidecar: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(sidecar))
    if (typeof v === 'string' && /^[A-Za-z]\w*$/.test(k)) out[k] = v;
  return out;
}

/**
 * A NIfTI volume takes its modality from the sidecar; a CT one is in HU (NIfTI converters store rescaled values:
 * scl_slope/scl_inter give Hounsfield units), which CT plugins require. Changes `volume` in place.
 */
export function adoptSidecar(volume: Volume, sidecar: Record<string, unknown>): void {
  const modality = typeof sidecar.Modality === 'string' ? sidecar.Modality.trim().toUpperCase() : '';
  if (!modality) return;
  volume.metadata.modality = modality;
  if (modality === 'CT' && volume.unit === 'arbitrary') volume.unit = 'HU';
}
