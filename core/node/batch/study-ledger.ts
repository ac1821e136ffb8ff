import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { StudyOutcome } from './batch-types';
import type { StudyPseudonyms } from './study-pseudonyms';

/**
 * The output folder IS the ledger: each study has `studies/<folder>/status.json` next to its outputs. A study's
 * folder appears by one atomic rename from a staging folder, so a crash or Ctrl-C never leaves a half-written study,
 * and re-running (or a second delivery of the same queue job) replaces it as a whole: outputs are idempotent and the
 * summary has exactly one row per study no matter how many times it ran.
 *
 * Methods take a study's source key. With `pseudonyms` (de-identified runs) nothing written names it: the folder is
 * named after the study's pseudonym, and status.json records the pseudonym as `key`, no identifiers, and failure/QC
 * texts with the source key and UIDs replaced (see {@link StudyPseudonyms}).
 */
export class StudyLedger {
  readonly studiesDir: string;
  constructor(
    readonly outDir: string,
    readonly opts: { pseudonyms?: StudyPseudonyms } = {},
  ) {
    this.studiesDir = path.join(outDir, 'studies');
    mkdirSync(this.studiesDir, { recursive: true });
  }

  /** The key a study is recorded under (status.json, summary `study_key`): its pseudonym in de-identified runs. */
  recordedKey(key: string): string {
    return this.opts.pseudonyms ? this.opts.pseudonyms.studyKey(key) : key;
  }

  /** Folder name for a study key: readable and filesystem-safe, with a hash suffix so distinct keys never collide. */
  folderOf(key: string): string {
    const k = this.recordedKey(key);
    const safe = k.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 80);
    return `${safe}-${createHash('sha256').update(k).digest('hex').slice(0, 8)}`;
  }

  /** The folder a study's outputs are recorded in. */
  folderPath(key: string): string {
    return path.join(this.studiesDir, this.folderOf(key));
  }

  /** The recorded outcome of a study, or undefined when it never finished. */
  get(key: string): StudyOutcome | undefined {
    const f = path.join(this.folderPath(key), 'status.json');
    if (!existsSync(f)) return undefined;
    try {
      return JSON.parse(readFileSync(f, 'utf8')) as StudyOutcome;
    } catch {
      return undefined; // unreadable status = not done; it will be redone
    }
  }

  /** A fresh staging folder for a study (inside the output folder, so the final rename is atomic). */
  stage(key: string): string {
    const dir = path.join(this.outDir, '.staging', `${this.folderOf(key)}-${randomBytes(4).toString('hex')}`);
    mkdirSync(dir, { recursive: true });
    return dir;
  }

  /** Records an outcome: writes status.json into the staging folder and moves it into place, replacing any older run. */
  commit(staging: string, outcome: StudyOutcome): void {
    writeFileSync(path.join(staging, 'status.json'), JSON.stringify(this.recorded(outcome), null, 2));
    const target = this.folderPath(outcome.key);
    // rename() of a folder cannot replace a non-empty folder: move an older run aside, then retry. Two workers
    // finishing the same study at once (a re-delivered queue job) both succeed; one complete run wins.
    for (let attempt = 0; ; attempt++) {
      try {
        renameSync(staging, target);
        break;
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if ((code !== 'ENOTEMPTY' && code !== 'EEXIST') || attempt >= 8) throw e;
        const old = `${staging}.old${attempt}`;
        try {
          renameSync(target, old);
          rmSync(old, { recursive: true, force: true });
        } catch (e2) {
          if ((e2 as NodeJS.ErrnoException).code !== 'ENOENT') throw e2;
        }
      }
    }
  }

  /** The outcome as recorded: under pseudonyms, without the source key, identifiers or source UIDs. */
  private recorded(o: StudyOutcome): StudyOutcome {
    const p = this.opts.pseudonyms;
    if (!p) return o;
    const scrub = (t: string) => p.scrub(o.key, t);
    return {
      ...o,
      key: p.studyKey(o.key),
      identifiers: {},
      ...(o.reason !== undefined ? { reason: scrub(o.reason) } : {}),
      ...(o.qc ? { qc: { status: o.qc.status, reasons: o.qc.reasons.map(scrub) } } : {}),
      measurements: Object.fromEntries(
        Object.entries(o.measurements).map(([k, v]) => [k, typeof v === 'string' ? scrub(v) : v]),
      ),
    };
  }

  /** Drops a staging folder (cancelled or crashed study). */
  discard(staging: string): void {
    rmSync(staging, { recursive: true, force: true });
  }

  /** Removes staging folders left by a killed process. */
  cleanStaging(): void {
    rmSync(path.join(this.outDir, '.staging'), { recursive: true, force: true });
  }

  /** Every recorded outcome (keys as recorded: pseudonyms in de-identified runs), sorted by key. */
  all(): StudyOutcome[] {
    const out: StudyOutcome[] = [];
    for (const d of readdirSync(this.studiesDir)) {
      const f = path.join(this.studiesDir, d, 'status.json');
      if (!existsSync(f)) continue;
      try {
        out.push(JSON.parse(readFileSync(f, 'utf8')) as StudyOutcome);
      } catch {
        /* a broken status file is treated as not done */
      }
    }
    return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }
}
