/**
 * Pseudonyms of a de-identified batch run (`qiview batch … --deidentify`).
 *
 * A de-identified output folder leaves the site; the source identity of a study (its StudyInstanceUID, or the
 * name of its source folder, often a patient name or MRN) must not be in it, nor computable from what is in it.
 * Every name a study gets in the output folder is therefore a keyed hash (HMAC-SHA256) of its source key under a
 * random per-output-folder secret:
 *
 * - the study's pseudonym (summary.csv `study_key`, `prior_study`, status.json `key`, the folder name
 *   `studies/<pseudonym>-<hash8>`): for a UID key (DICOMweb sources) it is the study's de-identified
 *   StudyInstanceUID, the one in the de-identified SEG/SR/PM, so a summary row joins its DICOM objects; for a
 *   folder key it is `study-<20 hex>`;
 * - every source UID the outputs reference (study, series, instances) is replaced by `2.25.<128 bits of the HMAC>`;
 * - the BIDS subject label is `s<10 hex>` of the HMAC.
 *
 * The secret is created once per output folder in its key folder: `<out>/.qiview/` ({@link REIDENTIFY_DIR}) by
 * default, or a folder of the site's choosing off the shared output (`qiview batch --reidentify-dir`), as
 * `reidentify-secret`, by an atomic hard link, so concurrent `qiview batch`/`qiview worker` processes (queue workers
 * on other machines, which see the same paths) agree on it. Re-runs of the same output folder (resume,
 * `--retry-failed`, queue re-deliveries) map each study to the same pseudonym, so finished studies are skipped.
 * Without the secret the pseudonyms cannot be computed from a source key (HMAC, 256-bit secret); with it, the site
 * can re-identify. The key folder is the re-identification key: keep it back (the batch also writes
 * `reidentify-linkage.csv` there, pseudonym → source key) and share the output folder without it.
 *
 * The output folder itself records `deidentified.json` ({@link DEID_MARKER}) with a key id (an HMAC of a constant,
 * which reveals nothing of the secret): a re-run with another or a lost key is refused instead of giving every
 * study a second pseudonym, and a run without `--deidentify` into it is refused.
 *
 * @packageDocumentation
 */
import { createHmac, randomBytes } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Folder inside the output folder that holds the re-identification key; never share it with the outputs. */
export const REIDENTIFY_DIR = '.qiview';
/** The secret file inside {@link REIDENTIFY_DIR}. */
export const REIDENTIFY_SECRET = 'reidentify-secret';
/** The linkage table (pseudonym, source key) inside {@link REIDENTIFY_DIR}. */
export const REIDENTIFY_LINKAGE = 'reidentify-linkage.csv';
/** File in a de-identified output folder's root that marks it as such, with the key id. */
export const DEID_MARKER = 'deidentified.json';

const HEADER =
  '# Qiview re-identification key of this de-identified output folder.\n' +
  '# With it, the pseudonyms (study_key, folder names, de-identified UIDs) can be linked back to the source\n' +
  '# studies. Keep it back: share the output folder WITHOUT its .qiview folder. Needed to resume this run.\n';

const UID = /^\d+(\.\d+)+$/;
/** A whole text that is one of our pseudonyms. */
const PSEUDONYM = /^(study-[0-9a-f]{20}|2\.25\.\d+)$/;

/** Keyed, deterministic pseudonyms of one de-identified output folder. */
export class StudyPseudonyms {
  private constructor(private readonly secret: Buffer) {}

  /** Pseudonyms under a given secret (at least 16 bytes); tests and callers that keep the key elsewhere. */
  static fromSecret(secret: Buffer): StudyPseudonyms {
    if (secret.length < 16) throw new Error('re-identification secret: at least 16 bytes needed');
    return new StudyPseudonyms(Buffer.from(secret));
  }

  /** Pseudonyms under a fresh random secret (kept in memory only: not resumable). */
  static ephemeral(): StudyPseudonyms {
    return new StudyPseudonyms(randomBytes(32));
  }

  /**
   * The pseudonyms of an output folder, whose key is in `keyDir` (default `<out>/.qiview`); see the module notes.
   * Creates the key (and the folder's {@link DEID_MARKER}) on the first run; refuses a key other than the one the
   * folder was de-identified with, and a missing one.
   */
  static forOutDir(outDir: string, keyDir?: string): StudyPseudonyms {
    const dir = keyDirOf(outDir, keyDir);
    const marker = readMarker(outDir);
    const secret = path.join(dir, REIDENTIFY_SECRET);
    if (marker && !existsSync(secret)) {
      throw new Error(
        `${outDir} was de-identified with the re-identification key ${marker.keyId}, not found at ${secret}: ` +
          'give the folder that holds it (--reidentify-dir)',
      );
    }
    const p = StudyPseudonyms.forKeyDir(dir);
    if (marker && marker.keyId !== p.keyId) {
      throw new Error(
        `${outDir} was de-identified with the re-identification key ${marker.keyId}, but ${secret} is key ` +
          `${p.keyId}: give the folder that holds the run's key (--reidentify-dir)`,
      );
    }
    if (!marker) {
      mkdirSync(outDir, { recursive: true });
      const file = path.join(outDir, DEID_MARKER);
      const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
      const note =
        'Studies in this folder are named by keyed pseudonyms (HMAC-SHA256); the re-identification key is kept by ' +
        'the site that ran the batch.';
      writeFileSync(tmp, JSON.stringify({ deidentified: true, keyId: p.keyId, note }, null, 2) + '\n');
      renameSync(tmp, file);
    }
    return p;
  }

  /** Identifies the key without revealing it (HMAC of a constant). */
  get keyId(): string {
    return this.hmac('qiview key id').toString('hex').slice(0, 16);
  }

  /**
   * The pseudonyms of the key in `dir`: reads `dir/reidentify-secret`, creating it (0600) when absent. Creation is
   * a hard link of a complete temp file, which fails when another process created it first; then that one is read,
   * so every process of a run agrees.
   */
  static forKeyDir(dir: string): StudyPseudonyms {
    const file = path.join(dir, REIDENTIFY_SECRET);
    const read = (): StudyPseudonyms | undefined => {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw new Error(`cannot read the re-identification key ${file}: ${(e as Error).message}`);
      }
      const hex = text
        .split('\n')
        .map((l) => l.trim())
        .find((l) => l && !l.startsWith('#'));
      if (!hex || !/^[0-9a-f]{32,}$/i.test(hex))
        throw new Error(`${file} is not a Qiview re-identification key (expected a hex secret line)`);
      return new StudyPseudonyms(Buffer.from(hex, 'hex'));
    };
    const existing = read();
    if (existing) return existing;
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    writeFileSync(tmp, `${HEADER}${randomBytes(32).toString('hex')}\n`, { mode: 0o600 });
    try {
      linkSync(tmp, file);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    } finally {
      rmSync(tmp, { force: true });
    }
    const made = read();
    if (!made) throw new Error(`cannot create the re-identification key ${file}`);
    return made;
  }

  private hmac(what: string): Buffer {
    return createHmac('sha256', this.secret).update(what).digest();
  }

  /** The de-identified replacement of a source UID referenced by the study `sourceKey`'s outputs. */
  uid(sourceKey: string, sourceUid: string): string {
    const u = sourceUid.trim();
    if (!u) return '';
    // Not memoised: one HMAC is about a microsecond, while a map of every UID a long-running queue worker has
    // replaced (each referenced instance of thousands of studies) would only grow.
    return `2.25.${BigInt(`0x${this.hmac(`uid\n${sourceKey}\n${u}`).subarray(0, 16).toString('hex')}`).toString()}`;
  }

  /** The study's pseudonym: its de-identified StudyInstanceUID when the key is a UID, else `study-<20 hex>`. */
  studyKey(sourceKey: string): string {
    if (UID.test(sourceKey)) return this.uid(sourceKey, sourceKey);
    return `study-${this.hmac(`study\n${sourceKey}`).toString('hex').slice(0, 20)}`;
  }

  /** BIDS subject label of the study's derivative maps. */
  subject(sourceKey: string): string {
    return `s${this.hmac(`subject\n${sourceKey}`).toString('hex').slice(0, 10)}`;
  }

  /**
   * A free text (failure reason, QC note) without the study's source identity: the source key, its path segments
   * of 4+ characters (each as a whole token) and UID-like tokens (4+ components) are replaced by their pseudonyms,
   * in one pass (a replacement is never scanned again). Pseudonyms themselves are left as they are.
   */
  scrub(sourceKey: string, text: string): string {
    if (PSEUDONYM.test(text)) return text;
    const parts = [sourceKey, ...sourceKey.split(/[/\\]/).filter((s) => s.length >= 4)]
      .filter((s) => s && s !== '.')
      .sort((a, b) => b.length - a.length)
      .map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    const re = new RegExp(
      // UID tokens first: a series UID that extends a UID key is one token, not the key plus a tail
      `\\b\\d+(?:\\.\\d+){3,}\\b|(?<![A-Za-z0-9])(?:${[...new Set(parts)].join('|')})(?![A-Za-z0-9])`,
      'g',
    );
    return text.replace(re, (m) =>
      /^\d+(\.\d+)+$/.test(m) ? this.uid(sourceKey, m) : this.studyKey(sourceKey),
    );
  }
}

/** An output folder's key folder: `keyDir` when given (`--reidentify-dir`), else `<out>/.qiview`. */
function keyDirOf(outDir: string, keyDir?: string): string {
  return keyDir ?? path.join(outDir, REIDENTIFY_DIR);
}

/** Path of an output folder's re-identification secret (in `keyDir`, default `<out>/.qiview`). */
export function secretPath(outDir: string, keyDir?: string): string {
  return path.join(keyDirOf(outDir, keyDir), REIDENTIFY_SECRET);
}

/** The {@link DEID_MARKER} of an output folder, if it is a de-identified one. */
export function readMarker(outDir: string): { keyId: string } | undefined {
  let text: string;
  try {
    text = readFileSync(path.join(outDir, DEID_MARKER), 'utf8');
  } catch {
    return undefined;
  }
  const m = JSON.parse(text) as { keyId?: unknown };
  if (typeof m.keyId !== 'string') throw new Error(`${path.join(outDir, DEID_MARKER)}: no keyId`);
  return { keyId: m.keyId };
}

/**
 * Writes `reidentify-linkage.csv` (pseudonym, source key) into the key folder (default `<out>/.qiview`), the table a
 * site keeps to link results back; atomically, replacing an older one (rows of keys not in `sourceKeys` from
 * earlier runs are kept).
 */
export function writeLinkage(
  outDir: string,
  p: StudyPseudonyms,
  sourceKeys: string[],
  keyDir?: string,
): string {
  const file = path.join(keyDirOf(outDir, keyDir), REIDENTIFY_LINKAGE);
  const rows = new Map<string, string>();
  try {
    for (const line of readFileSync(file, 'utf8').split(/\r?\n/).slice(1)) {
      const m = /^([^,]*),(.*)$/.exec(line);
      if (m) rows.set(m[1]!, m[2]!);
    }
  } catch {
    /* first run */
  }
  const q = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  for (const k of sourceKeys) rows.set(p.studyKey(k), q(k));
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const text = ['pseudonym,source_key', ...[...rows].map(([a, b]) => `${a},${b}`)].join('\r\n') + '\r\n';
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text, { mode: 0o600 });
  renameSync(tmp, file);
  return file;
}
