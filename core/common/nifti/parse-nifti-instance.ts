/**
 * A NIfTI file as library records (one instance, one series, one study) with stable synthetic UIDs, so NIfTI volumes
 * sit in the same browser as DICOM series.
 *
 * @packageDocumentation
 */
import { DicomReadError } from '../dicom/dicom-read-error';
import type { InstanceLocation, ParsedInstance } from '../dicom/records';
import { stableUid } from '../dicom/stable-uid';
import { niftiBytes, readNiftiHeader } from './read-nifti';

/** True for file names ending .nii or .nii.gz. */
export function isNiftiName(name: string): boolean {
  return /\.nii(\.gz)?$/i.test(name);
}

/**
 * Reads the header of a NIfTI file into records. Only the first 352 bytes are needed for .nii; .nii.gz is inflated.
 *
 * @throws DicomReadError `not-dicom` when the bytes are not NIfTI, `corrupt` for a bad gzip stream.
 */
export function parseNiftiInstance(bytes: Uint8Array, location: InstanceLocation): ParsedInstance {
  const h = readNiftiHeader(niftiBytes(bytes));
  if (h.dims[1] < 1 || h.dims[2] < 1)
    throw new DicomReadError('corrupt', 'NIfTI header has empty dimensions');
  const key =
    location.kind === 'file'
      ? location.path
      : location.kind === 'memory'
        ? location.id
        : location.sopInstanceUid;
  const name = key.replace(/^.*[\\/]/, '');
  const studyUid = stableUid(`nifti-study|${key}`);
  const seriesUid = stableUid(`nifti-series|${key}`);
  const frames = [4, 5, 6, 7].reduce((n, i) => n * (i <= h.dims[0] ? Math.max(1, h.dims[i]) : 1), 1);
  const nz = h.dims[0] >= 3 ? Math.max(1, h.dims[3]) : 1;
  return {
    patient: { patientId: '' },
    study: { studyInstanceUid: studyUid, patientId: '', studyDescription: name },
    series: {
      seriesInstanceUid: seriesUid,
      studyInstanceUid: studyUid,
      modality: 'OT',
      seriesDescription: h.description?.trim() || name,
    },
    instance: {
      sopInstanceUid: stableUid(`nifti-instance|${key}`),
      sopClassUid: '',
      seriesInstanceUid: seriesUid,
      studyInstanceUid: studyUid,
      transferSyntaxUid: '',
      numberOfFrames: nz * frames,
      rows: h.dims[2],
      columns: h.dims[1],
      pixelSpacing: [h.pixDims[2], h.pixDims[1]],
      sliceThickness: h.pixDims[3],
      location,
      format: 'nifti',
      niftiFrames: frames,
    },
  };
}
