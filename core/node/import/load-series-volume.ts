/**
 * Node-side: the files of one series (as library records) → {@link Volume}.
 *
 * @packageDocumentation
 */
import { open, readFile } from 'node:fs/promises';
import type { Volume } from '../../../plugins/sdk/volume';
import { buildVolume, type BuildVolumeOptions, type VolumeSource } from '../../common/dicom/build-volume';
import { DicomReadError } from '../../common/dicom/dicom-read-error';
import type { InstanceRecord } from '../../common/dicom/records';
import { readNifti } from '../../common/nifti/read-nifti';

async function readLocation(rec: InstanceRecord): Promise<Uint8Array> {
  const loc = rec.location;
  if (loc.kind !== 'file') {
    throw new DicomReadError(
      'unsupported',
      `instance ${rec.sopInstanceUid} is not a local file (${loc.kind})`,
    );
  }
  try {
    if (loc.offset === undefined && loc.length === undefined) return new Uint8Array(await readFile(loc.path));
    const fh = await open(loc.path, 'r');
    try {
      const offset = loc.offset ?? 0;
      const length = loc.length ?? (await fh.stat()).size - offset;
      const buf = new Uint8Array(length);
      await fh.read(buf, 0, length, offset);
      return buf;
    } finally {
      await fh.close();
    }
  } catch (e) {
    throw new DicomReadError('io-error', `cannot read ${loc.path}: ${(e as Error).message}`);
  }
}

/**
 * Reads the files of one series and builds its volume: DICOM via {@link buildVolume} (geometry order, rescale, 4D),
 * NIfTI via {@link readNifti} (one record = the whole volume). Files that fail to read are left out with a warning
 * as long as one image remains. Only one file is held in memory at a time (peak ≈ volume + one file).
 *
 * @throws DicomReadError when nothing usable remains.
 */
export async function loadSeriesVolume(
  instances: readonly InstanceRecord[],
  options: BuildVolumeOptions = {},
): Promise<Volume> {
  if (!instances.length) throw new DicomReadError('missing-tags', 'series has no instances');
  const nifti = instances.find((i) => i.format === 'nifti');
  if (nifti) {
    const name = nifti.location.kind === 'file' ? nifti.location.path.replace(/^.*[\\/]/, '') : undefined;
    return readNifti(await readLocation(nifti), { name });
  }
  // files are read lazily by buildVolume (header pass, then pixel pass), so only one file is in memory at a time;
  // a file that cannot be read is left out with a warning by buildVolume
  const sources: VolumeSource[] = instances.map((rec) => ({
    location: rec.location,
    read: () => readLocation(rec),
  }));
  const v = await buildVolume(sources, options);
  return v;
}
