/**
 * Signed reports: a reader signs the report of one analysis result, which locks its content (values, key images,
 * comment, signer, time) under a SHA-256 of its canonical JSON. A correction is a new version (an amendment) that
 * names the hash of the version it replaces; versions are only ever appended, never overwritten.
 *
 * @packageDocumentation
 */
import { canonicalJson } from './canonical-json';
import type { ReportModel } from './report-model';
import { sha256Hex } from './sha256-hex';

/** Identifies the content format the hash covers (bump when {@link signedContent} changes). */
export const SIGNED_REPORT_FORMAT = 'qiview.report/1';

/** A key image frozen into the report as a PNG data URL. */
export interface ReportImageSnapshot {
  caption: string;
  /** `data:image/png;base64,…`. */
  png: string;
  /** Width / height of the image in millimetres (pixel spacing applied). */
  aspect: number;
}

/** What the reader signs: the report model, its key images and the reader's comment. */
export interface ReportDraft {
  model: ReportModel;
  images: ReportImageSnapshot[];
  /** Free-text impression of the reader ('' when none). */
  comment: string;
}

/** The signature block of a signed report. */
export interface ReportSignature {
  signer: string;
  /** ISO 8601 UTC. */
  signedAt: string;
  /** 1 for the first signature, +1 per amendment. */
  version: number;
  /** SHA-256 (hex) of {@link signedContent}. */
  sha256: string;
  /** Hash of the version this one amends. */
  previousSha256?: string;
  /** Why the previous version was amended. */
  amendReason?: string;
}

/** A signed, locked report. */
export interface SignedReport extends ReportDraft {
  format: typeof SIGNED_REPORT_FORMAT;
  signature: ReportSignature;
}

/** Options of {@link signReport}. */
export interface SignOptions {
  signer: string;
  /** Signing time; now when absent. */
  signedAt?: Date;
  /** The latest signed version, when this signature amends it. */
  previous?: SignedReport;
  /** Required with `previous`. */
  amendReason?: string;
}

/** The object whose canonical JSON is hashed: the draft, the format and every signature field but the hash. */
export function signedContent(draft: ReportDraft, signature: Omit<ReportSignature, 'sha256'>): unknown {
  return {
    format: SIGNED_REPORT_FORMAT,
    model: draft.model,
    images: draft.images,
    comment: draft.comment,
    signature: { ...signature },
  };
}

/** SHA-256 hex of the canonical JSON of a report's signed content. */
export function reportHash(draft: ReportDraft, signature: Omit<ReportSignature, 'sha256'>): Promise<string> {
  return sha256Hex(canonicalJson(signedContent(draft, signature)));
}

/**
 * Signs a draft. Throws when the signer name is empty or longer than 200 characters, or when an amendment has no
 * reason. With `previous`, the new version is `previous.version + 1` and records `previous`'s hash.
 */
export async function signReport(draft: ReportDraft, options: SignOptions): Promise<SignedReport> {
  const signer = options.signer.trim();
  if (!signer) throw new Error('a report needs the name of the reader who signs it');
  if (signer.length > 200) throw new Error('the signer name is longer than 200 characters');
  const sig: Omit<ReportSignature, 'sha256'> = {
    signer,
    signedAt: (options.signedAt ?? new Date()).toISOString(),
    version: 1,
  };
  if (options.previous) {
    const reason = options.amendReason?.trim();
    if (!reason) throw new Error('an amendment needs a reason');
    sig.version = options.previous.signature.version + 1;
    sig.previousSha256 = options.previous.signature.sha256;
    sig.amendReason = reason;
  }
  const copy: ReportDraft = JSON.parse(
    JSON.stringify({ ...draft, comment: draft.comment.trim() }),
  ) as ReportDraft;
  const sha256 = await reportHash(copy, sig);
  return { format: SIGNED_REPORT_FORMAT, ...copy, signature: { ...sig, sha256 } };
}

/** True when the report's content still hashes to its signature (nothing changed since it was signed). */
export async function verifySignedReport(report: SignedReport): Promise<boolean> {
  if (report.format !== SIGNED_REPORT_FORMAT) return false;
  const { sha256, ...sig } = report.signature;
  return (await reportHash(report, sig)) === sha256;
}

/**
 * The version history with `report` appended. Throws (and changes nothing) unless `report` is the next version and
 * names the hash of the last one: a signed version is never replaced, only amended.
 */
export function appendSignedReport(history: readonly SignedReport[], report: SignedReport): SignedReport[] {
  const last = history.at(-1);
  const want = history.length + 1;
  if (report.signature.version !== want)
    throw new Error(`report version ${report.signature.version} cannot follow version ${history.length}`);
  if (last && report.signature.previousSha256 !== last.signature.sha256)
    throw new Error(`report version ${want} does not amend the latest signed version`);
  if (!last && report.signature.previousSha256 !== undefined)
    throw new Error('the first signed version cannot amend another');
  return [...history, report];
}
