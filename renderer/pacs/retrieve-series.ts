/**
 * Retrieves a remote series over WADO-RS (instances as Part 10 files, a few requests at a time) and imports the
 * files through the local import path, so it lists in the study browser and opens like a local series.
 */
import type { DicomWebClient } from '../../core/common/dicomweb';
import type { PickedFile } from '../platform/platform';
import { searchPacsInstances } from './pacs-queries';

/** Parallel WADO-RS requests. */
const PARALLEL = 4;

/** Downloads every instance of a series as `File`s; `onProgress(done, total)` after each. */
export async function retrieveSeriesFiles(
  client: DicomWebClient,
  studyUid: string,
  seriesUid: string,
  onProgress?: (done: number, total: number) => void,
): Promise<PickedFile[]> {
  const sops = await searchPacsInstances(client, studyUid, seriesUid);
  const out: PickedFile[] = new Array<PickedFile>(sops.length);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < sops.length) {
      const k = next++;
      const bytes = await client.retrieveInstance(studyUid, seriesUid, sops[k]);
      const name = `${client.server.name}/${seriesUid}/${sops[k]}.dcm`;
      out[k] = {
        name,
        file: new File([bytes.slice().buffer as ArrayBuffer], name, { type: 'application/dicom' }),
      };
      onProgress?.(++done, sops.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, sops.length) }, worker));
  return out;
}
