/**
 * Chest-phantom CT studies of one patient written as DICOM series for the lung follow-up e2e specs: study n gets
 * StudyInstanceUID `<uidRoot>.<n>`, series `<…>.1`, its StudyDate and the description "Chest <year>", so the study
 * browser lists them apart and the plugin panel finds the earlier ones as priors.
 */
import path from 'node:path';
import type { Volume } from '../../../plugins/sdk/volume';
import { writeVolumeSeries } from '../../phantoms/volume-dicom';

/** Writes each `[volume, YYYYMMDD]` as study 1, 2, … under `dir/<n>`; returns every file written. */
export async function writeLungFollowUpStudies(
  dir: string,
  patientId: string,
  uidRoot: string,
  studies: ReadonlyArray<readonly [Volume & { data: Int16Array }, string]>,
): Promise<string[]> {
  const files: string[] = [];
  for (const [i, [volume, date]] of studies.entries()) {
    const studyUid = `${uidRoot}.${i + 1}`;
    files.push(
      ...(await writeVolumeSeries(path.join(dir, String(i + 1)), volume, {
        studyUid,
        seriesUid: `${studyUid}.1`,
        patientId,
        studyDate: date,
        seriesDescription: `Chest ${date.slice(0, 4)}`,
      })),
    );
  }
  return files;
}
