/**
 * Turns a series of imported local files into an {@link OpenableSeries}: each kept `File` is registered with the
 * DICOM image loader's file manager (`dicomfile:` image ids) in the order `groupInstances`/`sortByGeometry` gave, and
 * its header is parsed once so Cornerstone knows every slice's metadata before any pixels load. NIfTI files are read
 * into a ready volume with `readNifti`.
 */
import { Enums, eventTarget, metaData } from '@cornerstonejs/core';
import { wadouri } from '@cornerstonejs/dicom-image-loader';
import * as dicomParser from 'dicom-parser';
import type {
  InstanceRecord,
  PatientRecord,
  SeriesRecord,
  StudyRecord,
} from '@qiview/core/common/dicom/records';
import { sortByGeometry } from '@qiview/core/common/dicom/sort-by-geometry';
import { readNifti } from '@qiview/core/common/nifti/read-nifti';
import type { OpenableSeries } from '../state/openable-series';
import { keptFile } from '../platform/memory-files';

/** Header datasets of single-frame files by image id (multi-frame files use the loader's full dataset cache). */
const headers = new Map<string, dicomParser.DataSet>();
/** Image ids already made for a kept file id, so re-opening a series does not register its files twice. */
const idsByFile = new Map<string, string>();
let providerInstalled = false;

function installHeaderProvider(): void {
  if (providerInstalled) return;
  providerInstalled = true;
  metaData.addProvider((type: string, imageId: string) => {
    if (typeof imageId !== 'string') return undefined;
    const ds = headers.get(imageId);
    return ds ? wadouri.metaData.metadataForDataset(type, imageId, ds) : undefined;
  }, 10_000);
  eventTarget.addEventListener(Enums.Events.IMAGE_LOADED, (evt: Event) => {
    const id = (evt as CustomEvent<{ image?: { imageId?: string } }>).detail?.image?.imageId;
    if (id && headers.has(id)) {
      const url = id.slice('dicomfile:'.length);
      if (wadouri.dataSetCacheManager.isLoaded(url)) wadouri.dataSetCacheManager.unload(url);
    }
  });
}

const HEADER_BYTES = 64 * 1024;

async function readHeader(file: File): Promise<dicomParser.DataSet> {
  for (const size of [HEADER_BYTES, file.size]) {
    const n = Math.min(size, file.size);
    try {
      return dicomParser.parseDicom(new Uint8Array(await file.slice(0, n).arrayBuffer()), {
        untilTag: 'x7fe00010',
      });
    } catch (e) {
      if (n >= file.size) throw e instanceof Error ? e : new Error(String(e));
    }
  }
  throw new Error('unreadable DICOM header');
}

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
    else headers.set(imageId, await readHeader(file));
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
  installHeaderProvider();
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
