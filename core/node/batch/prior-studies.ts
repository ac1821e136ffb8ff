/**
 * Finds the prior study of a batch study for follow-up plugins (`qiview batch --priors <folder>`): the newest study of
 * the same patient (PatientID) with an earlier StudyDate, among the study folders of a tree (often the batch folder
 * itself). The tree is indexed once from one readable DICOM file per study folder, so a large tree costs one header
 * read per study.
 *
 * @packageDocumentation
 */
import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { readAttributes } from '../../common/dicom/read-attributes';
import { studyDateDigits, type PriorStudyKey } from '../../common/plugin-host/prior-choice';
import { discoverFolderStudies } from './discover-folder-studies';

/** One study folder of the priors tree, with what identifies it. */
export interface PriorCandidate extends PriorStudyKey {
  /** Folder key relative to the priors root (as the batch would key it). */
  key: string;
  paths: string[];
  patientId: string;
  /** YYYYMMDD. */
  studyDate: string;
  studyInstanceUid: string;
}

/** How many files of a folder are tried before it is left out of the index (all unreadable). */
const MAX_TRIES = 20;

const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

/** Indexes the study folders of `root`; folders without a readable DICOM file with PatientID and StudyDate are left out. */
export async function indexPriorStudies(root: string): Promise<PriorCandidate[]> {
  const out: PriorCandidate[] = [];
  for (const s of discoverFolderStudies(root)) {
    if (s.source.kind !== 'files') continue;
    const dir = s.source.paths[0]!;
    const files = readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isFile() && !e.name.startsWith('.'))
      .map((e) => e.name)
      .sort()
      .slice(0, MAX_TRIES);
    for (const f of files) {
      let a: Record<string, unknown>;
      try {
        a = readAttributes(new Uint8Array(await readFile(path.join(dir, f)))) as Record<string, unknown>;
      } catch {
        continue;
      }
      const patientId = text(a.PatientID);
      const studyDate = studyDateDigits(a.StudyDate);
      const studyInstanceUid = text(a.StudyInstanceUID);
      if (patientId && studyDate && studyInstanceUid)
        out.push({ key: s.key, paths: s.source.paths, patientId, studyDate, studyInstanceUid });
      break;
    }
  }
  return out;
}

/** The prior of a study (see core/common/plugin-host/prior-choice). */
export { findPrior } from '../../common/plugin-host/prior-choice';
