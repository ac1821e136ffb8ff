/**
 * Header of one DICOM file → {@link ParsedInstance} (patient, study, series and instance records), with a per-file
 * {@link DicomReadError} for anything unusable.
 *
 * @packageDocumentation
 */
import { DicomReadError, guardRead } from './dicom-read-error';
import { firstItem, functionalGroup, num, nums, str, strs, T, us } from './dataset-values';
import { openDataSet, transferSyntaxOf, type DataSet } from './open-dataset';
import type { InstanceLocation, ParsedInstance } from './records';
import { stableUid } from './stable-uid';

/** Options of {@link parseInstance}. */
export interface ParseInstanceOptions {
  /**
   * What to do when Study/Series/SOP Instance UIDs are missing or empty (anonymised data such as the TotalSegmentator
   * sample): 'generate' (default) derives stable UIDs from the folder and the geometry and sets
   * `instance.generatedUids`; 'error' throws a `missing-tags` error.
   */
  missingUids?: 'generate' | 'error';
}

/** Folder (or other grouping key) of a location, used to generate UIDs. */
export function locationGroupKey(location: InstanceLocation): string {
  if (location.kind === 'file') {
    const p = location.path.replace(/\\/g, '/');
    return 'file:' + p.slice(0, Math.max(0, p.lastIndexOf('/')));
  }
  if (location.kind === 'memory') return 'memory';
  return `dicomweb:${location.serverId}`;
}

function locationKey(location: InstanceLocation): string {
  if (location.kind === 'file') return `file:${location.path}:${location.offset ?? 0}`;
  if (location.kind === 'memory') return `memory:${location.id}`;
  return `dicomweb:${location.serverId}:${location.sopInstanceUid}`;
}

function vec<N extends number>(v: number[] | undefined, n: N): number[] | undefined {
  return v && v.length >= n ? v.slice(0, n) : undefined;
}

/** Geometry of frame 0: classic attributes first, then the enhanced functional groups. */
function geometryOf(ds: DataSet) {
  const pos =
    vec(nums(ds, T.imagePositionPatient), 3) ??
    vec(nums(functionalGroup(ds, 0, T.planePositionSeq), T.imagePositionPatient), 3);
  const ori =
    vec(nums(ds, T.imageOrientationPatient), 6) ??
    vec(nums(functionalGroup(ds, 0, T.planeOrientationSeq), T.imageOrientationPatient), 6);
  const measures = functionalGroup(ds, 0, T.pixelMeasuresSeq);
  const spacing = vec(nums(ds, T.pixelSpacing), 2) ?? vec(nums(measures, T.pixelSpacing), 2);
  const thickness = num(ds, T.sliceThickness) ?? num(measures, T.sliceThickness);
  return { pos, ori, spacing, thickness };
}

/**
 * Parses the header of one DICOM instance.
 *
 * @param bytes the whole file (Part 10, or a raw data set without meta header).
 * @param location where the bytes came from (kept in the record; the folder seeds generated UIDs).
 * @throws DicomReadError with kind `not-dicom` (no DICM preamble and no plausible implicit/explicit header),
 *   `truncated` (file ends inside an element or inside the pixel data), `missing-tags` (no Rows/Columns/Pixel Data in
 *   an image, or no UIDs with `missingUids: 'error'`), `unsupported` (no image: e.g. a structured report), `corrupt`.
 */
export function parseInstance(
  bytes: Uint8Array,
  location: InstanceLocation,
  options: ParseInstanceOptions = {},
): ParsedInstance {
  return parseInstanceDataSet(openDataSet(bytes), location, options);
}

/** {@link parseInstance} on an already opened data set (so a caller that also decodes pixels parses once). */
export function parseInstanceDataSet(
  ds: DataSet,
  location: InstanceLocation,
  options: ParseInstanceOptions = {},
): ParsedInstance {
  return guardRead('unreadable DICOM header', () => parseChecked(ds, location, options));
}

function parseChecked(
  ds: DataSet,
  location: InstanceLocation,
  options: ParseInstanceOptions,
): ParsedInstance {
  const bytes = ds.byteArray;
  const pixel =
    ds.elements[T.pixelData] ?? ds.elements[T.floatPixelData] ?? ds.elements[T.doubleFloatPixelData];
  const rows = us(ds, T.rows);
  const columns = us(ds, T.columns);
  const sopClassUid = str(ds, T.sopClassUid) ?? '';
  if (!pixel) {
    if (rows === undefined && columns === undefined) {
      throw new DicomReadError(
        'unsupported',
        `not an image: no Pixel Data (7FE0,0010)${sopClassUid ? ` (SOP Class ${sopClassUid})` : ''}`,
      );
    }
    throw new DicomReadError('missing-tags', 'missing required tag: Pixel Data (7FE0,0010)');
  }
  const missing: string[] = [];
  if (!rows) missing.push('Rows (0028,0010)');
  if (!columns) missing.push('Columns (0028,0011)');
  if (us(ds, T.bitsAllocated) === undefined && pixel.tag === T.pixelData)
    missing.push('Bits Allocated (0028,0100)');
  if (missing.length)
    throw new DicomReadError('missing-tags', `missing required tag(s): ${missing.join(', ')}`);
  if (!pixel.encapsulatedPixelData && pixel.dataOffset + pixel.length > bytes.length) {
    throw new DicomReadError(
      'truncated',
      `truncated: Pixel Data needs ${pixel.length} bytes but the file ends after ${bytes.length - pixel.dataOffset}`,
    );
  }
  if (pixel.encapsulatedPixelData) {
    const w = ds.warnings.find((x) => /missing|past|overrun|end of/i.test(x));
    const last = pixel.fragments?.[pixel.fragments.length - 1];
    if (w || (last && last.position + last.length > bytes.length) || !pixel.fragments?.length) {
      throw new DicomReadError(
        'truncated',
        `truncated: encapsulated Pixel Data is incomplete${w ? ` (${w})` : ''}`,
      );
    }
  }

  const geo = geometryOf(ds);
  const numberOfFrames = Math.max(1, Math.floor(num(ds, T.numberOfFrames) ?? 1));
  const bitsAllocated = us(ds, T.bitsAllocated) ?? (pixel.tag === T.floatPixelData ? 32 : 64);
  const frameBits = rows! * columns! * (us(ds, T.samplesPerPixel) ?? 1) * bitsAllocated;
  if (!pixel.encapsulatedPixelData && Math.ceil((frameBits * numberOfFrames) / 8) > pixel.length) {
    throw new DicomReadError(
      'truncated',
      `Pixel Data hold ${pixel.length} bytes, fewer than ${numberOfFrames} frame(s) of ${columns}×${rows} need`,
    );
  }
  if (pixel.encapsulatedPixelData && numberOfFrames > (pixel.fragments?.length ?? 0)) {
    throw new DicomReadError(
      'corrupt',
      `Number of Frames is ${numberOfFrames} but the pixel data have ${pixel.fragments?.length ?? 0} fragment(s)`,
    );
  }
  const modality = str(ds, T.modality) ?? 'OT';
  const seriesNumber = num(ds, T.seriesNumber);
  const patientId = str(ds, T.patientId) ?? '';
  let studyUid = str(ds, T.studyInstanceUid);
  let seriesUid = str(ds, T.seriesInstanceUid);
  let sopUid = str(ds, T.sopInstanceUid);
  let generatedUids: boolean | undefined;
  if (!studyUid || !seriesUid || !sopUid) {
    if (options.missingUids === 'error') {
      const names = [
        !studyUid && 'Study Instance UID (0020,000D)',
        !seriesUid && 'Series Instance UID (0020,000E)',
        !sopUid && 'SOP Instance UID (0008,0018)',
      ].filter(Boolean);
      throw new DicomReadError('missing-tags', `missing required tag(s): ${names.join(', ')}`);
    }
    generatedUids = true;
    const folder = locationGroupKey(location);
    studyUid ??= stableUid(
      [
        'study',
        folder,
        patientId,
        str(ds, T.studyDate),
        str(ds, T.studyTime),
        str(ds, T.accessionNumber),
      ].join('|'),
    );
    const ori = geo.ori?.map((v) => v.toFixed(3)).join(',');
    seriesUid ??= stableUid(
      ['series', studyUid, folder, seriesNumber, modality, ori, rows, columns, geo.spacing?.join(',')].join(
        '|',
      ),
    );
    sopUid ??= stableUid(
      ['sop', seriesUid, locationKey(location), geo.pos?.join(','), num(ds, T.instanceNumber)].join('|'),
    );
  }
  const imageType = strs(ds, T.imageType);
  return {
    patient: {
      patientId,
      patientName: str(ds, T.patientName),
      patientBirthDate: str(ds, T.patientBirthDate),
      patientSex: str(ds, T.patientSex),
    },
    study: {
      studyInstanceUid: studyUid,
      patientId,
      studyDate: str(ds, T.studyDate),
      studyTime: str(ds, T.studyTime),
      studyDescription: str(ds, T.studyDescription),
      accessionNumber: str(ds, T.accessionNumber),
    },
    series: {
      seriesInstanceUid: seriesUid,
      studyInstanceUid: studyUid,
      modality,
      seriesNumber,
      seriesDescription: str(ds, T.seriesDescription),
      bodyPartExamined: str(ds, T.bodyPartExamined),
      imageType,
      manufacturer: str(ds, T.manufacturer),
      ...(modality === 'SEG' ? { segmentationType: str(ds, T.segmentationType) } : {}),
    },
    instance: {
      sopInstanceUid: sopUid,
      sopClassUid,
      seriesInstanceUid: seriesUid,
      studyInstanceUid: studyUid,
      transferSyntaxUid: transferSyntaxOf(ds),
      instanceNumber: num(ds, T.instanceNumber),
      numberOfFrames,
      rows: rows!,
      columns: columns!,
      imagePositionPatient: geo.pos as [number, number, number] | undefined,
      imageOrientationPatient: geo.ori as [number, number, number, number, number, number] | undefined,
      pixelSpacing: geo.spacing as [number, number] | undefined,
      sliceThickness: geo.thickness,
      location,
      format: 'dicom',
      acquisitionNumber: num(ds, T.acquisitionNumber),
      temporalPositionIdentifier:
        num(ds, T.temporalPositionIdentifier) ??
        firstItem(ds, T.frameContentSeq)?.uint32(T.temporalPositionIndex),
      ...(generatedUids ? { generatedUids } : {}),
    },
  };
}
