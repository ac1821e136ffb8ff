/**
 * Turns a series of imported local files into an {@link OpenableSeries}: each kept `File` is registered with the
 * DICOM image loader's file manager (`dicomfile:` image ids) in the order `groupInstances`/`sortByGeometry` gave, and
 * its header is parsed once so Cornerstone knows every slice's metadata before any pixels load. NIfTI files are read
 * into a ready volume with `readNifti`.
 */
import { wadouri } from '@cornerstonejs/dicom-image-loader';
import type {
  InstanceRecord,
  PatientRecord,
  SeriesRecord,
  StudyRecord,
} from '@qiview/core/common/dicom/records';
import { sortByGeometry } from '@qiview/core/common/dicom/sort-by-geometry';
import { readNifti } from '@qiview/core/common/nifti/read-nifti';
import type { OpenableSeries } from '../state/openable-series';
import {
  installDicomFileHeaderProvider,
  readDicomFileHeader,
  setDicomFileHeader,
} from '../platform/dicom-file-headers';
import { keptFile } from '../platform/memory-files';

/** Image ids already made for a kept file id, so re-opening a series does not register its files twice. */
const idsByFile = new Map<string, string>();

/** Raised when a web-mode file is gone (after a reload): the user must pick the files again. */
export class FilesNotAvailableError extends Error {}

function fileOf(inst: InstanceRecord): File {
  if (inst.location.kind !== 'memory') throw new Error(`not a local file: ${inst.location.kind}`);
  const f = keptFile(inst.location.id);
  if (!f) throw new FilesNotAvailableError('files of this series are not available in this session');
  return f;
}

/** Image ids of one instance (one per frame), registering the file on first use. */
async function imageIdsOf(inst: InstanceRecord): Promise<string[]> {
  const fileId = inst.location.kind === 'memory' ? inst.location.id : '';
  let imageId = idsByFile.get(fileId);
  if (!imageId) {
    const file = fileOf(inst);
    imageId = wadouri.fileManager.add(file);
    const url = imageId.slice('dicomfile:'.length);
    if (inst.numberOfFrames > 1)
      await wadouri.dataSetCacheManager.load(url, wadouri.loadFileRequest, imageId);
    else setDicomFileHeader(imageId, await readDicomFileHeader(file));
    idsByFile.set(fileId, imageId);
  }
  if (inst.numberOfFrames <= 1) return [imageId];
  return Array.from({ length: inst.numberOfFrames }, (_, f) => `${imageId}&frame=${f + 1}`);
}

/** Study and patient context of a series (for the overlay text). */
export interface SeriesContext {
  series: SeriesRecord;
  study?: StudyRecord;
  patient?: PatientRecord;
}

/** Builds the openable series from instances already in geometric order. */
export async function openLocalSeries(
  ctx: SeriesContext,
  instances: InstanceRecord[],
): Promise<OpenableSeries> {
  installDicomFileHeaderProvider();
  const { series, study, patient } = ctx;
  const base = {
    key: series.seriesInstanceUid,
    studyInstanceUid: series.studyInstanceUid,
    seriesInstanceUid: series.seriesInstanceUid,
    modality: series.modality,
    seriesDescription: series.seriesDescription,
    seriesNumber: series.seriesNumber,
    patientName: patient?.patientName?.replace(/\^/g, ' ').trim(),
    patientId: patient?.patientId,
    studyDate: study?.studyDate,
    studyDescription: study?.studyDescription,
  };
  if (instances.length > 0 && instances.every((i) => i.format === 'nifti')) {
    const bytes = new Uint8Array(await fileOf(instances[0]).arrayBuffer());
    return {
      ...base,
      imageIds: [],
      volume: readNifti(bytes),
      hasGeometry: true,
      warnings: [...series.warnings],
    };
  }
  const geometry = sortByGeometry(instances);
  const imageIds: string[] = [];
  for (const inst of instances) imageIds.push(...(await imageIdsOf(inst)));
  const multiFrame = instances.length === 1 && instances[0].numberOfFrames > 1;
  return {
    ...base,
    imageIds,
    hasGeometry: multiFrame
      ? !!instances[0].imagePositionPatient
      : geometry.hasGeometry && instances.length > 1,
    warnings: [...series.warnings],
  };
}
